#!/usr/bin/env node
// Node 20: silence the AWS SDK's one-time NodeVersionSupportWarning
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
