// The publishable packages stay complete as elements are added: every element folder with a
// define file has its two export entries and its React JSX typing, and (after
// `node scripts/build.mjs`) every export target exists in dist/ with no source-only paths left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const elementsDir = resolve(root, 'packages/elements');
const coreDir = resolve(root, 'packages/core');
const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const tags = readdirSync(join(elementsDir, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(elementsDir, 'src', entry.name, 'define.ts')))
  .map((entry) => entry.name)
  .sort();

test('every element has its exports, a define file listed in sideEffects, and a JSX typing', () => {
  assert.ok(tags.length >= 2, `element folders: ${tags.join(', ')}`);
  const { exports, sideEffects } = manifestOf(elementsDir);
  const reactTypings = readFileSync(join(elementsDir, 'src/react.ts'), 'utf8');
  for (const tag of tags) {
    for (const [key, stem] of [[`./${tag}.js`, `${tag}/${tag}`], [`./${tag}/define.js`, `${tag}/define`]]) {
      assert.deepEqual(exports[key], { '@facekit/source': `./src/${stem}.ts`, types: `./dist/${stem}.d.ts`, default: `./dist/${stem}.js` }, `exports["${key}"]`);
    }
    assert.ok(sideEffects.includes('./dist/*/define.js'), 'the define files keep their side effect');
    assert.match(reactTypings, new RegExp(`'${tag}': \\w+JsxProps;`), `react.ts types <${tag}>`);
  }
});

test('every export target is built, with declarations, and no worker URL names a .ts file', { skip: !existsSync(join(coreDir, 'dist')) && 'run node scripts/build.mjs first' }, () => {
  for (const dir of [coreDir, elementsDir]) {
    for (const [key, target] of Object.entries(manifestOf(dir).exports)) {
      const paths = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const path of paths) {
        if (path.includes('*')) continue;
        assert.ok(existsSync(join(dir, path)), `${manifestOf(dir).name} exports["${key}"] → ${path}`);
      }
    }
  }
  const leftovers = readdirSync(join(coreDir, 'dist'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js') && /new URL\(["'][^"']+\.ts["'], import\.meta\.url\)/.test(readFileSync(join(coreDir, 'dist', file), 'utf8')));
  assert.deepEqual(leftovers, []);
  assert.ok(existsSync(join(coreDir, 'dist/worker/vision.worker.js')));
  assert.ok(existsSync(join(coreDir, 'dist/assets/models/face_detector_short.tflite')));
  const manifest = JSON.parse(readFileSync(join(elementsDir, 'custom-elements.json'), 'utf8'));
  const declared = manifest.modules.flatMap((module) => (module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition').map((entry) => entry.name));
  for (const tag of tags) assert.ok(declared.includes(tag), `custom-elements.json defines <${tag}>`);
});
