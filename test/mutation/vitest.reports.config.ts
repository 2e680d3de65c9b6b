// Mutation testing of the reports core's billing-day parts: deadlines, landings, pro-rated flags.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/reports-land-before.test.ts',
      'test/unit/reports-proposal-billing.test.ts',
      'test/unit/reports-savings.test.ts',
      'test/unit/reports-cycle.test.ts',
    ],
    environment: 'node',
  },
});
