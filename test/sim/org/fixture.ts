/**
 * Loads a SyntheticOrg from a JSON fixture, so both simulators (Atlassian and Graph) can be seeded
 * from a hand-written file instead of the generator.
 *
 * Format (every field optional unless marked required; defaults in brackets):
 *
 * {
 *   "orgId": string                 [SYNTHETIC_IDS.orgId]
 *   "directoryId": string           [SYNTHETIC_IDS.directoryId]
 *   "seed": integer                 [1]  (seeds derived ids and the simulators' randomness)
 *   "now": ISO date-time            ["2026-11-01T00:00:00.000Z"]
 *   "policies": { "billableId": string, "nonbillableId": string }   [the synthetic ids]
 *   "groups": [{ "id": string, "displayName": string, "nestedGroupIds": [string] }]   [the synthetic groups]
 *   "confluenceGroup": group id     ["grp-confluence-users"]
 *   "exclusionGroup": group id      ["grp-lifecycle-exempt"]
 *   "people": [                     (required, may be empty)
 *     {
 *       "email": string             (required; the canonical email is its lower-case form)
 *       "atlassianEmail": string    [email as written]
 *       "accountId": string         ["712020:fixture-<index>"]
 *       "displayName": string       [from the email's local part: "ada.chen" → "Ada Chen"]
 *       "accountType": "atlassian" | "app"                   ["atlassian"]
 *       "accountStatus": "active" | "inactive" | "closed"    ["active"]
 *       "membershipStatus": "active" | "suspended"           ["active"]
 *       "orgAdmin": boolean, "breakGlass": boolean           [false]
 *       "addedToOrg": ISO date-time                          [now - 365 days]
 *       "products": [{ "key": "jira-software" | "confluence" | "jira-service-desk", "lastActive": ISO }]
 *                                   [one jira-software product, last active at "lastActive" if given]
 *       "lastActive": ISO date-time [the latest product lastActive]
 *       "policy": "billable" | "nonbillable"                 ["billable"]
 *       "managementSource": "invited" | "synced" | null      ["invited"]
 *                                   (synced = provisioned by SCIM from the identity provider:
 *                                    Atlassian refuses to deactivate or suspend it through the API)
 *       "entra": false | { "id": uuid, "userPrincipalName": string, "mail": string,
 *                          "accountEnabled": boolean, "groups": [group id], "lastSignIn": ISO }
 *                                   [an enabled Entra account with mail = email, no groups;
 *                                    false = the person has no Entra account]
 *     }
 *   ],
 *   "entraOnly": [{ "mail": string (required), "id", "userPrincipalName", "accountEnabled", "groups" }]   [[]]
 * }
 *
 * Errors name the person's index and field (`people[3].accountStatus: ...`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { personSeed, Rng } from './random.js';
import { SYNTHETIC_IDS, syntheticOrg } from './synthetic.js';
import { MANAGEMENT_SOURCES, PRODUCT_KEYS, type EntraPerson, type Person, type SyntheticOrg } from './types.js';

export class OrgFixtureError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`Invalid org fixture ${source}:\n  ${issues.join('\n  ')}`);
  }
}

const DAY = 86_400_000;
const iso = z.iso.datetime({ offset: true });
const groupIds = z.array(z.string().min(1));

const entraSchema = z.strictObject({
  id: z.string().min(1).optional(),
  userPrincipalName: z.string().min(1).optional(),
  mail: z.string().min(1).optional(),
  accountEnabled: z.boolean().optional(),
  groups: groupIds.optional(),
  lastSignIn: iso.optional(),
});

const personSchema = z.strictObject({
  email: z.string().includes('@', { message: 'must be an email address' }),
  atlassianEmail: z.string().includes('@').optional(),
  accountId: z
    .string()
    .regex(/^[a-zA-Z0-9_|:-]{1,128}$/, 'must match [a-zA-Z0-9_|:-]{1,128}')
    .optional(),
  displayName: z.string().min(1).optional(),
  accountType: z.enum(['atlassian', 'app']).optional(),
  accountStatus: z.enum(['active', 'inactive', 'closed']).optional(),
  membershipStatus: z.enum(['active', 'suspended']).optional(),
  orgAdmin: z.boolean().optional(),
  breakGlass: z.boolean().optional(),
  addedToOrg: iso.optional(),
  products: z.array(z.strictObject({ key: z.enum(PRODUCT_KEYS), lastActive: iso.optional() })).optional(),
  lastActive: iso.optional(),
  policy: z.enum(['billable', 'nonbillable']).optional(),
  managementSource: z.enum(MANAGEMENT_SOURCES).nullable().optional(),
  entra: z.union([z.literal(false), entraSchema]).optional(),
});

const fixtureSchema = z.strictObject({
  orgId: z.string().min(1).optional(),
  directoryId: z.string().min(1).optional(),
  seed: z.number().int().optional(),
  now: iso.optional(),
  policies: z.strictObject({ billableId: z.string().min(1), nonbillableId: z.string().min(1) }).optional(),
  groups: z
    .array(z.strictObject({ id: z.string().min(1), displayName: z.string(), nestedGroupIds: groupIds }))
    .optional(),
  confluenceGroup: z.string().min(1).optional(),
  exclusionGroup: z.string().min(1).optional(),
  people: z.array(personSchema),
  entraOnly: z
    .array(
      z.strictObject({
        mail: z.string().includes('@'),
        id: z.string().optional(),
        userPrincipalName: z.string().optional(),
        accountEnabled: z.boolean().optional(),
        groups: groupIds.optional(),
      }),
    )
    .optional(),
});

export type OrgFixture = z.input<typeof fixtureSchema>;

const where = (path: readonly PropertyKey[]) =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '') ||
  '(root)';

const nameFromEmail = (email: string) =>
  email
    .split('@')[0]!
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ') || email;

/** Validates a parsed fixture and builds the org; `source` names it in errors. */
export function parseOrgFixture(json: unknown, source = 'fixture'): SyntheticOrg {
  const parsed = fixtureSchema.safeParse(json);
  if (!parsed.success)
    throw new OrgFixtureError(
      source,
      parsed.error.issues.map((i) => `${where(i.path)}: ${i.message}`),
    );
  const f = parsed.data;
  const seed = f.seed ?? 1;
  const nowIso = f.now ?? '2026-11-01T00:00:00.000Z';
  const now = Date.parse(nowIso);
  const base = syntheticOrg({ size: 0, seed, now: nowIso, ...(f.orgId && { orgId: f.orgId }) });
  const groups = f.groups ?? base.groups.all;
  const policies = f.policies ?? base.policies;
  const issues: string[] = [];
  const knownGroups = new Set(groups.map((g) => g.id));
  const checkGroups = (ids: readonly string[] | undefined, at: string) =>
    ids?.forEach((g, j) => knownGroups.has(g) || issues.push(`${at}[${j}]: unknown group ${JSON.stringify(g)}`));
  groups.forEach((g, i) => checkGroups(g.nestedGroupIds, `groups[${i}].nestedGroupIds`));
  const confluence = f.confluenceGroup ?? SYNTHETIC_IDS.confluenceGroup;
  const exclusion = f.exclusionGroup ?? SYNTHETIC_IDS.exclusionGroup;
  if (!knownGroups.has(confluence)) issues.push(`confluenceGroup: unknown group ${JSON.stringify(confluence)}`);
  if (!knownGroups.has(exclusion)) issues.push(`exclusionGroup: unknown group ${JSON.stringify(exclusion)}`);

  const ids = new Map<string, number>();
  const emails = new Map<string, number>();
  const people: Person[] = f.people.map((p, index) => {
    const rng = new Rng(personSeed(seed, index));
    const accountId = p.accountId ?? `712020:fixture-${index}`;
    const email = p.email.toLowerCase();
    if (ids.has(accountId))
      issues.push(`people[${index}].accountId: ${accountId} is also used by people[${ids.get(accountId)}]`);
    if (emails.has(email))
      issues.push(`people[${index}].email: ${p.email} is also used by people[${emails.get(email)}]`);
    ids.set(accountId, index);
    emails.set(email, index);
    if (p.entra) checkGroups(p.entra.groups, `people[${index}].entra.groups`);
    const products = p.products ?? [
      { key: 'jira-software' as const, ...(p.lastActive && { lastActive: p.lastActive }) },
    ];
    const lastActive =
      p.lastActive ??
      products
        .map((u) => u.lastActive)
        .filter((x): x is string => !!x)
        .sort()
        .at(-1);
    const entra: EntraPerson | undefined =
      p.entra === false
        ? undefined
        : {
            id: p.entra?.id ?? rng.uuid(),
            userPrincipalName: p.entra?.userPrincipalName ?? p.entra?.mail ?? p.email,
            mail: p.entra?.mail ?? p.email,
            accountEnabled: p.entra?.accountEnabled ?? true,
            groups: p.entra?.groups ?? [],
            ...(p.entra?.lastSignIn && { lastSignIn: p.entra.lastSignIn }),
          };
    return {
      index,
      accountId,
      displayName: p.displayName ?? nameFromEmail(p.email),
      email,
      atlassianEmail: p.atlassianEmail ?? p.email,
      accountType: p.accountType ?? 'atlassian',
      accountStatus: p.accountStatus ?? 'active',
      membershipStatus: p.membershipStatus ?? 'active',
      orgAdmin: p.orgAdmin ?? false,
      breakGlass: p.breakGlass ?? false,
      addedToOrg: p.addedToOrg ?? new Date(now - 365 * DAY).toISOString(),
      ...(lastActive && { lastActive }),
      products: products.map((u) => ({ ...u })),
      policyId: p.policy === 'nonbillable' ? policies.nonbillableId : policies.billableId,
      managementSource: p.managementSource === undefined ? 'invited' : p.managementSource,
      ...(entra && { entra }),
    };
  });
  const rng = new Rng(personSeed(seed, -1));
  const entraOnly: EntraPerson[] = (f.entraOnly ?? []).map((e, i) => {
    checkGroups(e.groups, `entraOnly[${i}].groups`);
    return {
      id: e.id ?? rng.uuid(),
      userPrincipalName: e.userPrincipalName ?? e.mail,
      mail: e.mail,
      accountEnabled: e.accountEnabled ?? true,
      groups: e.groups ?? [],
    };
  });
  if (issues.length > 0) throw new OrgFixtureError(source, issues);
  return {
    orgId: base.orgId,
    directoryId: f.directoryId ?? base.directoryId,
    seed,
    now: nowIso,
    policies: { billableId: policies.billableId, nonbillableId: policies.nonbillableId },
    groups: { confluence, exclusion, all: groups },
    people,
    entraOnly,
  };
}

/** Reads and validates a fixture file (format at the top of this file). */
export function loadOrgFixture(path: string): SyntheticOrg {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new OrgFixtureError(path, [`cannot read the file as JSON: ${(e as Error).message}`]);
  }
  return parseOrgFixture(json, path);
}
