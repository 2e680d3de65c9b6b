export { runPlan, type PlanOptions, type PlanResult, type PlanStatus } from './plan.js';
export type { PlanDeps, OrgDirectory, ProposalHandoff, ProposalWriter, RunAlerter, RunLog, SeatLog } from './ports.js';
export { SeatCounter, type SeatTotals } from './seat-counter.js';
export { contentHash } from './content-hash.js';
export { DuplicateAccountError, PlanError } from './unique-accounts.js';
export { EmptyAdminListError } from './org-admins.js';
export { NoTenantDomainsError, type TenantDomains } from './tenant-domains.js';
export { planAsOf, parseAsOf } from './as-of.js';
export { runIdProblem, RUN_ID_MAX } from './run-id.js';
