/**
 * Print sheets of ID photos: as many copies as fit on 6-inch, 5-inch or A4 photo paper at 300 dpi,
 * with gaps and corner cut marks. Layout maths only; the worker draws it.
 *
 * - Papers: 6-inch (六寸, 4×6 in: 1800×1200 px), 5-inch (五寸, 3.5×5 in: 1500×1050 px), A4
 *   (210×297 mm: 3508×2480 px).
 * - Each copy keeps its physical size: the spec's millimetres, or for pixel specs its pixels at the
 *   spec's DPI.
 * - Gap between copies 2 mm, margin at least 2 mm: room for the cut marks and a cutter's blade.
 * - Both paper orientations are tried with the photos upright; the one with more copies wins
 *   (ties: the paper's landscape orientation, as photo labs feed 6-inch paper).
 */
import type { Box } from './types.js';
import type { IdPhotoSpec } from './id-photo-specs.js';
import type { PrintPaper } from './id-photo-types.js';

export const SHEET_DPI = 300;
export const SHEET_GAP_MM = 2;
export const SHEET_MARGIN_MM = 2;
/** Cut marks at each photo's corners: this long (at most the gap allows), this thick on the sheet. */
export const CUT_MARK_LENGTH_MM = 1.5;
export const CUT_MARK_WIDTH_PX = 2;

/** Paper sizes in millimetres, landscape (long side first). */
export const PRINT_PAPERS: Record<PrintPaper, { longMm: number; shortMm: number; title: string }> = {
  '6in': { longMm: 6 * 25.4, shortMm: 4 * 25.4, title: '六寸 (4×6 in)' },
  '5in': { longMm: 5 * 25.4, shortMm: 3.5 * 25.4, title: '五寸 (3.5×5 in)' },
  a4: { longMm: 297, shortMm: 210, title: 'A4 (210×297 mm)' },
};

const mmToSheetPx = (mm: number) => Math.round((mm / 25.4) * SHEET_DPI);

export interface CutMark {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PrintSheetLayout {
  paper: PrintPaper;
  width: number;
  height: number;
  dpi: number;
  /** One copy, in sheet pixels. */
  photoWidth: number;
  photoHeight: number;
  columns: number;
  rows: number;
  copies: number;
  /** Where each copy goes, row by row. */
  cells: Box[];
  cutMarks: CutMark[];
}

/** The physical size of one photo of a spec in sheet pixels (300 dpi). */
export function photoSizeOnSheet(spec: Pick<IdPhotoSpec, 'widthPx' | 'heightPx' | 'dpi' | 'widthMm' | 'heightMm'>): { width: number; height: number } {
  if (spec.widthMm !== undefined && spec.heightMm !== undefined) {
    return { width: mmToSheetPx(spec.widthMm), height: mmToSheetPx(spec.heightMm) };
  }
  return { width: Math.round((spec.widthPx * SHEET_DPI) / spec.dpi), height: Math.round((spec.heightPx * SHEET_DPI) / spec.dpi) };
}

/** How many of `item` fit along `space` with `gap` between them. */
const fitCount = (space: number, item: number, gap: number) => Math.max(0, Math.floor((space + gap) / (item + gap)));

/** The layout of a spec's photo on a paper. Throws RangeError when not one copy fits. */
export function layoutPrintSheet(
  spec: Pick<IdPhotoSpec, 'widthPx' | 'heightPx' | 'dpi' | 'widthMm' | 'heightMm'>,
  paper: PrintPaper,
): PrintSheetLayout {
  const sheet = PRINT_PAPERS[paper];
  if (!sheet) throw new RangeError(`unknown paper: ${String(paper)}`);
  const photo = photoSizeOnSheet(spec);
  const gap = mmToSheetPx(SHEET_GAP_MM);
  const margin = mmToSheetPx(SHEET_MARGIN_MM);
  const landscape = { width: mmToSheetPx(sheet.longMm), height: mmToSheetPx(sheet.shortMm) };
  const portrait = { width: landscape.height, height: landscape.width };

  const plan = (size: { width: number; height: number }) => {
    const columns = fitCount(size.width - 2 * margin, photo.width, gap);
    const rows = fitCount(size.height - 2 * margin, photo.height, gap);
    return { size, columns, rows, copies: columns * rows };
  };
  const a = plan(landscape);
  const b = plan(portrait);
  const best = b.copies > a.copies ? b : a;
  if (best.copies === 0) throw new RangeError(`a ${photo.width}×${photo.height} px photo does not fit on ${sheet.title}`);

  const { size, columns, rows } = best;
  const gridWidth = columns * photo.width + (columns - 1) * gap;
  const gridHeight = rows * photo.height + (rows - 1) * gap;
  const left = Math.floor((size.width - gridWidth) / 2);
  const top = Math.floor((size.height - gridHeight) / 2);
  const cells: Box[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      cells.push({ x: left + column * (photo.width + gap), y: top + row * (photo.height + gap), width: photo.width, height: photo.height });
    }
  }
  return {
    paper,
    width: size.width,
    height: size.height,
    dpi: SHEET_DPI,
    photoWidth: photo.width,
    photoHeight: photo.height,
    columns,
    rows,
    copies: cells.length,
    cells,
    cutMarks: cells.flatMap((cell) => cornerMarks(cell, Math.min(mmToSheetPx(CUT_MARK_LENGTH_MM), Math.max(2, gap - 4)))),
  };
}

/**
 * Two short lines at each corner of a cell, outside it along its edges' extensions: cutting along
 * them cuts along the photo's edge. They start 2 px off the corner so that no mark touches a photo.
 */
function cornerMarks(cell: Box, length: number): CutMark[] {
  const offset = 2;
  const x0 = cell.x;
  const y0 = cell.y;
  const x1 = cell.x + cell.width;
  const y1 = cell.y + cell.height;
  return [
    // Top-left: a horizontal mark to the left along the top edge, a vertical one upwards along the left edge.
    { x1: x0 - offset - length, y1: y0, x2: x0 - offset, y2: y0 },
    { x1: x0, y1: y0 - offset - length, x2: x0, y2: y0 - offset },
    { x1: x1 + offset, y1: y0, x2: x1 + offset + length, y2: y0 },
    { x1: x1, y1: y0 - offset - length, x2: x1, y2: y0 - offset },
    { x1: x0 - offset - length, y1: y1, x2: x0 - offset, y2: y1 },
    { x1: x0, y1: y1 + offset, x2: x0, y2: y1 + offset + length },
    { x1: x1 + offset, y1: y1, x2: x1 + offset + length, y2: y1 },
    { x1: x1, y1: y1 + offset, x2: x1, y2: y1 + offset + length },
  ];
}
