// oidc-provider's own in-memory adapter, passed explicitly so that the provider does not warn that it
// fell back to it. The package has no "exports" map, so the module is reachable; it has no types.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { AdapterFactory } from 'oidc-provider';
  export function createMemoryAdapter(clockTolerance?: number): AdapterFactory;
}
