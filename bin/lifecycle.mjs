#!/usr/bin/env node
/* global console, process */
// The `lifecycle` command (package.json "bin"): runs bin/lifecycle.ts through tsx. tsx is a
// devDependency: this command is for a clone of the repository after `npm ci` (which installs
// devDependencies), not for a production install (`npm ci --omit=dev`), which has no tsx.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  console.error(
    'lifecycle: tsx is not installed. The command runs its TypeScript through tsx, a devDependency: run `npm ci` in the repository (without --omit=dev).',
  );
  process.exit(1);
}
register();
await import('./lifecycle.ts');
