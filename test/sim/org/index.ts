export {
  syntheticOrg,
  transitiveGroupIds,
  SYNTHETIC_IDS,
  DEFAULT_SCIM_SYNCED_SHARE,
  type SyntheticOrgOptions,
} from './synthetic.js';
export { Rng, personSeed } from './random.js';
export {
  PRODUCT_KEYS,
  MANAGEMENT_SOURCES,
  type ManagementSource,
  type EntraPerson,
  type Group,
  type Person,
  type ProductKey,
  type ProductUse,
  type SyntheticOrg,
} from './types.js';
