process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// npm run bench: every benchmark in turn.
await import('./listing.js');
await import('./plan.js');
