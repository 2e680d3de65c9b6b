import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

/** Starts the real local parts once for the integration project and stops them after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startLocalStack({ createTables: false });
  project.provide('dynamoEndpoint', stack.dynamo.endpoint);
  project.provide('sesEndpoint', stack.ses.endpoint);
  return () => stack.stop();
}
