import type { PlanDeps } from './ports.js';
import { PlanError } from './unique-accounts.js';

/** The org's admin list came back empty: a read that cannot be right, so nothing is proposed. */
export class EmptyAdminListError extends PlanError {
  override readonly name = 'EmptyAdminListError';
  constructor() {
    super(
      'The org admin list (v2 users/search filtered by role atlassian/org-admin) came back empty, but every ' +
        'organization has at least one org admin: the read cannot be trusted, so nothing was proposed. Check that ' +
        'the API key belongs to this organization (orgId) and that atlassian.directoryId includes the admins, then rerun the plan.',
    );
  }
}

/**
 * The org's admins, read in bulk before anything is proposed: every account on this list is
 * excluded as ORG_ADMIN, whatever the listing's `platformRoles` say (a live listing has shown
 * admins without the role). A few requests (100 admins per page), never one per user.
 * Source: Atlassian's Organizations API contract (../shared/contracts/atlassian/organization.openapi.json,
 * `searchDirectoryUsers`, MultiDirectoryUserSearchRequest.roleIds: "`atlassian/org-admin` - An organization
 * admin"), the only bulk listing of admins it documents (role-assignments are read one user at a time).
 */
export async function readOrgAdmins(
  deps: Pick<PlanDeps, 'org' | 'logger'>,
  runId: string,
): Promise<ReadonlySet<string>> {
  const ids = await deps.org.orgAdminIds();
  if (ids.size === 0) throw new EmptyAdminListError();
  deps.logger.log('info', 'plan.org-admins', { runId, listed: ids.size });
  return ids;
}
