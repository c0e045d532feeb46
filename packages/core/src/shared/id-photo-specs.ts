/**
 * The ID photo spec catalogue: every row of the vendor's "spec及bgColor参考" table (181 rows),
 * typed, with its size resolved to pixels.
 *
 * The vendor table has three columns: title (`tile`), spec (`spce`, the text sent as the `spec`
 * parameter, kept here exactly as written in `vendorSpec`) and the allowed `bgColor` names.
 * The spec cell mixes units without saying which, and DPI and file-size limits hide in the
 * title or the spec cell. THE RULE that resolves a row (`parseSpecRow`; the test applies it to
 * every row of the document and compares the result with this catalogue):
 *
 * 1. Text is NFKC-normalised first, so full-width forms count as ASCII: `（` `）` `，` `～` `Ｘ`.
 * 2. Size: the first `W x H` in the spec cell (separator `x`, `X`, `×` or `*`), e.g. `22x32`,
 *    `130X170`, `35mmx45mm`, `150x200像素，不大于200K`, `358x441, 300dpi`.
 * 3. Unit: a unit written in the spec cell wins: `mm` → mm; `px` or `像素` → px.
 *    Otherwise the SHORT side decides: short side < 90 → mm, short side ≥ 90 → px.
 *    Why 90: the largest physical print in the table is 五寸 89×127 mm (3.5×5 in; 四寸 and the
 *    New Zealand visa are 76×102 mm, 3×4 in), and the smallest pixel spec is 事业单位招聘
 *    90×120 px (then 车载终端照片 96×128 px, both the 3:4 upload shape). A pixel photo below
 *    90 px is too small for any upload system; a physical photo 90 mm or wider is a
 *    6-inch print, not an ID photo. A "both sides ≤ 100" rule would fail both ways: 五寸
 *    89x127 and 四寸 76x102 are mm, 事业单位招聘 90x120 and 车载终端照片 96x128 are px.
 *    `寸` in a title is no unit signal: 执业药师资格考试（一寸） is 295x413 px.
 * 4. DPI: `NNNdpi` in the title or spec cell (`社保卡（350dpi…）` → 350, `358x441, 300dpi` → 300);
 *    otherwise 300, the vendor's usual default.
 * 5. Pixels: px rows as written. mm rows: a pixel size in brackets in the title is the real
 *    upload requirement and wins (国考（100x140） `8x12mm` → 100×140 px; the mm cell is only its
 *    rounded physical size: 100 px at 300 dpi is 8.47 mm); otherwise
 *    px = round(mm / 25.4 × dpi) (小一寸 22×32 mm → 260×378 px, 一寸 25×35 mm → 295×413 px,
 *    二寸 35×49 mm → 413×579 px). mm rows keep their millimetres in `widthMm`/`heightMm`;
 *    px rows have none.
 * 6. File size (`parseKbRange`, title and spec cell together): a range `A~B` / `A-B` / `A至B`
 *    followed by `k`/`kb` (any case) → min A, max B (`50~100KB`, `10-25K`, `30~60kb`).
 *    A single `N k`/`N kb`: `大于`/`超过`/`不小于`/`>`/`≥` before it or `以上` after it → min N;
 *    otherwise max N (`20k以内`, `不大于200K`, `小于100KB`, and a bare `100KB`: a bare figure
 *    next to a size is an upload ceiling).
 * 7. Colours: the colour cell split on commas, names kept exactly as the document writes them.
 *
 * `id` is a stable ASCII slug chosen once per row (titles repeat: 英语四六级考试 has three sizes,
 * two rows are exact duplicates and get `-2`); never derive it again from the title.
 *
 * Pure data and string functions: no DOM, no Node APIs.
 */
import type { Lang } from './types.js';

/** Background colour names, exactly as the vendor document writes them (`bgColor` values). */
export const ID_PHOTO_COLORS = ['white', 'blue', 'red', 'blue_grey', 'blue_gradual', 'gray_gradual', 'red_gradual'] as const;

export type IdPhotoColor = (typeof ID_PHOTO_COLORS)[number];

export interface IdPhotoSpec {
  /** Stable ASCII slug, unique in the catalogue. */
  id: string;
  /** Title as in the vendor table. */
  title: string;
  /** The table's spec text, exactly as the vendor expects it in the `spec` parameter. */
  vendorSpec: string;
  /** Unit the spec cell is written in (see THE RULE). */
  unit: 'px' | 'mm';
  widthPx: number;
  heightPx: number;
  /** Physical size, for mm rows only. */
  widthMm?: number;
  heightMm?: number;
  dpi: number;
  /** Allowed background colours, in the document's order. */
  colors: IdPhotoColor[];
  /** File-size limits in KB, when the row states them. */
  minKb?: number;
  maxKb?: number;
  /** Rank for "most common first" in a picker (1 = most common); absent for the long tail. */
  common?: number;
}

/** One raw row of the vendor table. */
export interface IdPhotoSpecRow {
  title: string;
  vendorSpec: string;
  colorText: string;
}

/** What THE RULE derives from a row: everything but `id` and `common`. */
export type ParsedIdPhotoSpec = Omit<IdPhotoSpec, 'id' | 'common'>;

/** Default DPI when a row does not state one. */
export const DEFAULT_DPI = 300;

/** Short side (in the cell's figures) from which an unlabelled size is read as pixels. */
export const MIN_PX_SHORT_SIDE = 90;

const normalize = (text: string): string => text.normalize('NFKC');

/** Millimetres to pixels at a DPI: round(mm / 25.4 × dpi). */
export function mmToPx(mm: number, dpi: number): number {
  return Math.round((mm / 25.4) * dpi);
}

/** The DPI stated in a text (`350dpi`, `300 DPI`), or undefined. */
export function parseDpi(text: string): number | undefined {
  const match = /(\d+)\s*dpi/i.exec(normalize(text));
  return match ? Number(match[1]) : undefined;
}

/** File-size limits in KB stated in a text (rule 6); `{}` when there are none. */
export function parseKbRange(text: string): { minKb?: number; maxKb?: number } {
  const t = normalize(text);
  const range = /(\d+(?:\.\d+)?)\s*(?:kb?)?\s*[~\-–—至到]\s*(\d+(?:\.\d+)?)\s*kb?(?![a-z])/i.exec(t);
  if (range) return { minKb: Number(range[1]), maxKb: Number(range[2]) };
  const single = /(不大于|不超过|不高于|小于|低于|少于|不小于|不低于|大于|超过|高于|[<>≤≥])?\s*(\d+(?:\.\d+)?)\s*kb?(?![a-z])\s*(以内|以下|以上)?/i.exec(t);
  if (!single) return {};
  const value = Number(single[2]);
  const before = single[1] ?? '';
  const isMin = ['不小于', '不低于', '大于', '超过', '高于', '>', '≥'].includes(before) || single[3] === '以上';
  return isMin ? { minKb: value } : { maxKb: value };
}

/** Colour names of a colour cell (`blue, white,red`); throws on a name the kit does not know. */
export function parseColors(text: string): IdPhotoColor[] {
  return normalize(text)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => {
      if (!(ID_PHOTO_COLORS as readonly string[]).includes(name)) throw new Error(`Unknown ID photo colour: ${name}`);
      return name as IdPhotoColor;
    });
}

/** The size in a spec cell and the unit written next to it, if any. */
export function parseSize(text: string): { width: number; height: number; unit?: 'px' | 'mm' } {
  const match = /(\d+(?:\.\d+)?)\s*(mm|px|像素)?\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(mm|px|像素)?/i.exec(normalize(text));
  if (!match) throw new Error(`No size in spec: ${text}`);
  const written = (match[2] ?? match[4])?.toLowerCase();
  const unit = written === 'mm' ? 'mm' : written === 'px' || written === '像素' ? 'px' : undefined;
  return { width: Number(match[1]), height: Number(match[3]), ...(unit ? { unit } : {}) };
}

/** The unit of a size (rule 3). */
export function specUnit(width: number, height: number, written?: 'px' | 'mm'): 'px' | 'mm' {
  if (written) return written;
  return Math.min(width, height) < MIN_PX_SHORT_SIDE ? 'mm' : 'px';
}

/** A pixel size written in brackets in a title (`国考（100x140）`), or undefined. */
export function parseTitlePx(title: string): { width: number; height: number } | undefined {
  const match = /\(\s*(\d+)\s*[x×*]\s*(\d+)\s*\)/i.exec(normalize(title));
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** Applies THE RULE to one table row. */
export function parseSpecRow(row: IdPhotoSpecRow): ParsedIdPhotoSpec {
  const size = parseSize(row.vendorSpec);
  const unit = specUnit(size.width, size.height, size.unit);
  const both = `${row.title} ${row.vendorSpec}`;
  const dpi = parseDpi(both) ?? DEFAULT_DPI;
  const spec: ParsedIdPhotoSpec = {
    title: row.title,
    vendorSpec: row.vendorSpec,
    unit,
    widthPx: size.width,
    heightPx: size.height,
    dpi,
    colors: parseColors(row.colorText),
  };
  if (unit === 'mm') {
    const titlePx = parseTitlePx(row.title);
    spec.widthMm = size.width;
    spec.heightMm = size.height;
    spec.widthPx = titlePx ? titlePx.width : mmToPx(size.width, dpi);
    spec.heightPx = titlePx ? titlePx.height : mmToPx(size.height, dpi);
  }
  const kb = parseKbRange(both);
  if (kb.minKb !== undefined) spec.minKb = kb.minKb;
  if (kb.maxKb !== undefined) spec.maxKb = kb.maxKb;
  return spec;
}

/**
 * The rows of the "spec及bgColor参考" table in the vendor document's text: after the header
 * cells `tile` / `spce` / `color`, blocks of three tab-indented lines separated by blank lines,
 * up to the first line that is not a cell.
 */
export function parseSpecTable(documentText: string): IdPhotoSpecRow[] {
  const lines = documentText.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex(
    (line, i) => line.trim() === 'tile' && lines[i + 1]?.trim() === 'spce' && lines[i + 2]?.trim() === 'color',
  );
  if (start < 0) throw new Error('Spec table header (tile / spce / color) not found');
  const rows: IdPhotoSpecRow[] = [];
  let cells: string[] = [];
  const flush = () => {
    if (cells.length === 0) return;
    if (cells.length !== 3) throw new Error(`Spec table row with ${cells.length} cells: ${cells.join(' | ')}`);
    rows.push({ title: cells[0], vendorSpec: cells[1], colorText: cells[2] });
    cells = [];
  };
  for (const line of lines.slice(start + 3)) {
    if (line.trim() === '') flush();
    else if (line.startsWith('\t')) cells.push(line.trim());
    else break;
  }
  flush();
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The catalogue, in the document's order. Generated once from the document with parseSpecRow,
// then ids and `common` ranks added by hand; the test re-derives every row from the document.
// ---------------------------------------------------------------------------------------------

/** All 181 rows of the vendor table, in its order. */
export const ID_PHOTO_SPECS: readonly IdPhotoSpec[] = [
  { id: 'tour-guide-card', title: '导游证', vendorSpec: '285x385', unit: 'px', widthPx: 285, heightPx: 385, dpi: 300, colors: ['white', 'blue_gradual'] },
  { id: 'small-one-inch', title: '小一寸', vendorSpec: '22x32', unit: 'mm', widthMm: 22, heightMm: 32, widthPx: 260, heightPx: 378, dpi: 300, colors: ['blue', 'white', 'red', 'blue_grey', 'blue_gradual', 'gray_gradual'], common: 3 },
  { id: 'large-one-inch', title: '大一寸', vendorSpec: '33x48', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue', 'white', 'red', 'blue_grey', 'blue_gradual', 'gray_gradual'], common: 5 },
  { id: 'veterinarian-qualification', title: '职业兽医资格证', vendorSpec: '230x334', unit: 'px', widthPx: 230, heightPx: 334, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'adult-self-study-exam-384x512', title: '成人自考', vendorSpec: '384x512', unit: 'px', widthPx: 384, heightPx: 512, dpi: 300, colors: ['blue', 'white'] },
  { id: 'cet-240x320', title: '英语四六级考试', vendorSpec: '240x320', unit: 'px', widthPx: 240, heightPx: 320, dpi: 300, colors: ['blue', 'white'], common: 23 },
  { id: 'mandarin-proficiency-test', title: '普通话水平测试', vendorSpec: '390x567', unit: 'px', widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue'], common: 25 },
  { id: 'large-two-inch', title: '大二寸', vendorSpec: '35x53', unit: 'mm', widthMm: 35, heightMm: 53, widthPx: 413, heightPx: 626, dpi: 300, colors: ['blue', 'white', 'red', 'blue_grey', 'blue_gradual', 'gray_gradual'], common: 6 },
  { id: 'law-enforcement-card', title: '执法证', vendorSpec: '265x351', unit: 'px', widthPx: 265, heightPx: 351, dpi: 300, colors: ['white'] },
  { id: 'campus-card', title: '校园卡', vendorSpec: '240x320', unit: 'px', widthPx: 240, heightPx: 320, dpi: 300, colors: ['blue'] },
  { id: 'constructor-grade-1-electronic', title: '一级建造师证（电子版）', vendorSpec: '472x630', unit: 'px', widthPx: 472, heightPx: 630, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'cet-144x192', title: '英语四六级考试', vendorSpec: '144x192', unit: 'px', widthPx: 144, heightPx: 192, dpi: 300, colors: ['blue', 'blue_gradual', 'white'] },
  { id: 'student-record', title: '学籍照片', vendorSpec: '358x441', unit: 'px', widthPx: 358, heightPx: 441, dpi: 300, colors: ['white'], common: 28 },
  { id: 'social-security-card-350dpi-50-100kb', title: '社保卡（350dpi， 无回执，50~100KB）', vendorSpec: '358x441', unit: 'px', widthPx: 358, heightPx: 441, dpi: 350, colors: ['white'], minKb: 50, maxKb: 100, common: 18 },
  { id: 'medical-insurance-card', title: '医保证', vendorSpec: '358x441', unit: 'px', widthPx: 358, heightPx: 441, dpi: 300, colors: ['white'], common: 20 },
  { id: 'thailand-visa', title: '泰国签证', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'] },
  { id: 'national-civil-service-exam-two-inch', title: '国考（二寸）', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'], common: 22 },
  { id: 'us-visa', title: '美国签证', vendorSpec: '51x51', unit: 'mm', widthMm: 51, heightMm: 51, widthPx: 602, heightPx: 602, dpi: 300, colors: ['white'], common: 11 },
  { id: 'five-inch', title: '五寸', vendorSpec: '89x127', unit: 'mm', widthMm: 89, heightMm: 127, widthPx: 1051, heightPx: 1500, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'] },
  { id: 'constructor-grade-2', title: '二级建造师证', vendorSpec: '295x413', unit: 'px', widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'] },
  { id: 'brazil-iceland-visa', title: '巴西、冰岛签证', vendorSpec: '40x50', unit: 'mm', widthMm: 40, heightMm: 50, widthPx: 472, heightPx: 591, dpi: 300, colors: ['white'] },
  { id: 'e-passport', title: '电子护照人像照片', vendorSpec: '33x48', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['white'], common: 7 },
  { id: 'taiwan-entry-permit', title: '入台证', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'], common: 10 },
  { id: 'school-enrolment', title: '入学照', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'] },
  { id: 'teacher-qualification', title: '教师资格证', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'], common: 24 },
  { id: 'health-certificate-one-inch', title: '健康证（一寸）', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'degree-english', title: '学位英语', vendorSpec: '390x567', unit: 'px', widthPx: 390, heightPx: 567, dpi: 300, colors: ['white'] },
  { id: 'gaokao-registration', title: '高考报名', vendorSpec: '420x560', unit: 'px', widthPx: 420, heightPx: 560, dpi: 300, colors: ['blue'], common: 27 },
  { id: 'social-security-card-350dpi-252x312', title: '社保卡（350dpi)', vendorSpec: '252x312', unit: 'px', widthPx: 252, heightPx: 312, dpi: 350, colors: ['white'] },
  { id: 'four-inch', title: '四寸', vendorSpec: '76x102', unit: 'mm', widthMm: 76, heightMm: 102, widthPx: 898, heightPx: 1205, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'] },
  { id: 'english-ab-exam', title: '英语AB级考试', vendorSpec: '390x567', unit: 'px', widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue'] },
  { id: 'enrolment-registration-one-inch', title: '入学报名（一寸）', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'] },
  { id: 'university-enrolment-small-two-inch', title: '大学入学（小二寸）', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue'] },
  { id: 'one-inch', title: '一寸', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'], common: 1 },
  { id: 'driving-licence-small-one-inch', title: '驾驶证、驾照（无回执，小一寸）', vendorSpec: '22x32', unit: 'mm', widthMm: 22, heightMm: 32, widthPx: 260, heightPx: 378, dpi: 300, colors: ['white'], common: 16 },
  { id: 'two-inch', title: '二寸', vendorSpec: '35x49', unit: 'mm', widthMm: 35, heightMm: 49, widthPx: 413, heightPx: 579, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'], common: 2 },
  { id: 'argentina-visa', title: '阿根廷签证', vendorSpec: '40x40', unit: 'mm', widthMm: 40, heightMm: 40, widthPx: 472, heightPx: 472, dpi: 300, colors: ['white'] },
  { id: 'kenya-visa', title: '肯尼亚签证', vendorSpec: '50x50', unit: 'mm', widthMm: 50, heightMm: 50, widthPx: 591, heightPx: 591, dpi: 300, colors: ['white'] },
  { id: 'cet-144x172', title: '英语四六级考试', vendorSpec: '144x172', unit: 'px', widthPx: 144, heightPx: 172, dpi: 300, colors: ['blue'] },
  { id: 'social-security-card-350dpi-10-20kb', title: '社保卡（350dpi， 无回执，10-20KB）', vendorSpec: '358x441', unit: 'px', widthPx: 358, heightPx: 441, dpi: 350, colors: ['white'], minKb: 10, maxKb: 20 },
  { id: 'malaysia-visa', title: '马来西亚签证', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'] },
  { id: 'vietnam-visa', title: '越南签证', vendorSpec: '40x60', unit: 'mm', widthMm: 40, heightMm: 60, widthPx: 472, heightPx: 709, dpi: 300, colors: ['white', 'blue', 'red'] },
  { id: 'taiwan-entry-permit-small-two-inch', title: '入台证（小二寸）', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'] },
  { id: 'medical-licensing-registration', title: '执业医师资格报名', vendorSpec: '354x472', unit: 'px', widthPx: 354, heightPx: 472, dpi: 300, colors: ['blue', 'white'] },
  { id: 'japan-visa', title: '日本签证', vendorSpec: '45x45', unit: 'mm', widthMm: 45, heightMm: 45, widthPx: 531, heightPx: 531, dpi: 300, colors: ['white'], common: 12 },
  { id: 'residence-permit', title: '居住证', vendorSpec: '26x32', unit: 'mm', widthMm: 26, heightMm: 32, widthPx: 307, heightPx: 378, dpi: 300, colors: ['white'], common: 19 },
  { id: 'three-inch', title: '三寸', vendorSpec: '55x84', unit: 'mm', widthMm: 55, heightMm: 84, widthPx: 650, heightPx: 992, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'resume-one-inch', title: '简历照片（一寸）', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'], common: 29 },
  { id: 'national-judicial-exam', title: '国家司法考试', vendorSpec: '413x626', unit: 'px', widthPx: 413, heightPx: 626, dpi: 300, colors: ['blue'] },
  { id: 'accounting-qualification', title: '会计从业资格证', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'] },
  { id: 'hk-macau-travel-permit', title: '港澳通行证', vendorSpec: '33x48', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['white'], common: 9 },
  { id: 'india-visa', title: '印度签证', vendorSpec: '51x51', unit: 'mm', widthMm: 51, heightMm: 51, widthPx: 602, heightPx: 602, dpi: 300, colors: ['white'] },
  { id: 'new-zealand-visa', title: '新西兰签证', vendorSpec: '76x102', unit: 'mm', widthMm: 76, heightMm: 102, widthPx: 898, heightPx: 1205, dpi: 300, colors: ['white'] },
  { id: 'id-card', title: '身份证（无回执）', vendorSpec: '26x32', unit: 'mm', widthMm: 26, heightMm: 32, widthPx: 307, heightPx: 378, dpi: 300, colors: ['white'], common: 15 },
  { id: 'universal-visa', title: '世界通用签证', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'], common: 14 },
  { id: 'visa-capture', title: '签证采集', vendorSpec: '30x40', unit: 'mm', widthMm: 30, heightMm: 40, widthPx: 354, heightPx: 472, dpi: 300, colors: ['white'], common: 30 },
  { id: 'korea-visa', title: '韩国签证', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'], common: 13 },
  { id: 'civil-service-exam', title: '公务员考试', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'red', 'white'], common: 21 },
  { id: 'small-two-inch', title: '小二寸', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'], common: 4 },
  { id: 'licensed-pharmacist-one-inch', title: '执业药师资格考试（一寸）', vendorSpec: '295x413', unit: 'px', widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'licensed-pharmacist-two-inch', title: '执业药师资格考试（二寸）', vendorSpec: '413x579', unit: 'px', widthPx: 413, heightPx: 579, dpi: 300, colors: ['blue', 'white'] },
  { id: 'israel-visa', title: '以色列签证', vendorSpec: '51x51', unit: 'mm', widthMm: 51, heightMm: 51, widthPx: 602, heightPx: 602, dpi: 300, colors: ['white'] },
  { id: 'italy-visa', title: '意大利签证', vendorSpec: '35x40', unit: 'mm', widthMm: 35, heightMm: 40, widthPx: 413, heightPx: 472, dpi: 300, colors: ['white'] },
  { id: 'constructor-grade-1-electronic-2', title: '一级建造师证（电子版）', vendorSpec: '472x630', unit: 'px', widthPx: 472, heightPx: 630, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'overseas-passport-appointment', title: '海外申请护照在线预约照片', vendorSpec: '33x48', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['white'], common: 8 },
  { id: 'nurse-licensing-exam-20-45kb', title: '护士执业资格考试(20~45kb)', vendorSpec: '160x210', unit: 'px', widthPx: 160, heightPx: 210, dpi: 300, colors: ['white'], minKb: 20, maxKb: 45 },
  { id: 'civil-service-registration-20kb', title: '公务员考试报名', vendorSpec: '340x450(20k以内)', unit: 'px', widthPx: 340, heightPx: 450, dpi: 300, colors: ['blue', 'white'], maxKb: 20 },
  { id: 'rujin-permit', title: '入金证', vendorSpec: '35x45', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['white'] },
  { id: 'social-security-card-350dpi-over-100kb', title: '社保卡（350dpi， 无回执，大于100KB）', vendorSpec: '358x441', unit: 'px', widthPx: 358, heightPx: 441, dpi: 350, colors: ['white'], minKb: 100 },
  { id: 'adult-self-study-exam-bachelor', title: '成人自考（本科）', vendorSpec: '480x720', unit: 'px', widthPx: 480, heightPx: 720, dpi: 300, colors: ['blue', 'white'] },
  { id: 'self-study-degree-language-exam', title: '自考学位外语考试（390x567）', vendorSpec: '390x567', unit: 'px', widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue', 'white'] },
  { id: 'cet-4-480x640', title: '英语四级考试', vendorSpec: '480x640，100KB', unit: 'px', widthPx: 480, heightPx: 640, dpi: 300, colors: ['blue'], maxKb: 100 },
  { id: 'constructor-grade-2-tianjin', title: '二级建造师（天津）', vendorSpec: '160x200，20~40kb', unit: 'px', widthPx: 160, heightPx: 200, dpi: 300, colors: ['blue', 'white'], minKb: 20, maxKb: 40 },
  { id: 'constructor-grade-2-hunan', title: '二级建造师（湖南）', vendorSpec: '130x170', unit: 'px', widthPx: 130, heightPx: 170, dpi: 300, colors: ['blue', 'white'] },
  { id: 'social-security-350dpi-30-60kb', title: '社保证（350dpi， 无回执，30~60kb）', vendorSpec: '358x441', unit: 'px', widthPx: 358, heightPx: 441, dpi: 350, colors: ['white'], minKb: 30, maxKb: 60 },
  { id: 'english-ab-exam-144x192', title: '英语AB级考试(144X192)', vendorSpec: '144x192', unit: 'px', widthPx: 144, heightPx: 192, dpi: 300, colors: ['blue', 'white'] },
  { id: 'english-level-3-exam', title: '英语三级考试', vendorSpec: '144x192', unit: 'px', widthPx: 144, heightPx: 192, dpi: 300, colors: ['blue', 'white'] },
  { id: 'civil-service-exam-130x170', title: '公务员考试(130X170)', vendorSpec: '130X170', unit: 'px', widthPx: 130, heightPx: 170, dpi: 300, colors: ['white'] },
  { id: 'constructor-grade-2-tibet', title: '二级建造师（西藏）', vendorSpec: '455x661', unit: 'px', widthPx: 455, heightPx: 661, dpi: 300, colors: ['blue'] },
  { id: 'national-civil-service-exam', title: '国家公务员考试', vendorSpec: '25x35', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'insurance-professional-certification', title: '保险职业认证', vendorSpec: '210x270（10-25K）', unit: 'px', widthPx: 210, heightPx: 270, dpi: 300, colors: ['white'], minKb: 10, maxKb: 25 },
  { id: 'cpa-exam-178x220', title: '注册会计师考试（178x220）', vendorSpec: '15x19', unit: 'mm', widthMm: 15, heightMm: 19, widthPx: 178, heightPx: 220, dpi: 300, colors: ['white'] },
  { id: 'insurance-professional-card', title: '保险职业证', vendorSpec: '210x370（10-25K）', unit: 'px', widthPx: 210, heightPx: 370, dpi: 300, colors: ['white'], minKb: 10, maxKb: 25 },
  { id: 'ncre', title: '全国计算机等级考试', vendorSpec: '33x48', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue', 'white'], common: 26 },
  { id: 'public-institution-recruitment', title: '事业单位招聘', vendorSpec: '90x120', unit: 'px', widthPx: 90, heightPx: 120, dpi: 300, colors: ['blue'] },
  { id: 'english-level-3', title: '英语三级', vendorSpec: '33x48', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue', 'white'] },
  { id: 'half-length-professional', title: '半身职业照', vendorSpec: '850x1200', unit: 'px', widthPx: 850, heightPx: 1200, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'red_gradual', 'white', 'gray_gradual'] },
  { id: 'adult-self-study-exam-480x640', title: '成人自考', vendorSpec: '480x640', unit: 'px', widthPx: 480, heightPx: 640, dpi: 300, colors: ['blue'] },
  { id: 'hd-id-photo', title: '高清证件照', vendorSpec: '1000x1400', unit: 'px', widthPx: 1000, heightPx: 1400, dpi: 300, colors: ['blue', 'blue_gradual', 'red', 'white'] },
  { id: 'adult-college-entrance-exam', title: '成人高考报名', vendorSpec: '295x413', unit: 'px', widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue'] },
  { id: 'vehicle-terminal', title: '车载终端照片', vendorSpec: '96x128', unit: 'px', widthPx: 96, heightPx: 128, dpi: 300, colors: ['red'] },
  { id: 'hebei-social-security-card', title: '河北社保卡（300dpi， 无回执，小于100KB）', vendorSpec: '358x441, 300dpi', unit: 'px', widthPx: 358, heightPx: 441, dpi: 300, colors: ['white'], maxKb: 100 },
  { id: 'teacher-qualification-200kb', title: '教师资格证', vendorSpec: '150x200像素，不大于200K', unit: 'px', widthPx: 150, heightPx: 200, dpi: 300, colors: ['white'], maxKb: 200 },
  { id: 'health-professional-qualification-exam', title: '卫生专业技术资格考试', vendorSpec: '35mmx45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'guizhou-civil-service-exam', title: '贵州公务员考试', vendorSpec: '35x49mm', unit: 'mm', widthMm: 35, heightMm: 49, widthPx: 413, heightPx: 579, dpi: 300, colors: ['blue', 'white'] },
  { id: 'hainan-civil-service', title: '海南公务员', vendorSpec: '14x18mm', unit: 'mm', widthMm: 14, heightMm: 18, widthPx: 165, heightPx: 213, dpi: 300, colors: ['blue', 'white', 'red'] },
  { id: 'hubei-civil-service-exam', title: '湖北公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'jiangxi-civil-service-exam', title: '江西公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'shandong-civil-service-exam', title: '山东公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'chengdu-civil-service', title: '成都公务员', vendorSpec: '9x11mm', unit: 'mm', widthMm: 9, heightMm: 11, widthPx: 106, heightPx: 130, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'shenzhen-civil-service', title: '深圳公务员', vendorSpec: '13x18mm', unit: 'mm', widthMm: 13, heightMm: 18, widthPx: 154, heightPx: 213, dpi: 300, colors: ['blue', 'red'] },
  { id: 'national-civil-service-exam-100x140', title: '国考（100x140）', vendorSpec: '8x12mm', unit: 'mm', widthMm: 8, heightMm: 12, widthPx: 100, heightPx: 140, dpi: 300, colors: ['blue'] },
  { id: 'national-civil-service-exam-99x128', title: '国考（99x128）', vendorSpec: '8x11mm', unit: 'mm', widthMm: 8, heightMm: 11, widthPx: 99, heightPx: 128, dpi: 300, colors: ['blue'] },
  { id: 'gansu-national-civil-service-exam', title: '甘肃省（国考）', vendorSpec: '18x25mm', unit: 'mm', widthMm: 18, heightMm: 25, widthPx: 213, heightPx: 295, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'jiangxi-national-civil-service-exam', title: '江西省（国考）', vendorSpec: '8x11mm', unit: 'mm', widthMm: 8, heightMm: 11, widthPx: 94, heightPx: 130, dpi: 300, colors: ['blue'] },
  { id: 'ningxia-national-civil-service-exam', title: '宁夏回族自治区（国考）', vendorSpec: '18x25mm', unit: 'mm', widthMm: 18, heightMm: 25, widthPx: 213, heightPx: 295, dpi: 300, colors: ['blue'] },
  { id: 'qinghai-national-civil-service-exam', title: '青海省（国考）', vendorSpec: '10x15mm', unit: 'mm', widthMm: 10, heightMm: 15, widthPx: 118, heightPx: 177, dpi: 300, colors: ['blue'] },
  { id: 'shandong-national-civil-service-exam', title: '山东省（国考）', vendorSpec: '10x13mm', unit: 'mm', widthMm: 10, heightMm: 13, widthPx: 118, heightPx: 154, dpi: 300, colors: ['blue'] },
  { id: 'shanghai-national-civil-service-exam', title: '上海市（国考）', vendorSpec: '18x25mm', unit: 'mm', widthMm: 18, heightMm: 25, widthPx: 213, heightPx: 295, dpi: 300, colors: ['blue'] },
  { id: 'zhejiang-national-civil-service-exam', title: '浙江省（国考）', vendorSpec: '8x12mm', unit: 'mm', widthMm: 8, heightMm: 12, widthPx: 94, heightPx: 142, dpi: 300, colors: ['blue'] },
  { id: 'teacher-qualification-180x240', title: '教师资格证（180x240）', vendorSpec: '15x20mm', unit: 'mm', widthMm: 15, heightMm: 20, widthPx: 180, heightPx: 240, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'china-teacher-qualification', title: '中国教师资格证', vendorSpec: '10x13mm', unit: 'mm', widthMm: 10, heightMm: 13, widthPx: 118, heightPx: 154, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'fujian-teacher-qualification', title: '福建教师资格证', vendorSpec: '25x34mm', unit: 'mm', widthMm: 25, heightMm: 34, widthPx: 295, heightPx: 402, dpi: 300, colors: ['white'] },
  { id: 'teacher-qualification-150x200', title: '教师资格证（150x200）', vendorSpec: '13x17mm', unit: 'mm', widthMm: 13, heightMm: 17, widthPx: 150, heightPx: 200, dpi: 300, colors: ['white'] },
  { id: 'teacher-qualification-384x512', title: '教师资格证（384x512）', vendorSpec: '32x43mm', unit: 'mm', widthMm: 32, heightMm: 43, widthPx: 384, heightPx: 512, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'teacher-qualification-360x480', title: '教师资格证（360x480）', vendorSpec: '30x41mm', unit: 'mm', widthMm: 30, heightMm: 41, widthPx: 360, heightPx: 480, dpi: 300, colors: ['white'] },
  { id: 'nurse-licensing-exam-120x160', title: '护士执业资格考试（120x160）', vendorSpec: '10x13mm', unit: 'mm', widthMm: 10, heightMm: 13, widthPx: 120, heightPx: 160, dpi: 300, colors: ['white'] },
  { id: 'icbc-application-100x140', title: '工商银行网申（100x140）', vendorSpec: '8x12mm', unit: 'mm', widthMm: 8, heightMm: 12, widthPx: 100, heightPx: 140, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'ccb-application', title: '建设银行网申', vendorSpec: '10x13mm', unit: 'mm', widthMm: 10, heightMm: 13, widthPx: 118, heightPx: 154, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'pboc-application', title: '中国人民银行网申', vendorSpec: '17x22mm', unit: 'mm', widthMm: 17, heightMm: 22, widthPx: 201, heightPx: 260, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'icbc-application-240x370', title: '工商银行网申（240x370）', vendorSpec: '20x31mm', unit: 'mm', widthMm: 20, heightMm: 31, widthPx: 240, heightPx: 370, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'icbc-application-lifestyle', title: '工商银行网申生活照', vendorSpec: '20x27mm', unit: 'mm', widthMm: 20, heightMm: 27, widthPx: 236, heightPx: 319, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'bank-of-china', title: '中国银行', vendorSpec: '26x35mm', unit: 'mm', widthMm: 26, heightMm: 35, widthPx: 307, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'bank-of-communications', title: '中国交通银行', vendorSpec: '26x35mm', unit: 'mm', widthMm: 26, heightMm: 35, widthPx: 307, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'postal-savings-bank', title: '中国储蓄银行', vendorSpec: '6x8mm', unit: 'mm', widthMm: 6, heightMm: 8, widthPx: 71, heightPx: 94, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'financial-services-planner', title: '金融服务师', vendorSpec: '8x12mm', unit: 'mm', widthMm: 8, heightMm: 12, widthPx: 94, heightPx: 142, dpi: 300, colors: ['blue'] },
  { id: 'public-institution', title: '事业单位', vendorSpec: '10x13mm', unit: 'mm', widthMm: 10, heightMm: 13, widthPx: 118, heightPx: 154, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'ningde-public-institution', title: '宁德事业单位', vendorSpec: '22x29mm', unit: 'mm', widthMm: 22, heightMm: 29, widthPx: 260, heightPx: 343, dpi: 300, colors: ['blue', 'blue_gradual'] },
  { id: 'shijiazhuang-railway-graduation', title: '石家庄铁路职专毕业照', vendorSpec: '480x640，10-40KB', unit: 'px', widthPx: 480, heightPx: 640, dpi: 300, colors: ['blue'], minKb: 10, maxKb: 40 },
  { id: 'shanghai-public-institution', title: '上海事业单位', vendorSpec: '120x168px', unit: 'px', widthPx: 120, heightPx: 168, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'bim-skills-exam', title: 'BIM技能等级考试', vendorSpec: '250x350，20-40KB', unit: 'px', widthPx: 250, heightPx: 350, dpi: 300, colors: ['white'], minKb: 20, maxKb: 40 },
  { id: 'securities-exam-registration', title: '证券考试报名', vendorSpec: '215x300px', unit: 'px', widthPx: 215, heightPx: 300, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'business-english-exam', title: '商务英语考试', vendorSpec: '25x34mm', unit: 'mm', widthMm: 25, heightMm: 34, widthPx: 295, heightPx: 402, dpi: 300, colors: ['blue', 'white'] },
  { id: 'shanxi-ncre', title: '山西省全国计算机等级考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'henan-computer-level-2', title: '河南计算机二级考试', vendorSpec: '33x48mm', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'shanghai-zhongkao-registration', title: '上海中考网报名', vendorSpec: '14x20mm', unit: 'mm', widthMm: 14, heightMm: 20, widthPx: 165, heightPx: 236, dpi: 300, colors: ['blue', 'red', 'white', 'blue_gradual'] },
  { id: 'hong-kong-student-registration', title: '香港学生国内报名', vendorSpec: '14x20mm', unit: 'mm', widthMm: 14, heightMm: 20, widthPx: 165, heightPx: 236, dpi: 300, colors: ['blue', 'red', 'white', 'blue_gradual'] },
  { id: 'whu-postgraduate-exam', title: '武汉大学研究生考试', vendorSpec: '13x17mm', unit: 'mm', widthMm: 13, heightMm: 17, widthPx: 154, heightPx: 201, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'zuel-enrolment-exam', title: '中南财经政法大学入学考试报名', vendorSpec: '15x20mm', unit: 'mm', widthMm: 15, heightMm: 20, widthPx: 177, heightPx: 236, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'xmu-diploma', title: '厦门大学毕业证', vendorSpec: '39x54mm', unit: 'mm', widthMm: 39, heightMm: 54, widthPx: 461, heightPx: 638, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'in-service-postgraduate-exam', title: '在职研究生考试', vendorSpec: '33x48mm', unit: 'mm', widthMm: 33, heightMm: 48, widthPx: 390, heightPx: 567, dpi: 300, colors: ['blue', 'red'] },
  { id: 'jiangsu-self-study-exam', title: '江苏自考', vendorSpec: '30x41mm', unit: 'mm', widthMm: 30, heightMm: 41, widthPx: 354, heightPx: 484, dpi: 300, colors: ['blue', 'blue_gradual', 'white'] },
  { id: 'driving-licence-one-inch', title: '驾驶证、驾照（无回执，一寸）', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'], common: 17 },
  { id: 'e-tour-guide-card', title: '电子导游证', vendorSpec: '35x53mm', unit: 'mm', widthMm: 35, heightMm: 53, widthPx: 413, heightPx: 626, dpi: 300, colors: ['white'] },
  { id: 'teacher-recruitment', title: '教师招聘报名', vendorSpec: '9x12mm', unit: 'mm', widthMm: 9, heightMm: 12, widthPx: 106, heightPx: 142, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'special-recruitment', title: '特殊招聘要求', vendorSpec: '20x27mm', unit: 'mm', widthMm: 20, heightMm: 27, widthPx: 236, heightPx: 319, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'childcare-exam-small-two-inch', title: '育婴师考试报名（小二寸）', vendorSpec: '35x49mm', unit: 'mm', widthMm: 35, heightMm: 49, widthPx: 413, heightPx: 579, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'fire-engineer-grade-1-exam', title: '一级注册消防工程师考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'constructor-grade-1', title: '一级建造师', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'junior-nurse', title: '初级护师', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'national-medical-exam', title: '国家医学考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'nurse-qualification-exam', title: '护士职业资格考试', vendorSpec: '14x18mm', unit: 'mm', widthMm: 14, heightMm: 18, widthPx: 165, heightPx: 213, dpi: 300, colors: ['blue', 'red', 'white'] },
  { id: 'guangzhou-civil-service-exam', title: '广州公务员考试', vendorSpec: '35x49mm', unit: 'mm', widthMm: 35, heightMm: 49, widthPx: 413, heightPx: 579, dpi: 300, colors: ['blue', 'white'] },
  { id: 'chongqing-civil-service-exam', title: '重庆公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'heilongjiang-civil-service-exam', title: '黑龙江公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'yunnan-civil-service-exam', title: '云南公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'sichuan-civil-service-exam', title: '四川公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'guangxi-civil-service-exam', title: '广西公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'shanxi-civil-service-exam', title: '山西公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'hebei-civil-service-exam', title: '河北公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'shanghai-civil-service-exam', title: '上海公务员考试', vendorSpec: '13x17mm', unit: 'mm', widthMm: 13, heightMm: 17, widthPx: 154, heightPx: 201, dpi: 300, colors: ['blue', 'white'] },
  { id: 'ningxia-civil-service-exam', title: '宁夏公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'shaanxi-civil-service-exam', title: '陕西公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'henan-civil-service-exam', title: '河南公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'jiangsu-civil-service-exam', title: '江苏公务员考试', vendorSpec: '34x45mm', unit: 'mm', widthMm: 34, heightMm: 45, widthPx: 402, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'anhui-civil-service-exam', title: '安徽公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'hunan-civil-service-exam', title: '湖南公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'beijing-civil-service-exam', title: '北京公务员考试', vendorSpec: '35x53mm', unit: 'mm', widthMm: 35, heightMm: 53, widthPx: 413, heightPx: 626, dpi: 300, colors: ['blue', 'white'] },
  { id: 'chengdu-civil-service-exam', title: '成都公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'gansu-civil-service-exam', title: '甘肃公务员考试', vendorSpec: '35x49mm', unit: 'mm', widthMm: 35, heightMm: 49, widthPx: 413, heightPx: 579, dpi: 300, colors: ['blue', 'white'] },
  { id: 'qinghai-civil-service-exam', title: '青海公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'xinjiang-civil-service-exam', title: '新疆公务员考试', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'tibet-civil-service-exam', title: '西藏公务员考试', vendorSpec: '35x45mm', unit: 'mm', widthMm: 35, heightMm: 45, widthPx: 413, heightPx: 531, dpi: 300, colors: ['blue', 'white'] },
  { id: 'three-supports-one-assistance-shandong', title: '三支一扶山东', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white'] },
  { id: 'shanxi-provincial-institution-exam', title: '山西省省直事业单位考试报名', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['blue', 'white', 'red'] },
  { id: 'youth-programming-exam', title: '青少年软件编程等级考试', vendorSpec: '41x62mm', unit: 'mm', widthMm: 41, heightMm: 62, widthPx: 484, heightPx: 732, dpi: 300, colors: ['blue', 'red'] },
  { id: 'youth-robotics-exam', title: '青少年机器人技术等级考试', vendorSpec: '41x62mm', unit: 'mm', widthMm: 41, heightMm: 62, widthPx: 484, heightPx: 732, dpi: 300, colors: ['blue', 'red'] },
  { id: 'computer-application-exam', title: '计算机应用能力考试报名', vendorSpec: '25x35mm', unit: 'mm', widthMm: 25, heightMm: 35, widthPx: 295, heightPx: 413, dpi: 300, colors: ['white'] },
  { id: 'veteran-preferential-card', title: '退役军人优待证', vendorSpec: '30x37mm', unit: 'mm', widthMm: 30, heightMm: 37, widthPx: 354, heightPx: 437, dpi: 300, colors: ['white'] },
  { id: 'university-student-image-capture', title: '大学生图像信息采集', vendorSpec: '41x54mm', unit: 'mm', widthMm: 41, heightMm: 54, widthPx: 484, heightPx: 638, dpi: 300, colors: ['blue'] },
  { id: 'veteran-preferential-card-2', title: '退役军人优待证', vendorSpec: '30x37mm', unit: 'mm', widthMm: 30, heightMm: 37, widthPx: 354, heightPx: 437, dpi: 300, colors: ['white'] },
];

// ---------------------------------------------------------------------------------------------

let byId: Map<string, IdPhotoSpec> | undefined;

/** The spec with this id, or undefined. */
export function findSpec(id: string): IdPhotoSpec | undefined {
  byId ??= new Map(ID_PHOTO_SPECS.map((spec) => [spec.id, spec]));
  return byId.get(id);
}

/** The allowed background colours of a spec (or of a spec id; empty for an unknown id). */
export function specColors(spec: IdPhotoSpec | string): IdPhotoColor[] {
  const found = typeof spec === 'string' ? findSpec(spec) : spec;
  return found ? [...found.colors] : [];
}

const searchText = (text: string): string => normalize(text).toLowerCase().replace(/[-_]+/g, ' ');

/**
 * Specs matching a query, most useful first. Case-insensitive, full-width/half-width
 * insensitive substring search; every whitespace-separated term must match. `lang` picks what is
 * searched: 'zh-CN' the title, 'en' the id's words (`one inch`, `us visa`); by default both.
 * The size written in the spec cell (`35x45`) is searched in every language. Order: exact title
 * (or id) matches first, then by `common` rank, then the document's order. An empty query
 * returns the whole catalogue in that order.
 */
export function searchSpecs(query: string, lang?: Lang): IdPhotoSpec[] {
  const q = searchText(query).trim();
  const terms = q.split(/\s+/).filter((term) => term !== '');
  const hits: { spec: IdPhotoSpec; exact: boolean; index: number }[] = [];
  ID_PHOTO_SPECS.forEach((spec, index) => {
    const title = searchText(spec.title);
    const id = searchText(spec.id);
    const fields = [searchText(spec.vendorSpec)];
    if (lang !== 'en') fields.push(title);
    if (lang !== 'zh-CN') fields.push(id);
    const haystack = fields.join('\n');
    if (!terms.every((term) => haystack.includes(term))) return;
    const exact = q !== '' && ((lang !== 'en' && title === q) || (lang !== 'zh-CN' && id === q));
    hits.push({ spec, exact, index });
  });
  const rank = (spec: IdPhotoSpec) => spec.common ?? Number.POSITIVE_INFINITY;
  hits.sort((a, b) => Number(b.exact) - Number(a.exact) || rank(a.spec) - rank(b.spec) || a.index - b.index);
  return hits.map((hit) => hit.spec);
}
