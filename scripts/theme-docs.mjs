// Prints the README's table of theme tokens: each public --facekit-* custom property, its light
// and dark defaults (from packages/elements/src/shared/tokens.styles.ts) and what it styles (the
// @cssproperty notes in custom-elements.json, written by `node scripts/build.mjs`).
//   node scripts/theme-docs.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = readFileSync(resolve(root, 'packages/elements/src/shared/tokens.styles.ts'), 'utf8');
const manifest = JSON.parse(readFileSync(resolve(root, 'packages/elements/custom-elements.json'), 'utf8'));

/** Public token → default, for the first block the text of `from` starts (the :host block or the dark one). */
function defaults(from, to) {
  const block = source.slice(source.indexOf(from), to ? source.indexOf(to) : undefined);
  const found = new Map();
  for (const match of block.matchAll(/var\(\s*(--facekit-[\w-]+),\s*([^;]+?)\s*\);/g)) {
    if (!found.has(match[1])) found.set(match[1], match[2].replace(/\s+/g, ' '));
  }
  return found;
}

const light = defaults('export const tokens', '@media (prefers-color-scheme: dark)');
const dark = defaults('@media (prefers-color-scheme: dark)', ":host([color-scheme='light'])");

const notes = new Map();
for (const module of manifest.modules) {
  for (const declaration of module.declarations ?? []) {
    for (const property of declaration.cssProperties ?? []) {
      if (property.description && !notes.has(property.name)) notes.set(property.name, property.description);
    }
  }
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|');
const rows = [...light.keys()].map((name) => {
  const darkValue = dark.get(name);
  return `| \`${name}\` | \`${cell(light.get(name))}\` | ${darkValue ? `\`${cell(darkValue)}\`` : 'same'} | ${cell(notes.get(name) ?? '')} |`;
});
console.log(['| custom property | default (light) | default (dark) | styles |', '| --- | --- | --- | --- |', ...rows].join('\n'));
