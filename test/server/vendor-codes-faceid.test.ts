/// <reference types="node" />
/**
 * Coverage of the vendor documents: parses the code tables of `faceid-liveness-api.md` and
 * `face-image-query-api.txt` and fails on any code the mapping tables do not list, and on any
 * mapped kit code without its zh-CN and en messages. The documents are required: a missing
 * document fails the test, it is never skipped.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import {
  ALIYUN_GATEWAY_ERROR_RULES,
  FACEID_CODE_TABLE,
  FACE_IMAGE_CODE_TABLE,
  faceIdErrorRule,
  faceIdResultRule,
  faceIdSdkRule,
  faceImageRule,
  parseFaceIdError,
} from '../../packages/server/src/index.js';
import { repoRoot } from './helpers.js';

const SEED_DIRS = [join(repoRoot, '../shared/seeds'), '/work/shared/seeds'];

function seed(name: string): string {
  const dir = SEED_DIRS.find((candidate) => existsSync(join(candidate, name)));
  assert.ok(dir, `seed document ${name} not found in ${SEED_DIRS.join(' or ')}`);
  return readFileSync(join(dir, name), 'utf8');
}

interface TableRow {
  section: string;
  code: number;
  /** The message cell, `<br>` removed. */
  text: string;
}

/** Every markdown table row whose first cell is a number, with the heading it sits under. */
export function parseFaceIdTables(markdown: string): TableRow[] {
  const rows: TableRow[] = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      section = heading[1]!.replace(/\\/g, '').trim();
      continue;
    }
    if (!line.trimStart().startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (cells.length < 2 || !/^\d{3,5}$/.test(cells[0]!) || cells[1] === '') continue;
    rows.push({ section, code: Number(cells[0]), text: cells[1]!.replace(/<br>/gi, '').trim() });
  }
  return rows;
}

/** The rows under the `错误码` heading: `HttpCode 错误码 错误信息 描述`. */
export function parseFaceImageCodes(text: string): Array<{ httpStatus: number; code: number; text: string }> {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === '错误码');
  assert.ok(start >= 0, 'the 错误码 section is in the document');
  const rows: Array<{ httpStatus: number; code: number; text: string }> = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^(\d{3})\s+(\d+)\s+(.+)$/.exec(line.trim());
    if (match) rows.push({ httpStatus: Number(match[1]), code: Number(match[2]), text: match[3]! });
  }
  return rows;
}

describe('vendor codes of the seed documents', () => {
  describe('faceid-liveness-api.md', () => {
    const rows = parseFaceIdTables(seed('faceid-liveness-api.md'));
    const inSection = (pattern: RegExp) => rows.filter((row) => pattern.test(row.section));
    const errorList = inSection(/^错误码列表$/);
    const resultTable = inSection(/^Result_code&result_message说明$/);
    const httpTable = inSection(/^HTTP状态码和对应的ERROR字段说明$/);
    const sdkTable = inSection(/SDK 错误码说明/);

    it('finds the four code tables', () => {
      assert.ok(errorList.length >= 10, `错误码列表: ${errorList.length} rows`);
      assert.ok(resultTable.length >= 40, `Result_code: ${resultTable.length} rows`);
      assert.ok(httpTable.length >= 8, `HTTP状态码: ${httpTable.length} rows`);
      assert.ok(sdkTable.length >= 45, `SDK 错误码: ${sdkTable.length} rows`);
      assert.equal(errorList.length + resultTable.length + httpTable.length + sdkTable.length, rows.length, 'no code row outside the four tables');
    });

    it('maps every result_code / result_message of get_result', () => {
      const missing = resultTable.filter((row) => !faceIdResultRule(row.code, row.text));
      assert.deepEqual(missing, []);
    });

    it('maps every SDK code (section 2.5)', () => {
      const missing = sdkTable.filter((row) => !faceIdSdkRule(row.code, row.text));
      assert.deepEqual(missing, []);
    });

    it('maps every ERROR field with each of its HTTP statuses', () => {
      const missing = [...errorList, ...httpTable].filter((row) => {
        const rule = faceIdErrorRule(row.text, row.code);
        return !rule || !rule.httpStatuses.includes(row.code);
      });
      assert.deepEqual(missing, []);
    });

    it('lists nothing the document does not', () => {
      const documented = new Set(rows.map((row) => parseFaceIdError(row.text)?.name ?? row.text));
      const invented = FACEID_CODE_TABLE.filter((rule) => !documented.has(rule.source === 'result' ? rule.resultMessage : rule.error));
      assert.deepEqual(invented, []);
    });
  });

  describe('face-image-query-api.txt', () => {
    const rows = parseFaceImageCodes(seed('face-image-query-api.txt'));

    it('finds the code table', () => {
      assert.ok(rows.length >= 50, `${rows.length} rows`);
      assert.ok(rows.some((row) => row.httpStatus !== 200) && rows.some((row) => row.httpStatus === 200));
    });

    it('maps every row: HTTP rows by status, HTTP-200 rows by code and message', () => {
      const missing = rows.filter((row) => {
        const rule = faceImageRule(row.httpStatus === 200 ? 'business' : 'http', row.code, row.text);
        return !rule || rule.code !== row.code;
      });
      assert.deepEqual(missing, []);
    });

    it('matches the message-specific rows by their documented message', () => {
      for (const rule of FACE_IMAGE_CODE_TABLE.filter((candidate) => candidate.message !== undefined)) {
        const documented = rows.some((row) => row.code === rule.code && row.text.toLowerCase().startsWith(rule.message!.toLowerCase()));
        assert.ok(documented, `${rule.code} "${rule.message}" is in the document`);
      }
      const codes = new Set(rows.map((row) => row.code));
      assert.deepEqual(FACE_IMAGE_CODE_TABLE.filter((rule) => !codes.has(rule.code)), [], 'no invented code');
    });
  });

  it('every mapped kit code has its zh-CN and en messages', () => {
    const mapped = new Set<KitCode>([
      ...FACEID_CODE_TABLE.map((rule) => rule.kitCode),
      ...FACE_IMAGE_CODE_TABLE.map((rule) => rule.kitCode),
      ...ALIYUN_GATEWAY_ERROR_RULES.map((rule) => rule.code),
    ]);
    for (const code of mapped) {
      const info = KIT_CODES[code];
      assert.ok(info, `${code} is in the KIT_CODES catalogue`);
      assert.ok(info.message['zh-CN'].trim() && /[\u4e00-\u9fff]/.test(info.message['zh-CN']), `${code} has a zh-CN message`);
      assert.ok(info.message.en.trim() && /^[\x20-\x7e]+$/.test(info.message.en), `${code} has an en message`);
    }
  });
});
