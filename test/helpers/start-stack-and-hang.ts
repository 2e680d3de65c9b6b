// Started by a test: brings up the local stack, prints its pids (and its own), then waits to be killed.
import { startLocalStack } from '../../local/stack.js';

const stack = await startLocalStack({ createTables: false });
process.stdout.write(`PIDS ${JSON.stringify([...stack.pids(), process.pid])}\n`);
setInterval(() => undefined, 60_000);
