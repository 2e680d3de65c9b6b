import { z } from 'zod';
import { financeSettingsSchema } from '../reports/settings.js';
import { ACTION_KINDS } from './actions.js';
import { LIMITS } from './limits.js';
import { scheduleExpressionProblem } from './schedule-expression.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'expected an email address like admin@example.com' }));
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
    'expected a domain name like contractors.example.com (no @, no scheme)',
  );
const days = ({ min, max }: { min: number; max: number }) =>
  z
    .number({ message: 'expected a number of days' })
    .int('expected a whole number of days')
    .min(min, `expected at least ${min} day(s)`)
    .max(max, `expected at most ${max} days`);
/** A whole number within a LIMITS range; `ceiling` names a hard ceiling in the message. */
const count = ({ min, max }: { min: number; max: number }, ceiling = '') =>
  z
    .number()
    .int('expected a whole number')
    .min(min, `expected at least ${min}`)
    .max(max, `expected at most ${max}${ceiling}`);
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const onOff = z.boolean({ message: 'expected true or false' });
const httpsOrLoopbackUrl = z
  .url({ message: 'expected a URL' })
  .refine(
    (u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(u),
    'expected an https:// URL (plain http is accepted only on loopback, for the local stack)',
  );

/**
 * Where a secret comes from. The configuration never holds a secret itself, only where to find it,
 * so a printed or logged configuration can never leak one.
 */
const secretRef = z.discriminatedUnion(
  'source',
  [
    z.strictObject({
      source: z.literal('env'),
      name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name like ATLASSIAN_API_KEY'),
    }),
    z.strictObject({ source: z.literal('secretsManager'), secretId: nonEmpty }),
  ],
  { message: 'expected {"source":"env","name":"VAR"} or {"source":"secretsManager","secretId":"arn-or-name"}' },
);

/**
 * Sign-in of approvers on the review site (lambdas/approval/signin). Every field but `mode` defaults
 * to the `entra` app registration, so the default needs only its redirect URI registered.
 */
const signInSchema = z
  .strictObject({
    /** `off` lets the link alone decide; the proposal mail and page then say so. @default required */
    mode: z.enum(['required', 'off'], { message: 'expected "required" or "off"' }).default('required'),
    /** App registration (client) id. @default entra.clientId */
    clientId: nonEmpty.optional(),
    /** Its client secret. @default entra.clientSecret */
    clientSecret: secretRef.optional(),
    /** Where the tenant's sign-in lives. @default entra.authorityHost */
    authorityHost: httpsOrLoopbackUrl.optional(),
    /** A decision needs a sign-in at most this old (step-up): a stolen session cannot approve later. @default 10 */
    stepUpMinutes: z
      .number()
      .int('expected a whole number of minutes')
      .min(1, 'expected at least 1 minute')
      .max(60, 'expected at most 60 minutes')
      .default(10),
    /** Refuse a sign-in whose `amr` claim does not include "mfa". @default false */
    requireMfa: onOff.default(false),
  })
  .default({ mode: 'required', stepUpMinutes: 10, requireMfa: false });

/** EventBridge Scheduler cron(minutes hours day-of-month month day-of-week year) or rate(value unit). */
const schedulerCron = z.string().superRefine((expression, ctx) => {
  const problem = scheduleExpressionProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (EventBridge Scheduler syntax)` });
});

const HARD_CEILING =
  ': a hard ceiling, so the blast-radius cap cannot be configured away (a larger proposal needs the explicit override)';

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone like Europe/Berlin or UTC');

const actionKind = z.enum(ACTION_KINDS, { message: `expected one of ${ACTION_KINDS.join(', ')}` });

export const configSchema = z.strictObject({
  /** Atlassian organization id (admin.atlassian.com/o/{orgId}/...). */
  orgId: nonEmpty,
  atlassian: z.strictObject({
    /** @default https://api.atlassian.com */
    baseUrl: httpsOrLoopbackUrl.default('https://api.atlassian.com'),
    apiKey: secretRef,
    /** Directory used for v2 suspend/restore and user search; "-" means all directories. @default "-" */
    directoryId: nonEmpty.default('-'),
  }),
  deactivation: z
    .strictObject({
      /** Days without activity in any product after which a managed account is stale. */
      staleAfterDays: days(LIMITS.staleAfterDays),
      /** Accounts never active in any product and added this many days ago or fewer are kept (grace). @default 30 */
      newAccountGraceDays: days(LIMITS.newAccountGraceDays).default(30),
      /** disable = user management lifecycle/disable; suspend = v2 directory suspend. @default disable */
      mode: z.enum(['disable', 'suspend'], { message: 'expected "disable" or "suspend"' }).default('disable'),
      /** Shown to the user by Atlassian on lifecycle/disable. */
      message: z.string().max(255, 'at most 255 characters').optional(),
      /** Also propose DEACTIVATE for people disabled in Entra (`accountEnabled: false`). @default true */
      deactivateEntraDisabled: onOff.optional(),
      /**
       * Also propose DEACTIVATE for people deleted from Entra: no Entra user has their email, and the
       * email is on one of the tenant's own domains (`entra.tenantDomains`, else the verified domains
       * Graph lists). Someone on another domain was never in Entra and is no leaver. @default true
       */
      deactivateEntraDeleted: onOff.optional(),
      /** @deprecated read as both deactivateEntraDisabled and deactivateEntraDeleted (load.ts warns). */
      deactivateEntraLeavers: z
        .boolean({
          message:
            'expected true or false; this field is deprecated: use deactivateEntraDisabled and deactivateEntraDeleted instead',
        })
        .optional(),
    })
    .refine(
      (d) =>
        d.deactivateEntraLeavers === undefined ||
        (d.deactivateEntraDisabled === undefined && d.deactivateEntraDeleted === undefined),
      {
        message:
          'replaced by deactivateEntraDisabled and deactivateEntraDeleted, and one of them is set too: remove deactivateEntraLeavers',
        path: ['deactivateEntraLeavers'],
      },
    )
    .transform(({ deactivateEntraLeavers: legacy, deactivateEntraDisabled, deactivateEntraDeleted, ...rest }) => ({
      ...rest,
      deactivateEntraDisabled: deactivateEntraDisabled ?? legacy ?? true,
      deactivateEntraDeleted: deactivateEntraDeleted ?? legacy ?? true,
    })),
  policies: z
    .strictObject({
      /** The SSO-enforced, billable authentication policy id (from the admin UI URL). */
      billableId: nonEmpty,
      /** The nonbillable authentication policy id. */
      nonbillableId: nonEmpty,
    })
    .refine((p) => p.billableId !== p.nonbillableId, {
      message: 'billableId and nonbillableId must differ',
      path: ['nonbillableId'],
    }),
  entra: z.strictObject({
    tenantId: nonEmpty,
    clientId: nonEmpty,
    clientSecret: secretRef,
    /** The Entra group whose transitive members need Confluence. */
    confluenceGroupId: nonEmpty,
    /** Members of these groups (transitively) are never proposed. @default [] */
    exclusionGroupIds: z.array(nonEmpty).default([]),
    /** How "needs Confluence" is decided. @default group */
    confluenceRule: z
      .enum(['group', 'group-or-product-access', 'group-or-recent-activity'], {
        message: 'expected "group", "group-or-product-access" or "group-or-recent-activity"',
      })
      .default('group'),
    /**
     * The tenant's own email domains: only an email on one of them, that no Entra user has, reads as
     * deleted from Entra. Exact match after the `@` (list subdomains). @default the verified domains
     * Microsoft Graph lists (GET /domains, needs Domain.Read.All)
     */
    tenantDomains: z
      .array(domain)
      .min(1, 'name at least one domain, or leave the field out to read the verified domains from Microsoft Graph')
      .optional(),
    /** Read signInActivity (needs Entra ID P1 and AuditLog.Read.All). @default false */
    readSignInActivity: z.boolean().default(false),
    /** With readSignInActivity: plan without sign-in dates (and say so) when Graph refuses them. @default false */
    signInActivityFallback: z.boolean().default(false),
    /** @default https://login.microsoftonline.com */
    authorityHost: httpsOrLoopbackUrl.default('https://login.microsoftonline.com'),
    /** @default https://graph.microsoft.com */
    graphBaseUrl: httpsOrLoopbackUrl.default('https://graph.microsoft.com'),
  }),
  /** Break-glass admin accounts: never touched; a run that cannot verify them proposes nothing. */
  breakGlass: z
    .array(z.strictObject({ email, accountId: nonEmpty.optional() }))
    .min(1, 'name at least one break-glass account (an admin outside SSO)'),
  exclusions: z
    .strictObject({
      emails: z.array(email).default([]),
      domains: z.array(domain).default([]),
      accountIds: z.array(nonEmpty).default([]),
    })
    .default({ emails: [], domains: [], accountIds: [] }),
  caps: z
    .strictObject({
      /** Largest proposal sent for normal approval. @default 200 */
      maxActionsPerRun: count(LIMITS.maxActionsPerRun, HARD_CEILING).default(200),
      /** Largest proposal as a percentage of managed accounts. @default 5 */
      maxPercentOfOrg: z
        .number()
        .gt(LIMITS.maxPercentOfOrg.min, 'expected more than 0')
        .max(LIMITS.maxPercentOfOrg.max, `expected at most ${LIMITS.maxPercentOfOrg.max}${HARD_CEILING}`)
        .default(5),
      /**
       * Floor of the percentage cap: a proposal of up to this many actions is never over
       * `maxPercentOfOrg` (without it, 5% of a 17-person org allows no action at all).
       * `maxActionsPerRun` still applies. 0 turns the floor off. @default 10
       */
      minActionsFloor: count(LIMITS.minActionsFloor, HARD_CEILING).default(10),
    })
    .default({ maxActionsPerRun: 200, maxPercentOfOrg: 5, minActionsFloor: 10 }),
  approval: z
    .strictObject({
      approvers: z.array(email).min(1, 'name at least one approver'),
      /** Sender address, verified in SES. */
      from: email,
      /** @default 72 */
      tokenLifetimeHours: z
        .number()
        .int('expected a whole number of hours')
        .min(1, 'expected at least 1 hour')
        .max(720, 'expected at most 720 hours (30 days)')
        .default(72),
      /** Approvals needed before a proposal executes. @default 1 */
      quorum: count(LIMITS.quorum).default(1),
      /** Action kinds approved without a human. @default [] */
      autoApprove: z.array(actionKind).default([]),
      /** Public base URL of the review page; set by the deployment or the local stack. */
      reviewBaseUrl: httpsOrLoopbackUrl.optional(),
      /**
       * Approvers sign in with Entra ID (OpenID Connect) before a decision counts; the link only
       * finds the proposal. @default required, with the `entra` app registration
       */
      signIn: signInSchema,
    })
    .refine((a) => new Set(a.approvers).size === a.approvers.length, {
      message: 'each approver may be listed once (emails compare case-insensitively)',
      path: ['approvers'],
    })
    .refine((a) => a.quorum <= a.approvers.length, {
      message: 'quorum cannot exceed the number of approvers',
      path: ['quorum'],
    }),
  schedules: z
    .strictObject({
      /** @default cron(0 2 * * ? *) */
      plan: schedulerCron.default('cron(0 2 * * ? *)'),
      /** @default cron(0 7 1 * ? *) */
      monthlyReport: schedulerCron.default('cron(0 7 1 * ? *)'),
      /** @default UTC */
      timeZone: timeZone.default('UTC'),
    })
    .default({ plan: 'cron(0 2 * * ? *)', monthlyReport: 'cron(0 7 1 * ? *)', timeZone: 'UTC' }),
  execution: z
    .strictObject({
      /** Approved items per chunk (one state-machine step each). @default 250 */
      chunkSize: z
        .number()
        .int('expected a whole number')
        .min(1, 'expected at least 1')
        .max(1000, 'expected at most 1000')
        .default(250),
      /** Days between the warning mail and a deactivation; 0 turns warnings off. @default 7 */
      warnBeforeDays: z
        .number()
        .int('expected a whole number of days')
        .min(0, 'expected 0 or more')
        .max(60, 'expected at most 60 days')
        .default(7),
      /** How old the Entra membership read for the re-check may be, in minutes. @default 10 */
      entraMaxAgeMinutes: z
        .number()
        .int('expected a whole number of minutes')
        .min(0, 'expected 0 or more')
        .max(60, 'expected at most 60')
        .default(10),
      /** Who to contact, named in the warning mail. @default the first approver */
      contact: email.optional(),
    })
    .default({ chunkSize: 250, warnBeforeDays: 7, entraMaxAgeMinutes: 10 }),
  /** Guard seats for finance: tier, price, billing day, report recipients (reports/settings.ts). */
  finance: financeSettingsSchema.extend({ recipients: z.array(email).default([]) }),
});

/** The configuration as written (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration with every default resolved. */
export type Config = z.output<typeof configSchema>;
export type SecretRef = Config['atlassian']['apiKey'];
