// Mutation testing of undo's pure parts: which items can be reversed, their reverse, the id and evidence.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/unit/execute-undo.test.ts'], environment: 'node' },
});
