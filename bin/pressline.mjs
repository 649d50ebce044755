#!/usr/bin/env node
// `pressline`: the project is TypeScript run by tsx, so this shim registers tsx's loader and hands
// over to bin/pressline.ts. It stays plain JavaScript so `npx pressline` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./pressline.ts');
process.exitCode = await run(process.argv);
