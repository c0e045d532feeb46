/// <reference types="node" />
/**
 * Coverage of the face-platform document: it signals failures only through the `message` of its
 * `flag: false` answers (its `resultCode` is 1 for all of them). The test collects every failure
 * message in the document's examples and fails on any that the message rules do not map to a
 * specific kit code, and on a mapped kit code without its zh-CN and en messages. The document is
 * required: a missing document fails the test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { KIT_CODES, type KitCode } from '../../packages/core/src/shared/index.js';
import { codeForMessage, mapFacePlatformFailure } from '../../packages/server/src/vendors/face-platform/errors.js';
import { repoRoot } from './helpers.js';

const SEED_DIRS = [join(repoRoot, '../shared/seeds'), '/work/shared/seeds'];

function seed(name: string): string {
  const dir = SEED_DIRS.find((candidate) => existsSync(join(candidate, name)));
  assert.ok(dir, `seed document ${name} not found in ${SEED_DIRS.join(' or ')}`);
  return readFileSync(join(dir, name), 'utf8');
}

interface FailureExample {
  section: string;
  message: string;
  /** The HTTP status of a Spring error page; absent for `flag: false` answers (HTTP 200). */
  status?: number;
}

/**
 * Every failure example: the code blocks under a "失败返回示例" (failure example) heading, and any
 * block with `"flag": false`. Spring error pages carry their HTTP status in the body.
 */
function failureExamples(markdown: string): FailureExample[] {
  const found: FailureExample[] = [];
  let section = '';
  let underFailureHeading = false;
  const blocks = markdown.split(/^```[a-z]*\s*$/m);
  // Odd pieces are the insides of code fences, even pieces the prose between them.
  blocks.forEach((piece, index) => {
    if (index % 2 === 0) {
      for (const line of piece.split('\n')) {
        const heading = /^#{1,4}\s+(.*)/.exec(line);
        if (heading) section = heading[1].trim();
        if (/\*\*[^*]*返回示例/.test(line)) underFailureHeading = line.includes('失败');
      }
      return;
    }
    const flagFalse = /"flag"\s*:\s*false/.test(piece);
    if (!flagFalse && !underFailureHeading) return;
    const message = /"message"\s*:\s*"([^"]*)"/.exec(piece)?.[1];
    if (message === undefined) return;
    const status = Number(/"status"\s*:\s*(\d{3})/.exec(piece)?.[1]) || undefined;
    found.push({ section, message, status });
  });
  return found;
}

/** The codes a mapped failure may never fall back to: they say nothing about what went wrong. */
const UNSPECIFIC: readonly KitCode[] = ['INTERNAL'];

it('maps every failure message of the face-platform document to a kit code with both languages', () => {
  const failures = failureExamples(seed('face-platform-api.md'));
  const distinct = [...new Map(failures.map((failure) => [`${failure.status ?? 200} ${failure.message}`, failure])).values()];
  console.log(`face-platform failure examples: ${failures.length} (${distinct.length} distinct)`);
  assert.ok(distinct.length >= 9, `the parser found the document's failure examples (${distinct.length})`);

  const unmapped = distinct.filter((failure) => codeForMessage(failure.message) === undefined).map((failure) => failure.message);
  assert.deepEqual(unmapped, [], 'every failure message has a rule');

  for (const { message, status } of distinct) {
    const { code, vendor } = mapFacePlatformFailure(status ? { kind: 'http', status, message } : { kind: 'business', message });
    assert.ok(!UNSPECIFIC.includes(code), `${message} → ${code}`);
    assert.equal(vendor.message, message, 'the vendor message is passed on');
    const info = KIT_CODES[code];
    assert.ok(info?.message['zh-CN'] && info.message.en, `${code} has zh-CN and en messages`);
  }
});

it('maps the documented examples to the kit codes their meaning calls for', () => {
  const expected: Record<string, KitCode> = {
    '80018,extract feature decode pictrue! get feature failed': 'NO_FACE',
    'Base64编码错误或图片原始数据错误或特征图片都为空': 'BAD_IMAGE',
    '查询人脸错误,错误信息[record not found]': 'NOT_FOUND',
    '人脸库[200000]删除人脸[7885743058546360320]错误,错误信息[人脸不存在]': 'NOT_FOUND',
    '该用户不存在': 'NOT_FOUND',
    '当前授权用户已存在': 'ALREADY_EXISTS',
    '人脸识别未通过': 'NO_MATCH',
    '服务端报错': 'VENDOR_ERROR',
    '运行时出错!': 'VENDOR_ERROR',
  };
  const documented = new Set(failureExamples(seed('face-platform-api.md')).map((failure) => failure.message));
  for (const [message, code] of Object.entries(expected)) {
    assert.ok(documented.has(message), `the document has the example "${message}"`);
    assert.equal(codeForMessage(message), code, message);
  }
});
