process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/**
 * npm run bench: each run in its own child process (peak RSS per run) with its own DynamoDB Local,
 * the SES emulator shared; results written to test/bench/results/. BENCH_ONLY=plan,exec,cost,listing,dynamo-local picks parts.
 */
const only = (process.env.BENCH_ONLY ?? 'plan,exec,cost').split(',');
if (only.includes('listing')) await import('./listing.js');
if (only.includes('dynamo-local')) await import('./dynamo-local.js');
if (only.includes('plan') || only.includes('exec') || only.includes('cost')) await import('./scale.js');
