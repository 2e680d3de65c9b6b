export { runtimeEnv, type RuntimeEnv } from './env.js';
export { createPlanDeps, dynamoClientFor, entraLoggerOf, type PlanWiring } from './plan-deps.js';
export { approvalDeps, createApproval, sesClientFor, withReviewBaseUrl, type ApprovalWiring } from './approval.js';
