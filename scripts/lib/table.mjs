// The benches' and the build's figures as text: an aligned table for the terminal, a Markdown table
// for the README, and the README's block that `npm run bench` rewrites.
import { readFileSync, writeFileSync } from 'node:fs';

/** Prints `[name, value]` rows as an aligned table. */
export function printRows(rows) {
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
}

const cell = (value) => String(value).replaceAll('|', '\\|').replaceAll('<', '&lt;').trim();

/** A Markdown table: `header` names the columns, each row has as many cells. */
export function markdownTable(header, rows) {
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
}

/**
 * Replaces what lies between `<!-- name -->` and `<!-- /name -->` in `file` with `content`.
 * Returns false, changing nothing, when the file has no such block.
 */
export function replaceMarkedBlock(file, name, content) {
  const text = readFileSync(file, 'utf8');
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close, start);
  if (start < 0 || end < 0) return false;
  writeFileSync(file, `${text.slice(0, start + open.length)}\n${content}\n${text.slice(end)}`);
  return true;
}
