#!/usr/bin/env node
// The `serving-stacks` command. The sources are TypeScript, run through tsx so that
// `npx serving-stacks` works straight after `npm ci`, with no build step. Loading `tsx` (as
// `node --import tsx` would) registers both of its hooks: require() for static imports and
// import() for the back-ends commands load on demand.
import('tsx').then(() => require('./cli.ts'));
