#!/usr/bin/env node
// The `switchboard` command (package.json "bin"): runs the TypeScript CLI through tsx without a
// build step. tsImport loads it in its own namespace, so nothing else in the process is affected.
import { tsImport } from 'tsx/esm/api';

const cli = await tsImport('../src/cli/switchboard-cli.ts', import.meta.url);
await cli.main();
