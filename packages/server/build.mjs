// Bundles the server package into dist/: the library entry and the CLI, for Node, as ESM.
// Dependencies stay external (installed from package.json); the shared core sources are bundled in.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const shared = { absWorkingDir: here, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };

rmSync(new URL('dist', import.meta.url), { recursive: true, force: true });
await build({ ...shared, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
await build({ ...shared, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
chmodSync(new URL('dist/cli.js', import.meta.url), 0o755);
