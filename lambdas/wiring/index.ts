export { runtimeEnv, type RuntimeEnv } from './env.js';
export { createPlanDeps, dynamoClientFor, entraLoggerOf, type PlanWiring } from './plan-deps.js';
export { createApproval, sesClientFor, withReviewBaseUrl } from './approval.js';
