/** The pure decision engine: no I/O, no clock (the run's `now` is an input). */
export {
  ReasonCode,
  ExclusionCode,
  MissingData,
  LeaverRule,
  type EntraFacts,
  type AccountInput,
  type Decision,
  type ActionDecision,
  type ExcludedDecision,
  type KeepDecision,
  type NeedsDataDecision,
  type Evidence,
  type LastActivity,
  type ConfluenceNeedEvidence,
} from './types.js';
export { createRuleContext, RuleContextError, withTenantDomains, type RuleContext } from './context.js';
export { evaluateAccount } from './evaluate.js';
export { isBreakGlass, ORG_ADMIN_ROLE } from './exclusions.js';
export { checkBreakGlass, BreakGlassProblem, type BreakGlassAlert, type BreakGlassSighting } from './break-glass.js';
export { checkCaps, planVerdict, type CapsCheck, type PlanVerdict, type VerdictInput } from './verdict.js';
export { createTally, tallyDecision, type DecisionTally } from './tally.js';
