import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSpec, ID_PHOTO_SPECS, type IdPhotoSpec } from './id-photo-specs.js';
import { layoutPrintSheet, photoSizeOnSheet, PRINT_PAPERS, SHEET_DPI } from './print-sheet.js';
import type { Box } from './types.js';

const spec = (id: string): IdPhotoSpec => {
  const found = findSpec(id);
  assert.ok(found, id);
  return found;
};

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutPrintSheet', () => {
  it('fits the common specs on 6-inch, 5-inch and A4 paper', () => {
    const counts = (id: string) => Object.fromEntries((['6in', '5in', 'a4'] as const).map((paper) => [paper, layoutPrintSheet(spec(id), paper).copies]));
    // 一寸 25×35 mm: 3×4 on 4×6 in portrait (4 × 35 + 3 × 2 + 2 × 2 = 150 mm of 152.4).
    assert.deepEqual(counts('one-inch'), { '6in': 12, '5in': 9, a4: 50 });
    // 二寸 35×49 mm: 4 in a row on 6-inch landscape.
    assert.deepEqual(counts('two-inch'), { '6in': 4, '5in': 4, a4: 28 });
    assert.deepEqual(counts('small-one-inch'), { '6in': 16, '5in': 10, a4: 72 });
    assert.deepEqual(counts('small-two-inch'), { '6in': 8, '5in': 4, a4: 30 });
    assert.deepEqual(counts('e-passport'), { '6in': 6, '5in': 4, a4: 32 });
    assert.deepEqual(counts('us-visa'), { '6in': 2, '5in': 2, a4: 15 });
  });

  it('writes 300 dpi sheets of the paper sizes', () => {
    assert.equal(SHEET_DPI, 300);
    const six = layoutPrintSheet(spec('two-inch'), '6in');
    assert.deepEqual([six.width, six.height], [1800, 1200]);
    const five = layoutPrintSheet(spec('two-inch'), '5in');
    assert.deepEqual([five.width, five.height].sort(), [1050, 1500]);
    const a4 = layoutPrintSheet(spec('one-inch'), 'a4');
    assert.deepEqual([a4.width, a4.height].sort(), [2480, 3508]);
    assert.equal(PRINT_PAPERS.a4.shortMm, 210);
  });

  it('keeps the physical size: mm specs from their millimetres, pixel specs at their DPI', () => {
    assert.deepEqual(photoSizeOnSheet(spec('one-inch')), { width: 295, height: 413 });
    // 导游证 285×385 px at 300 dpi stays 285×385 on a 300 dpi sheet.
    assert.deepEqual(photoSizeOnSheet(spec('tour-guide-card')), { width: 285, height: 385 });
    // 社保卡 358×441 px at 350 dpi is 26×32 mm: 307×378 px at 300 dpi.
    assert.deepEqual(photoSizeOnSheet(spec('social-security-card-350dpi-50-100kb')), { width: 307, height: 378 });
  });

  it('places copies inside the paper, apart, with cut marks that touch no photo', () => {
    for (const paper of ['6in', '5in', 'a4'] as const) {
      for (const id of ['one-inch', 'two-inch', 'tour-guide-card', 'us-visa']) {
        const layout = layoutPrintSheet(spec(id), paper);
        assert.equal(layout.cells.length, layout.columns * layout.rows);
        for (const [i, cell] of layout.cells.entries()) {
          assert.ok(cell.x >= 20 && cell.y >= 20, `${id} ${paper}: margin`);
          assert.ok(cell.x + cell.width <= layout.width - 20 && cell.y + cell.height <= layout.height - 20, `${id} ${paper}: inside`);
          for (const other of layout.cells.slice(i + 1)) assert.ok(!overlaps(cell, other), `${id} ${paper}: copies overlap`);
        }
        assert.equal(layout.cutMarks.length, 8 * layout.copies);
        for (const mark of layout.cutMarks) {
          // A mark is a 2 px wide line: grow it by 1 px on each side.
          const box = { x: Math.min(mark.x1, mark.x2) - 1, y: Math.min(mark.y1, mark.y2) - 1, width: Math.abs(mark.x2 - mark.x1) + 2, height: Math.abs(mark.y2 - mark.y1) + 2 };
          for (const cell of layout.cells) {
            const inner = { x: cell.x + 1, y: cell.y + 1, width: cell.width - 2, height: cell.height - 2 };
            assert.ok(!overlaps(box, inner), `${id} ${paper}: a cut mark runs into a photo`);
          }
          assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= layout.width && box.y + box.height <= layout.height);
        }
      }
    }
  });

  it('fits at least one copy of every spec on A4, and refuses a photo larger than the paper', () => {
    for (const each of ID_PHOTO_SPECS) assert.ok(layoutPrintSheet(each, 'a4').copies >= 1, each.id);
    // 五寸 89×127 mm is the 5-inch paper itself (88.9 × 127 mm): it does not fit inside the margins.
    assert.throws(() => layoutPrintSheet(spec('five-inch'), '5in'), RangeError);
  });
});
