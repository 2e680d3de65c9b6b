// Mutation testing of approver sign-in's pure core (identity from ID token claims, settings): its unit tests only.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/signin-identity.test.ts', 'test/unit/signin-settings.test.ts'],
    environment: 'node',
  },
});
