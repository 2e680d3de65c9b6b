/**
 * The one composition root: builds every use case's dependencies from the configuration and the
 * environment. One file per use case; AWS clients in clients.ts; environment values in env.ts.
 */
export { runtimeEnv, reviewBaseUrlOf, withReviewBaseUrl, type RuntimeEnv } from './env.js';
export { awsClients, dynamoClientFor, sesClientFor, type AwsClients } from './clients.js';
export { awsSecretResolver } from './aws-secrets.js';
export { createPlanDeps, entraLoggerOf, type PlanWiring } from './plan.js';
export { checkStore, StoreUnavailableError } from './store-check.js';
export { approvalDeps, createApproval, type ApprovalWiring } from './approval.js';
export { createExecDeps, type ExecWiring } from './execute.js';
export {
  SfnExecutionStarter,
  sfnStarterFor,
  executionName,
  roundOf,
  APPROVAL_STARTER,
  type SfnStarterDeps,
} from './sfn-starter.js';
export { billingRuleOf, financeStores, executionFinanceFor } from './finance.js';
export { OrgAccountFacts } from './account-facts.js';
export { LambdaMailRequests, refusingMailer, mailRequestsFor } from './mail-requests.js';
