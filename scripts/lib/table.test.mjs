import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable, replaceMarkedBlock } from './table.mjs';

test('markdownTable escapes pipes and tags, and has a separator row per column', () => {
  const table = markdownTable(['detector', 'median'], [['ours | worker', '<8 ms']]);
  assert.equal(table, '| detector | median |\n| --- | --- |\n| ours \\| worker | &lt;8 ms |');
});

test('replaceMarkedBlock rewrites only between its markers, again and again, and leaves a file without them alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'facekit-table-'));
  try {
    const file = join(dir, 'README.md');
    writeFileSync(file, 'before\n<!-- bench:last-run -->\nold\n<!-- /bench:last-run -->\nafter\n');
    assert.equal(replaceMarkedBlock(file, 'bench:last-run', 'first'), true);
    assert.equal(replaceMarkedBlock(file, 'bench:last-run', 'second\nrun'), true);
    assert.equal(readFileSync(file, 'utf8'), 'before\n<!-- bench:last-run -->\nsecond\nrun\n<!-- /bench:last-run -->\nafter\n');

    writeFileSync(file, 'no block here\n');
    assert.equal(replaceMarkedBlock(file, 'bench:last-run', 'x'), false);
    assert.equal(readFileSync(file, 'utf8'), 'no block here\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the README has the block that npm run bench rewrites', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.match(readme, /<!-- bench:last-run -->[\s\S]*<!-- \/bench:last-run -->/);
});
