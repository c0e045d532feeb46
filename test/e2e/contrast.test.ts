// WCAG 2.2 AA contrast of the kit's default theme tokens, light and dark, computed from the
// source of truth (packages/elements/src/shared/tokens.styles.ts): 4.5:1 for text (1.4.3) and
// 3:1 for the boundaries and focus rings of controls (1.4.11). Also keeps the forced-theme blocks
// (`color-scheme="light|dark"`) equal to the defaults, and the README's token table complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.ts';

const source = readFileSync(join(root, 'packages/elements/src/shared/tokens.styles.ts'), 'utf8');

type Tokens = Record<string, string>;

/** `--_fk-name: var(--facekit-…, default)` declarations of one CSS block. */
function tokensOf(block: string): Tokens {
  const found: Tokens = {};
  for (const match of block.matchAll(/--_fk-([\w-]+):\s*var\(\s*--facekit-[\w-]+,\s*([^;]+?)\s*\);/g)) found[match[1]!] = match[2]!.replace(/\s+/g, ' ');
  return found;
}

/** The body of the first `{ … }` after `selector` (balanced braces). */
function blockAfter(selector: string): string {
  const start = source.indexOf(selector);
  assert.ok(start >= 0, `${selector} in tokens.styles.ts`);
  const open = source.indexOf('{', start + selector.length - 1);
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error(`unbalanced block after ${selector}`);
}

const light = tokensOf(blockAfter('export const tokens = css`\n  :host {'));
const darkOverrides = tokensOf(blockAfter('@media (prefers-color-scheme: dark) {'));
const dark: Tokens = { ...light, ...darkOverrides };

function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  assert.ok(match, `an opaque #rrggbb colour: ${hex}`);
  const channel = (offset: number): number => {
    const value = Number.parseInt(match[1]!.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** [foreground, background, what it is] — every pairing the elements' styles make. */
const TEXT_PAIRS: [string, string, string][] = [
  ['fg', 'bg', 'body text'],
  ['fg', 'surface', 'hint, error box, panels'],
  ['muted', 'bg', 'notes'],
  ['muted', 'surface', 'notes and labels in panels'],
  ['accent-fg', 'accent', 'primary button text'],
  ['accent', 'bg', 'secondary button text, links'],
  ['accent', 'surface', 'secondary buttons on panels (file chooser)'],
  ['good', 'bg', 'positive text'],
  ['good', 'surface', 'positive result title, good hint'],
  ['warn', 'surface', 'hint asking for a correction'],
  ['error', 'bg', 'error text'],
  ['error', 'surface', 'negative result title, error hint'],
];
const UI_PAIRS: [string, string, string][] = [
  ['field-border', 'bg', 'text field, select and date field boundaries'],
  ['accent', 'bg', 'button boundary, focus ring'],
  ['accent', 'surface', 'focus ring on panels'],
  ['error', 'surface', 'error box bar, invalid field border'],
];

for (const [name, theme] of [['light', light], ['dark', dark]] as const) {
  test(`${name} theme: text 4.5:1, control boundaries and focus 3:1 (WCAG AA)`, (t) => {
    const failures: string[] = [];
    for (const [pairs, minimum] of [[TEXT_PAIRS, 4.5], [UI_PAIRS, 3]] as const) {
      for (const [fg, bg, what] of pairs) {
        const ratio = contrast(theme[fg]!, theme[bg]!);
        t.diagnostic(`${name} ${fg} ${theme[fg]} on ${bg} ${theme[bg]}: ${ratio.toFixed(2)}:1 (${what}; needs ${minimum})`);
        if (ratio < minimum) failures.push(`${fg} on ${bg} (${what}): ${ratio.toFixed(2)} < ${minimum}`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('the forced themes (color-scheme="light" / "dark") repeat the defaults exactly', () => {
  const forcedLight = tokensOf(blockAfter(":host([color-scheme='light']) {"));
  const forcedDark = tokensOf(blockAfter(":host([color-scheme='dark']) {"));
  const pick = (theme: Tokens, keys: string[]): Tokens => Object.fromEntries(keys.map((key) => [key, theme[key]!]));
  assert.deepEqual(Object.keys(forcedLight).sort(), Object.keys(darkOverrides).sort(), 'the forced blocks set every colour the dark block sets');
  assert.deepEqual(forcedLight, pick(light, Object.keys(forcedLight)));
  assert.deepEqual(forcedDark, pick(dark, Object.keys(forcedDark)));
});

test('the README documents every public --facekit-* token', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const publicTokens = new Set([...source.matchAll(/var\(\s*(--facekit-[\w-]+)/g)].map((match) => match[1]!));
  assert.ok(publicTokens.size >= 18);
  const missing = [...publicTokens].filter((token) => !readme.includes(`\`${token}\``));
  assert.deepEqual(missing, [], 'README "Theming" lists these tokens');
});
