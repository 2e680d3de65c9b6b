import { z } from 'zod';

/**
 * Response schemas, written from ../shared/contracts/atlassian (organization.openapi.json,
 * user-management.openapi.json, admin-control.md). Strict where a wrong value would make us act
 * wrongly (ids, statuses, dates); tolerant of fields we do not use, and of product keys, so a new
 * Atlassian product does not stop the nightly run.
 */
const isoDateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time');
const accountStatus = z.enum(['active', 'inactive', 'closed']);

/** GET /admin/v1/orgs/{orgId}/users: UserPage. */
export const v1UserSchema = z.object({
  account_id: z.string().min(1),
  account_type: z.enum(['atlassian', 'customer', 'app']),
  account_status: accountStatus,
  name: z.string(),
  picture: z.string(),
  email: z.string().optional(),
  access_billable: z.boolean().optional(),
  last_active: isoDateTime.optional(),
  product_access: z
    .array(
      z.object({ key: z.string(), name: z.string(), url: z.string().optional(), last_active: isoDateTime.optional() }),
    )
    .optional(),
});
export const v1UserPageSchema = z.object({
  data: z.array(v1UserSchema),
  links: z.object({ self: z.string().optional(), next: z.string().optional(), prev: z.string().optional() }).optional(),
  meta: z.object({ total: z.number().int().optional() }).optional(),
});
export type V1User = z.infer<typeof v1UserSchema>;

/** POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search: MultiDirectoryUserSearchPage. */
export const v2UserSchema = z.object({
  accountId: z.string().min(1),
  accountType: z.enum(['atlassian', 'customer', 'app']),
  accountStatus,
  membershipStatus: z.enum(['active', 'suspended', 'no_membership']).optional(),
  addedToOrg: isoDateTime.optional(),
  email: z.string().optional(),
  name: z.string().optional(),
  nickname: z.string().optional(),
  platformRoles: z.array(z.string()).optional(),
  // A value added after this client was written reads as "undetermined" rather than failing the listing.
  managementSource: z.enum(['invited', 'synced']).nullable().optional().catch(null),
  // Profile fields, the cost centre for finance: a malformed one is left out, never fails the listing.
  department: z.string().nullable().optional().catch(undefined),
  organization: z.string().nullable().optional().catch(undefined),
  productAccess: z
    .array(z.object({ id: z.string().optional(), key: z.string(), lastActiveTimestamp: isoDateTime.optional() }))
    .optional(),
});
export const v2UserPageSchema = z.object({
  data: z.array(v2UserSchema),
  links: z.object({ self: z.string().optional(), next: z.string().optional(), prev: z.string().optional() }).optional(),
});
export type V2User = z.infer<typeof v2UserSchema>;

/** GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates: UserProductAccessActivityPage. */
export const lastActiveDatesSchema = z.object({
  data: z.object({
    added_to_org: z.string().nullable().optional(),
    added_to_org_timestamp: isoDateTime.nullable().optional(),
    product_access: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        last_active: z.string().optional(),
        last_active_timestamp: isoDateTime.optional(),
      }),
    ),
  }),
  links: z.object({ next: z.string().optional() }).optional(),
});

/** A `Manageability.Rule.Simple` (User management): allowed, or not with a restriction reason. */
const manageabilityRule = z.union([
  z.object({ allowed: z.literal(true) }),
  z.object({ allowed: z.literal(false), reason: z.object({ key: z.string().min(1) }) }),
]);

/** GET /users/{account_id}/manage?privileges=lifecycle.enablement. */
export const lifecyclePermissionSchema = z.object({ 'lifecycle.enablement': manageabilityRule });

/** GET /admin/v2/orgs/{orgId}/directories. */
export const directoriesPageSchema = z.object({
  data: z.array(z.object({ directoryId: z.string(), name: z.string().optional(), icon: z.string().optional() })),
  links: z.object({ next: z.string().optional() }).optional(),
});

/** Admin Control add-users: 202 {taskId, taskLink}. */
export const addUsersResponseSchema = z.object({ taskId: z.string().min(1), taskLink: z.string().optional() });

/** Admin Control task status. */
export const taskStatusSchema = z.object({
  inProgressCount: z.number().int().min(0),
  successCount: z.number().int().min(0),
  failureCount: z.number().int().min(0),
  failureReasons: z
    .array(
      z.object({
        emails: z.array(z.string()),
        details: z
          .object({ status: z.number().optional(), title: z.string().optional(), detail: z.string().optional() })
          .optional(),
      }),
    )
    .optional(),
});
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/**
 * Admin Control bulk-fetch: an array of objects starting with `email`; the policy fields are not
 * documented, so the adapter (policy-assignments.ts) finds them tolerantly.
 */
export const bulkFetchSchema = z.array(z.object({ email: z.string() }).catchall(z.unknown()));
