/**
 * The v2 users/search request body (MultiDirectoryUserSearchRequest) with the spec's constraints,
 * so a client that breaks them gets the 400 Atlassian would send. Fields the simulator does not
 * filter on (groupIds, resourceIds, directoryIds, mfaEnabled, sortBy) are accepted and ignored.
 */
import { z } from 'zod';

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).min(1).max(max);
const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

export const searchRequestSchema = z
  .object({
    accountIds: list(z.string(), 10).optional(),
    accountStatus: list(z.enum(['active', 'inactive', 'closed']), 3).optional(),
    claimStatus: z.enum(['managed', 'unmanaged']).optional(),
    cursor: z.string().optional(),
    directoryIds: list(z.string(), 10).optional(),
    emailDomains: list(z.string(), 10).optional(),
    emails: list(z.string(), 100).refine(unique, 'emails must be unique').optional(),
    expand: z
      .array(z.enum(['platformRoles', 'counts.resources', 'productAccess', 'groups']))
      .refine(unique, 'expand must be unique')
      .optional(),
    groupIds: list(z.string(), 10).optional(),
    limit: z.number().int().min(1).max(100).optional(),
    membershipStatus: list(z.enum(['active', 'suspended', 'no_membership']), 3).optional(),
    mfaEnabled: z.boolean().optional(),
    resourceIds: list(z.string(), 20).optional(),
    roleIds: list(
      z.enum([
        'atlassian/user',
        'atlassian/admin',
        'atlassian/guest',
        'atlassian/customer',
        'atlassian/user-access-admin',
        'atlassian/contributor',
        'atlassian/basic',
        'atlassian/stakeholder',
        'atlassian/org-admin',
        'atlassian/site-admin',
        'atlassian/ai-access',
      ]),
      10,
    ).optional(),
    searchTerm: z.string().optional(),
    status: list(z.enum(['active', 'suspended', 'not_invited', 'deactivated', 'for_deletion']), 4).optional(),
  })
  .refine((b) => !(b.searchTerm !== undefined && b.emails !== undefined), {
    message: 'searchTerm and emails are mutually exclusive',
  });

export type SearchRequest = z.infer<typeof searchRequestSchema>;

/** A readable summary of what is wrong with a body. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
