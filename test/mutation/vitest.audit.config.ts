// Mutation testing of the audit core (lambdas/audit): only its unit tests run against each mutant.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/unit/audit-archive.test.ts'], environment: 'node' },
});
