#!/usr/bin/env node
// The `workbench` command. It runs the TypeScript sources through tsx, so `npx workbench` works
// straight after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
