#!/usr/bin/env node
// The `serving-stacks` command. The sources are TypeScript, run through tsx so that
// `npx serving-stacks` works straight after `npm ci`, with no build step.
require('tsx/cjs');
require('./cli.ts');
