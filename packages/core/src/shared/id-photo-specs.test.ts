// The ID photo spec catalogue against the vendor document it came from: the test parses the
// document's spec table and re-applies THE RULE (parseSpecRow) to every row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ID_PHOTO_COLORS,
  ID_PHOTO_SPECS,
  findSpec,
  mmToPx,
  parseDpi,
  parseKbRange,
  parseSpecRow,
  parseSpecTable,
  parseTitlePx,
  searchSpecs,
  specColors,
  type IdPhotoSpec,
} from './id-photo-specs.ts';

// The document sits next to the repository (../shared/seeds from the repo root).
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const docPath = [`${repoRoot}../shared/seeds/id-photo-api.txt`, '/work/shared/seeds/id-photo-api.txt'].find((path) => existsSync(path));

const byTitle = (title: string, vendorSpec?: string): IdPhotoSpec => {
  const spec = ID_PHOTO_SPECS.find((s) => s.title === title && (vendorSpec === undefined || s.vendorSpec === vendorSpec));
  assert.ok(spec, `no spec ${title} ${vendorSpec ?? ''}`);
  return spec;
};

test('the document has 181 spec rows and every one is in the catalogue as THE RULE resolves it', () => {
  assert.ok(docPath, 'the vendor document id-photo-api.txt is beside the repository (../shared/seeds)');
  const rows = parseSpecTable(readFileSync(docPath!, 'utf8'));
  assert.equal(rows.length, 181);
  const unused = [...ID_PHOTO_SPECS];
  for (const row of rows) {
    const at = unused.findIndex((spec) => spec.title === row.title && spec.vendorSpec === row.vendorSpec);
    assert.ok(at >= 0, `row missing from the catalogue: ${row.title} | ${row.vendorSpec}`);
    const [spec] = unused.splice(at, 1);
    const { id: _id, common: _common, ...derived } = spec;
    assert.deepEqual(derived, parseSpecRow(row), `${spec.id} differs from the document`);
  }
  assert.equal(unused.length, 0);
  // and in the document's order
  assert.deepEqual(
    ID_PHOTO_SPECS.map((spec) => [spec.title, spec.vendorSpec]),
    rows.map((row) => [row.title, row.vendorSpec]),
  );
});

test('exactly 181 specs with unique slug ids', () => {
  assert.equal(ID_PHOTO_SPECS.length, 181);
  assert.equal(new Set(ID_PHOTO_SPECS.map((spec) => spec.id)).size, 181);
  for (const spec of ID_PHOTO_SPECS) assert.match(spec.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, spec.id);
});

test('every spec has positive integer pixels, a DPI and at least one known colour', () => {
  for (const spec of ID_PHOTO_SPECS) {
    for (const n of [spec.widthPx, spec.heightPx, spec.dpi]) assert.ok(Number.isInteger(n) && n > 0, `${spec.id}: ${n}`);
    assert.ok(spec.colors.length >= 1, spec.id);
    for (const color of spec.colors) assert.ok((ID_PHOTO_COLORS as readonly string[]).includes(color), `${spec.id}: ${color}`);
    if (spec.minKb !== undefined && spec.maxKb !== undefined) assert.ok(spec.minKb < spec.maxKb, spec.id);
  }
});

test('mm specs keep millimetres and convert at their DPI; a pixel size in the title stays within 1 mm', () => {
  for (const spec of ID_PHOTO_SPECS) {
    if (spec.unit === 'px') {
      assert.equal(spec.widthMm, undefined, spec.id);
      assert.equal(spec.heightMm, undefined, spec.id);
      continue;
    }
    assert.ok(spec.widthMm && spec.heightMm, spec.id);
    if (parseTitlePx(spec.title)) {
      assert.ok(Math.abs((spec.widthPx / spec.dpi) * 25.4 - spec.widthMm) < 1, spec.id);
      assert.ok(Math.abs((spec.heightPx / spec.dpi) * 25.4 - spec.heightMm) < 1, spec.id);
    } else {
      assert.equal(spec.widthPx, mmToPx(spec.widthMm, spec.dpi), spec.id);
      assert.equal(spec.heightPx, mmToPx(spec.heightMm, spec.dpi), spec.id);
    }
  }
});

test('known rows resolve as Chinese ID photo practice says', () => {
  const check = (spec: IdPhotoSpec, unit: 'px' | 'mm', w: number, h: number, dpi = 300) =>
    assert.deepEqual([spec.unit, spec.widthPx, spec.heightPx, spec.dpi], [unit, w, h, dpi], spec.id);
  check(byTitle('小一寸'), 'mm', 260, 378);
  check(byTitle('一寸'), 'mm', 295, 413);
  check(byTitle('二寸'), 'mm', 413, 579);
  check(byTitle('小二寸'), 'mm', 413, 531);
  check(byTitle('大一寸'), 'mm', 390, 567);
  check(byTitle('导游证'), 'px', 285, 385);
  // the edge of the unit rule: largest unlabelled mm rows and smallest unlabelled px rows
  check(byTitle('五寸'), 'mm', 1051, 1500);
  check(byTitle('四寸'), 'mm', 898, 1205);
  check(byTitle('新西兰签证'), 'mm', 898, 1205);
  check(byTitle('事业单位招聘'), 'px', 90, 120);
  check(byTitle('车载终端照片'), 'px', 96, 128);
  check(byTitle('二级建造师（湖南）'), 'px', 130, 170);
  check(byTitle('执业药师资格考试（一寸）'), 'px', 295, 413);
  // units written in the cell
  check(byTitle('卫生专业技术资格考试'), 'mm', 413, 531);
  check(byTitle('上海事业单位'), 'px', 120, 168);
  check(byTitle('教师资格证', '150x200像素，不大于200K'), 'px', 150, 200);
  check(byTitle('公务员考试(130X170)'), 'px', 130, 170);
  // a pixel size in the title wins over the rounded millimetres
  check(byTitle('国考（100x140）'), 'mm', 100, 140);
  check(byTitle('注册会计师考试（178x220）'), 'mm', 178, 220);
  assert.deepEqual([byTitle('国考（100x140）').widthMm, byTitle('国考（100x140）').heightMm], [8, 12]);
  // DPI in the title or cell
  check(byTitle('社保卡（350dpi， 无回执，50~100KB）'), 'px', 358, 441, 350);
  check(byTitle('社保卡（350dpi)'), 'px', 252, 312, 350);
  check(byTitle('河北社保卡（300dpi， 无回执，小于100KB）'), 'px', 358, 441, 300);
});

test('file-size limits in titles and cells', () => {
  const kb = (spec: IdPhotoSpec) => [spec.minKb, spec.maxKb];
  assert.deepEqual(kb(byTitle('社保卡（350dpi， 无回执，50~100KB）')), [50, 100]);
  assert.deepEqual(kb(byTitle('社保卡（350dpi， 无回执，10-20KB）')), [10, 20]);
  assert.deepEqual(kb(byTitle('社保卡（350dpi， 无回执，大于100KB）')), [100, undefined]);
  assert.deepEqual(kb(byTitle('河北社保卡（300dpi， 无回执，小于100KB）')), [undefined, 100]);
  assert.deepEqual(kb(byTitle('公务员考试报名')), [undefined, 20]);
  assert.deepEqual(kb(byTitle('保险职业认证')), [10, 25]);
  assert.deepEqual(kb(byTitle('教师资格证', '150x200像素，不大于200K')), [undefined, 200]);
  assert.deepEqual(kb(byTitle('社保证（350dpi， 无回执，30~60kb）')), [30, 60]);
  assert.deepEqual(kb(byTitle('护士执业资格考试(20~45kb)')), [20, 45]);
  assert.deepEqual(kb(byTitle('英语四级考试')), [undefined, 100]);
  assert.deepEqual(kb(byTitle('导游证')), [undefined, undefined]);
  assert.equal(ID_PHOTO_SPECS.filter((spec) => spec.minKb !== undefined || spec.maxKb !== undefined).length, 14);
});

test('parseKbRange', () => {
  assert.deepEqual(parseKbRange('50~100KB'), { minKb: 50, maxKb: 100 });
  assert.deepEqual(parseKbRange('20k以内'), { maxKb: 20 });
  assert.deepEqual(parseKbRange('10-25K'), { minKb: 10, maxKb: 25 });
  assert.deepEqual(parseKbRange('不大于200K'), { maxKb: 200 });
  assert.deepEqual(parseKbRange('30~60kb'), { minKb: 30, maxKb: 60 });
  assert.deepEqual(parseKbRange('210x270（10-25K）'), { minKb: 10, maxKb: 25 });
  assert.deepEqual(parseKbRange('20～45ＫＢ'), { minKb: 20, maxKb: 45 });
  assert.deepEqual(parseKbRange('大于100KB'), { minKb: 100 });
  assert.deepEqual(parseKbRange('小于100KB'), { maxKb: 100 });
  assert.deepEqual(parseKbRange('30KB以上'), { minKb: 30 });
  assert.deepEqual(parseKbRange('480x640，100KB'), { maxKb: 100 });
  assert.deepEqual(parseKbRange('社保卡（350dpi， 无回执）'), {});
  assert.deepEqual(parseKbRange('358x441, 300dpi'), {});
});

test('parseDpi and mmToPx', () => {
  assert.equal(parseDpi('社保卡（350dpi， 无回执，50~100KB）'), 350);
  assert.equal(parseDpi('358x441, 300dpi'), 300);
  assert.equal(parseDpi('300 DPI'), 300);
  assert.equal(parseDpi('一寸'), undefined);
  assert.equal(mmToPx(25, 300), 295);
  assert.equal(mmToPx(35, 300), 413);
  assert.equal(mmToPx(49, 300), 579);
  assert.equal(mmToPx(26, 350), 358);
  assert.equal(mmToPx(32, 350), 441);
});

test('parseSpecRow on a row', () => {
  assert.deepEqual(parseSpecRow({ title: '小一寸', vendorSpec: '22x32', colorText: 'blue, white,red' }), {
    title: '小一寸',
    vendorSpec: '22x32',
    unit: 'mm',
    widthMm: 22,
    heightMm: 32,
    widthPx: 260,
    heightPx: 378,
    dpi: 300,
    colors: ['blue', 'white', 'red'],
  });
  assert.throws(() => parseSpecRow({ title: 'x', vendorSpec: '22x32', colorText: 'purple' }), /colour/);
  assert.throws(() => parseSpecRow({ title: 'x', vendorSpec: 'big', colorText: 'blue' }), /size/);
});

test('searchSpecs: exact title first, then common ones, case- and width-insensitive', () => {
  const oneInch = searchSpecs('一寸');
  assert.equal(oneInch[0].title, '一寸');
  assert.ok(oneInch.length > 5);
  for (const spec of oneInch) assert.ok(spec.title.includes('一寸'), spec.title);
  const ranks = oneInch.slice(1).map((spec) => spec.common ?? Infinity);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  assert.equal(searchSpecs('小一寸')[0].title, '小一寸');
  assert.equal(searchSpecs('bim')[0].title, 'BIM技能等级考试');
  assert.equal(searchSpecs('英语ab级考试（144x192）')[0].title, '英语AB级考试(144X192)');
  assert.ok(searchSpecs('公务员 山东').every((spec) => spec.title.includes('公务员') && spec.title.includes('山东')));
  assert.ok(searchSpecs('公务员 山东').length >= 1);
  assert.equal(searchSpecs('US visa', 'en')[0].id, 'us-visa');
  assert.equal(searchSpecs('one-inch', 'en')[0].id, 'one-inch');
  assert.equal(searchSpecs('一寸', 'en').length, 0);
  assert.equal(searchSpecs('visa', 'zh-CN').length, 0);
  const all = searchSpecs('');
  assert.equal(all.length, 181);
  assert.equal(all[0].id, 'one-inch');
});

test('findSpec and specColors', () => {
  assert.equal(findSpec('small-one-inch')?.title, '小一寸');
  assert.equal(findSpec('nope'), undefined);
  const guide = findSpec('tour-guide-card')!;
  assert.deepEqual(specColors(guide), ['white', 'blue_gradual']);
  assert.deepEqual(specColors('one-inch'), ['blue', 'blue_gradual', 'red', 'white']);
  assert.deepEqual(specColors('nope'), []);
  specColors(guide).push('red');
  assert.deepEqual(guide.colors, ['white', 'blue_gradual']);
});
