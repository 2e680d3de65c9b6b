/**
 * How a function is bundled, shared by the CDK stack (NodejsFunction, local esbuild) and the test
 * that runs the bundled handler, so what is tested is what is deployed.
 */
export const BUNDLE = {
  target: 'node22',
  /** ESM output; some dependencies still call require(). */
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  mainFields: ['module', 'main'],
  /** The Lambda Node.js runtime ships the AWS SDK v3. */
  external: ['@aws-sdk/*'],
} as const;
