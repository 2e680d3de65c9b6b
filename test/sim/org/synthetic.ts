import { personSeed, Rng } from './random.js';
import type { EntraPerson, Group, Person, ProductUse, SyntheticOrg } from './types.js';

export interface SyntheticOrgOptions {
  /** Number of managed accounts (people), including the two break-glass accounts. */
  readonly size: number;
  /** @default 1 */
  readonly seed?: number;
  /** The org's "now"; every date is relative to it. @default 2026-11-01T00:00:00.000Z */
  readonly now?: string;
  /** @default as in config/example.local.json */
  readonly orgId?: string;
  /**
   * Share (0..1) of the people who could be SCIM-synced (Atlassian accounts in Entra, not
   * break-glass) that are: `managementSource: synced`. Drawn from its own random stream, so
   * changing it changes nobody's other fields. @default 0.03
   */
  readonly scimSyncedShare?: number;
}

export const DEFAULT_SCIM_SYNCED_SHARE = 0.03;

/** Ids shared with config/example.local.json, so the local demo and the simulators agree. */
export const SYNTHETIC_IDS = {
  orgId: '0f6e9a5c-5b7d-4c1e-9a55-3e2d8c1b7a10',
  directoryId: 'b3c9a2f0-6e8d-4b1a-9f7e-2d5c8a1e0f42',
  billableId: 'policy-sso-billable',
  nonbillableId: 'policy-nonbillable',
  confluenceGroup: 'grp-confluence-users',
  exclusionGroup: 'grp-lifecycle-exempt',
  breakGlassEmails: ['breakglass-1@example.com', 'breakglass-2@example.com'],
} as const;

const GROUPS: Group[] = [
  {
    id: SYNTHETIC_IDS.confluenceGroup,
    displayName: 'Confluence users',
    nestedGroupIds: ['grp-confluence-eng', 'grp-confluence-sales'],
  },
  { id: 'grp-confluence-eng', displayName: 'Confluence - Engineering', nestedGroupIds: [] },
  { id: 'grp-confluence-sales', displayName: 'Confluence - Sales', nestedGroupIds: ['grp-confluence-contractors'] },
  { id: 'grp-confluence-contractors', displayName: 'Confluence - Sales contractors', nestedGroupIds: [] },
  { id: SYNTHETIC_IDS.exclusionGroup, displayName: 'Lifecycle exempt', nestedGroupIds: [] },
];

const FIRST = [
  'ada',
  'ben',
  'chloe',
  'dev',
  'emma',
  'felix',
  'grace',
  'hugo',
  'ines',
  'jon',
  'kira',
  'liam',
  'mia',
  'noah',
  'olga',
  'priya',
  'quinn',
  'rosa',
  'sam',
  'tara',
  'umar',
  'vera',
  'wes',
  'xena',
  'yuki',
  'zoe',
];
const LAST = [
  'adams',
  'berg',
  'chen',
  'diaz',
  'evans',
  'fischer',
  'garcia',
  'hansen',
  'ito',
  'jones',
  'kowalski',
  'larsen',
  'muller',
  'nguyen',
  'okafor',
  'patel',
  'rossi',
  'silva',
  'tanaka',
  'weber',
];

const DAY = 86_400_000;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function daysAgo(now: number, days: number, rng: Rng): string {
  return new Date(now - days * DAY - rng.int(0, DAY - 1)).toISOString();
}

/** How recently someone used Atlassian: drives every product's last-active date. */
function activityProfile(rng: Rng): { latestDays: number } | 'never' {
  const r = rng.next();
  if (r < 0.6) return { latestDays: rng.int(0, 29) };
  if (r < 0.72) return { latestDays: rng.int(30, 89) };
  if (r < 0.94) return { latestDays: rng.int(90, 500) };
  return 'never';
}

function entraFor(
  rng: Rng,
  email: string,
  groups: string[],
  now: number,
  lastActiveDays: number | undefined,
): EntraPerson {
  const caseDiffers = rng.chance(0.05);
  // Same address, other case (as Entra often stores it): First.Last12@Example.com.
  const [local = '', domain = ''] = email.split('@');
  const mail = caseDiffers ? `${local.split('.').map(cap).join('.')}@${cap(domain)}` : email;
  return {
    id: rng.uuid(),
    userPrincipalName: mail,
    mail,
    accountEnabled: !rng.chance(0.03),
    groups,
    ...(lastActiveDays !== undefined &&
      rng.chance(0.9) && { lastSignIn: daysAgo(now, Math.max(0, lastActiveDays - rng.int(0, 5)), rng) }),
  };
}

function confluenceGroupFor(rng: Rng): string {
  const r = rng.next();
  if (r < 0.5) return SYNTHETIC_IDS.confluenceGroup;
  if (r < 0.8) return 'grp-confluence-eng';
  if (r < 0.95) return 'grp-confluence-sales';
  return 'grp-confluence-contractors';
}

function breakGlass(index: number, now: number, rng: Rng): Person {
  return {
    index,
    accountId: `712020:breakglass-${index + 1}`,
    displayName: `Break Glass ${index + 1}`,
    email: SYNTHETIC_IDS.breakGlassEmails[index]!,
    atlassianEmail: SYNTHETIC_IDS.breakGlassEmails[index]!,
    accountType: 'atlassian',
    accountStatus: 'active',
    membershipStatus: 'active',
    orgAdmin: true,
    breakGlass: true,
    addedToOrg: daysAgo(now, 1200, rng),
    // Unused for months: normal for a break-glass account.
    lastActive: daysAgo(now, 200 + index, rng),
    products: [{ key: 'jira-software', lastActive: daysAgo(now, 200 + index, rng) }],
    policyId: SYNTHETIC_IDS.nonbillableId,
    managementSource: 'invited',
  };
}

/** Whether person `index` is SCIM-synced: its own stream, so the other draws stay as they were. */
function scimSynced(seed: number, index: number, share: number): boolean {
  return share > 0 && new Rng((personSeed(seed, index) ^ 0x5c1a5c1a) >>> 0).chance(share);
}

function person(seed: number, index: number, now: number, scimShare: number): { person: Person } {
  const rng = new Rng(personSeed(seed, index));
  if (index < SYNTHETIC_IDS.breakGlassEmails.length) return { person: breakGlass(index, now, rng) };
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const accountId = `712020:${rng.uuid()}`;
  const isApp = rng.chance(0.02);
  const partner = !isApp && rng.chance(0.02);
  const email = isApp
    ? `bot-${index}@connect.atlassian.com`
    : `${first}.${last}${index}@${partner ? 'partner.example.org' : 'example.com'}`;
  const addedDays = rng.int(5, 1500);
  const profile = activityProfile(rng);
  const products: ProductUse[] = [];
  let latestDays: number | undefined;
  if (profile !== 'never') latestDays = Math.min(profile.latestDays, addedDays);
  const usesConfluence = rng.chance(0.7);
  const usesJsm = rng.chance(0.15);
  const productDays = (primary: boolean) =>
    latestDays === undefined
      ? undefined
      : primary
        ? latestDays
        : rng.chance(0.15)
          ? undefined
          : Math.min(addedDays, latestDays + rng.int(0, 200));
  const jiraDays = productDays(!usesConfluence || rng.chance(0.5));
  products.push({ key: 'jira-software', ...(jiraDays !== undefined && { lastActive: daysAgo(now, jiraDays, rng) }) });
  if (usesConfluence) {
    const d = productDays(jiraDays !== latestDays);
    products.push({ key: 'confluence', ...(d !== undefined && { lastActive: daysAgo(now, d, rng) }) });
  }
  if (usesJsm) {
    const d = productDays(false);
    products.push({ key: 'jira-service-desk', ...(d !== undefined && { lastActive: daysAgo(now, d, rng) }) });
  }
  const lastActive = products
    .map((p) => p.lastActive)
    .filter((x): x is string => !!x)
    .sort()
    .at(-1);
  const statusRoll = rng.next();
  const accountStatus = statusRoll < 0.03 ? 'inactive' : statusRoll < 0.035 ? 'closed' : 'active';
  const consultant = rng.chance(0.08);
  const confluenceActive = products.some(
    (p) => p.key === 'confluence' && p.lastActive && Date.parse(p.lastActive) > now - 180 * DAY,
  );
  const inConfluenceGroup = consultant ? rng.chance(0.25) : rng.chance(confluenceActive ? 0.85 : 0.2);
  const groups = inConfluenceGroup ? [confluenceGroupFor(rng)] : [];
  if (rng.chance(0.01)) groups.push(SYNTHETIC_IDS.exclusionGroup);
  const inEntra = !isApp && !rng.chance(0.02);
  return {
    person: {
      index,
      accountId: isApp ? `557058:${rng.uuid()}` : accountId,
      displayName: isApp ? `Automation bot ${index}` : `${cap(first)} ${cap(last)}`,
      email,
      atlassianEmail: email,
      accountType: isApp ? 'app' : 'atlassian',
      accountStatus,
      membershipStatus: rng.chance(0.01) ? 'suspended' : 'active',
      orgAdmin: !isApp && rng.chance(0.01),
      breakGlass: false,
      addedToOrg: daysAgo(now, addedDays, rng),
      ...(lastActive && { lastActive }),
      products,
      policyId: consultant ? SYNTHETIC_IDS.nonbillableId : SYNTHETIC_IDS.billableId,
      managementSource: !isApp && inEntra && scimSynced(seed, index, scimShare) ? 'synced' : 'invited',
      ...(inEntra && { entra: entraFor(rng, email, groups, now, latestDays) }),
      // By index, not drawn: the random stream (and every other field) stays as it was.
      ...(index % 11 !== 10 && { department: DEPARTMENTS[index % DEPARTMENTS.length]!, organization: 'Example Corp' }),
    },
  };
}

/** Cost centres of the synthetic org (every 11th person has none). */
const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Marketing', 'Finance', 'Legal', 'Operations'];

/**
 * A deterministic synthetic organization. Person i depends only on (seed, i), so a larger org is
 * a smaller one plus more people. Mix: 2 break-glass admins, ~1% org admins, ~2% app accounts,
 * ~3% inactive and ~0.5% closed accounts, ~60% active within 30 days, ~12% within 30-89 days,
 * ~22% stale for 90-500 days, ~6% never active, ~8% in the nonbillable policy, ~3% disabled in
 * Entra, ~2% missing from Entra, ~5% with Entra emails that differ in case, ~1% in the exclusion
 * group, ~2% on an excluded partner domain, 1% Entra-only people with no Atlassian account, and
 * `scimSyncedShare` (3%) of the Atlassian accounts present in Entra SCIM-synced.
 */
export function syntheticOrg(options: SyntheticOrgOptions): SyntheticOrg {
  const seed = options.seed ?? 1;
  const nowIso = options.now ?? '2026-11-01T00:00:00.000Z';
  const now = Date.parse(nowIso);
  const scimShare = options.scimSyncedShare ?? DEFAULT_SCIM_SYNCED_SHARE;
  if (!(scimShare >= 0 && scimShare <= 1))
    throw new Error(`syntheticOrg: scimSyncedShare must be within 0..1, got ${scimShare}`);
  const people: Person[] = [];
  for (let i = 0; i < options.size; i++) people.push(person(seed, i, now, scimShare).person);
  const entraOnly: EntraPerson[] = [];
  const rng = new Rng(personSeed(seed, -1));
  for (let i = 0; i < Math.floor(options.size / 100); i++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const mail = `${first}.${last}.new${i}@example.com`;
    entraOnly.push({
      id: rng.uuid(),
      userPrincipalName: mail,
      mail,
      accountEnabled: true,
      groups: rng.chance(0.5) ? [confluenceGroupFor(rng)] : [],
    });
  }
  return {
    orgId: options.orgId ?? SYNTHETIC_IDS.orgId,
    directoryId: SYNTHETIC_IDS.directoryId,
    seed,
    now: nowIso,
    policies: { billableId: SYNTHETIC_IDS.billableId, nonbillableId: SYNTHETIC_IDS.nonbillableId },
    groups: { confluence: SYNTHETIC_IDS.confluenceGroup, exclusion: SYNTHETIC_IDS.exclusionGroup, all: GROUPS },
    people,
    entraOnly,
  };
}

/** Ids of a group and every group nested in it, transitively. */
export function transitiveGroupIds(org: SyntheticOrg, groupId: string): Set<string> {
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    org.groups.all.find((g) => g.id === id)?.nestedGroupIds.forEach(visit);
  };
  visit(groupId);
  return out;
}
