export { syntheticOrg, transitiveGroupIds, SYNTHETIC_IDS, type SyntheticOrgOptions } from './synthetic.js';
export { Rng, personSeed } from './random.js';
export {
  PRODUCT_KEYS,
  type EntraPerson,
  type Group,
  type Person,
  type ProductKey,
  type ProductUse,
  type SyntheticOrg,
} from './types.js';
