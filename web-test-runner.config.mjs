// Browser tests in the Debian Chromium (CHROME_PATH overrides it), one group per concern:
//   npx web-test-runner --config web-test-runner.config.mjs --group worker
// A group that needs its own browser flags (a fake camera video, for example) sets
// `browsers: [chromium(['--use-file-for-fake-video-capture=...'])]`.
// The worker group needs `node scripts/fixtures.mjs && node scripts/prepare-models.mjs` first.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { defaultReporter } from '@web/test-runner';
import { countReporter } from './test/wtr-count-reporter.mjs';
import { CHROMIUM_FLAGS, chromePath } from './scripts/lib/system.mjs';
import { clientEndpointMiddleware } from './test/client/endpoint-middleware.mjs';

const rootDir = fileURLToPath(new URL('.', import.meta.url));


export function chromium(extraFlags = []) {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: {
      executablePath: chromePath() ?? '/usr/bin/chromium',
      headless: true,
      args: [...CHROMIUM_FLAGS, ...extraFlags],
    },
  });
}

export default {
  rootDir,
  // The workspace packages resolve to their sources (see scripts/build-packages.mjs).
  nodeResolve: { exportConditions: ['@facekit/source', 'development'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) })],
  browsers: [chromium()],
  reporters: [defaultReporter(), countReporter()],
  // Only answers under /__facekit-test/endpoint/: the stand-in endpoint of the client group.
  middleware: [clientEndpointMiddleware],
  // Model loading and the 200 LFW crops take a while on 2 cores.
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 120_000 } },
  groups: [
    {
      name: 'worker',
      files: ['test/worker/**/*.test.ts'],
    },
    {
      // Client core (camera, files, bridge, endpoint client, i18n). The fake device gives
      // getUserMedia Chromium's built-in test pattern without a permission prompt.
      name: 'client',
      files: ['test/client/**/*.test.ts'],
      browsers: [chromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'])],
    },
    {
      // The lit elements (packages/elements). Fake camera (test pattern); the vision assets
      // from scripts/prepare-models.mjs at /build/assets/ (a real-worker test skips without them).
      name: 'elements',
      files: ['packages/elements/src/**/*.test.ts'],
      browsers: [chromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'])],
    },
  ],
};
