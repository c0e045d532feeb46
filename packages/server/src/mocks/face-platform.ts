/**
 * Loopback mock of the face platform's micro-service API (vendor document, section 7), with its
 * answer shapes and quirks: HTTP 200 for business errors (`flag: false`), `resultCode` present on
 * some answers only, similarities as strings (compare) or 0–100 floats (search), `personNo` on
 * enrol, nested `records: [[…]]` for detect and M:N, a `faceDBURL` that carries an app secret.
 *
 * Choices where the document is silent (see the package README):
 * - a missing or wrong `token` header: HTTP 200, `flag: false`, a message about the token;
 * - a 1:N search below the threshold: `flag: true` with `records: []`;
 * - compare of two different people: `msg: "fail"` (the document only gives `"ok"`);
 * - `qualities` = [face found, size ok, too dark, too bright, blurry] as 1/0; Y when [1,1,0,0,0];
 * - an image above 2M base64 characters: `flag: false`, "图片大小不能超过2M";
 * - a request body above 12 MB: HTTP 413 in plain text, as a fronting nginx answers.
 * Similarity scoring: see image.ts. Sections 6, 8, 9 and 10 (grants, statistics, groups and
 * users, register and face login) are in face-platform-admin.ts and share this mock's face store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { listenMock } from './mock-listener.js';
import { createFacePlatformAdminRoutes } from './face-platform-admin.js';
import {
  MockFaceStore,
  MockFailure,
  OK_MESSAGE,
  SERVER_ERROR,
  SpringFailure,
  decodedImage,
  faceImage,
  localDate,
  platformClock,
  sendSpringError,
  success,
  textField,
  type Group,
  type Json,
  type Person,
} from './face-platform-shared.js';
import { FaultInjector, readBody, sendJson, sendNginxError, sendPlainTooLarge, type FaultAnswers, type FaultStatus } from './faults.js';
import { faceFeature, faceRegion, hasFace, probeFeatures, regionStats, similarity, type Feature } from './image.js';

export interface FacePlatformMockOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Only loopback addresses are accepted. */
  host?: string;
  /** Expected `token` header; random when omitted; empty string disables the check (section 3). */
  token?: string;
  /** Lowest similarity (0…1) that counts as a match; default 0.8. */
  threshold?: number;
  /** Clock of the statistics and of every date the mock writes (epoch ms); default Date.now. */
  now?: () => number;
}

// Faults are shared by every mock vendor (faults.ts); here a 500 is Spring JSON, 502–504 nginx HTML,
// 429 JSON and 413 plain text.
export type { FaultController, FaultSettings, FaultStatus } from './faults.js';
import type { FaultController } from './faults.js';

export interface MockRequestRecord {
  method: string;
  path: string;
  tokenOk: boolean;
}

export interface FacePlatformMock {
  /** Base URL, e.g. `http://127.0.0.1:40123`, to use as the adapter's `url`. */
  url: string;
  port: number;
  token: string;
  faults: FaultController;
  /** The last 100 requests, for tests. */
  requests: MockRequestRecord[];
  /** Forgets every group, person, account, grant and counted call. */
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 12 * 1024 * 1024;

export async function startFacePlatformMock(options: FacePlatformMockOptions = {}): Promise<FacePlatformMock> {
  const token = options.token ?? randomBytes(16).toString('base64');
  const threshold = options.threshold ?? 0.8;
  const appSecret = randomBytes(8).toString('hex');
  const store = new MockFaceStore(options.now ?? Date.now);
  const groups = store.groups;
  const requests: MockRequestRecord[] = [];
  const faults = new FaultInjector();
  let faceCounter = 0;
  let baseUrl = '';
  const admin = createFacePlatformAdminRoutes({ store, threshold, baseUrl: () => baseUrl });

  const groupOf = (groupId: string, create: boolean): Group | undefined => store.group(groupId, create);

  const imageUrl = (groupId: string, faceId: string) =>
    `${baseUrl}/face/getimage?app_id=system&app_secret=${appSecret}&groupId=${encodeURIComponent(groupId)}&faceId=${faceId}`;

  const record = (group: Group, person: Person, score: number): Json => ({
    score: Math.round(score * 10_000) / 100,
    id: `${BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))}`,
    faceId: person.faceId,
    personNo: person.personNo,
    url: imageUrl(group.groupId, person.faceId),
  });

  const matchesIn = (candidates: Group[], probes: Feature[]) =>
    candidates
      .flatMap((group) => [...group.persons.values()].map((person) => ({ group, person, score: similarity(probes, person.feature) })))
      .filter((match) => match.score >= threshold)
      .sort((a, b) => b.score - a.score);

  const routes: Record<string, (body: Json) => Json> = {
    '/aicp/face/addBase': (body) => {
      const groupId = textField(body, 'groupId', true);
      const dbName = textField(body, 'dbName', true);
      if (groups.get(groupId)?.dbName) throw new MockFailure(SERVER_ERROR, true);
      const group = groupOf(groupId, true)!;
      group.dbName = dbName;
      group.dbDesc = textField(body, 'dbDesc', false) || undefined;
      return success({ dbDesc: group.dbDesc ?? '', dbName, personDbLib: group.personDbLib });
    },
    '/aicp/face/deleteBase': (body) => {
      const groupId = textField(body, 'groupId', true);
      if (!groups.delete(groupId)) throw new MockFailure(SERVER_ERROR, true);
      return success({ message: 'ok' });
    },
    '/aicp/face/queryBaseAll': (body) => {
      const pageNo = Math.max(1, Number(body.pageNo) || 1);
      const pageSize = Math.min(100, Math.max(1, Number(body.pageSize) || 20));
      const records = [...groups.values()]
        .slice((pageNo - 1) * pageSize, pageNo * pageSize)
        .map((group) => ({ dbDesc: group.dbDesc ?? '', dbName: group.dbName ?? group.groupId, id: group.id, personDbLib: group.personDbLib }));
      return success({ records });
    },
    '/aicp/face/add': (body) => {
      const groupId = textField(body, 'groupId', true);
      const { image, bytes, mime } = faceImage(body, 'image');
      const group = groupOf(groupId, true)!;
      const personNo = randomUUID().replace(/-/g, '');
      const faceId = String(++faceCounter + 54);
      const info: Json = {};
      for (const key of ['name', 'sex', 'birthday', 'province', 'duty', 'type', 'idIccid', 'custId', 'company', 'remark']) {
        if (body[key] !== undefined) info[key] = body[key];
      }
      store.addPerson(group, { personNo, faceId, feature: faceFeature(image), image: bytes, mime, info });
      return success({ personNo, url: imageUrl(groupId, faceId) });
    },
    '/aicp/face/recognition': (body) => {
      const groupId = textField(body, 'groupId', true);
      const { image } = faceImage(body, 'image');
      const group = groups.get(groupId);
      const best = group ? matchesIn([group], probeFeatures(image))[0] : undefined;
      return success({ records: best ? [record(best.group, best.person, best.score)] : [] });
    },
    '/aicp/face/recognitionmn': (body) => {
      const groupId = textField(body, 'groupId', false);
      const { image } = faceImage(body, 'image');
      const candidates = groupId ? [groups.get(groupId)].filter((group): group is Group => !!group) : [...groups.values()];
      // One face per image in this mock: one inner list, best five matches.
      const matches = matchesIn(candidates, probeFeatures(image)).slice(0, 5);
      return success({ records: [matches.map((match) => record(match.group, match.person, match.score))] });
    },
    '/aicp/face/couple': (body) => {
      const a = faceImage(body, 'imageA').image;
      const b = faceImage(body, 'imageB').image;
      const score = Math.max(similarity(probeFeatures(a), faceFeature(b)), similarity(probeFeatures(b), faceFeature(a)));
      return success({ msg: score >= threshold ? 'ok' : 'fail', score: (score * 100).toFixed(5) });
    },
    '/aicp/face/remove': (body) => {
      const groupId = textField(body, 'groupId', true);
      const userId = textField(body, 'userId', true);
      const group = groups.get(groupId);
      if (!group || !store.removePerson(group, userId)) {
        throw new MockFailure(`人脸库[${groupId}]删除人脸[${userId}]错误,错误信息[人脸不存在]`);
      }
      return success({ request: 'Request successful' });
    },
    '/aicp/face/query': (body) => {
      const groupId = textField(body, 'groupId', true);
      const userId = textField(body, 'userId', true);
      const person = groups.get(groupId)?.persons.get(userId);
      if (!person) throw new MockFailure('查询人脸错误,错误信息[record not found]');
      // The document's example of this answer has no resultCode.
      return { flag: true, message: OK_MESSAGE, data: { faceDBURL: imageUrl(groupId, person.faceId), personID: person.personNo, faceId: person.faceId } };
    },
    '/aicp/face/quality': (body) => {
      const { image } = faceImage(body, 'image');
      const stats = regionStats(image);
      const sizeOk = Math.min(image.width, image.height) >= 80 ? 1 : 0;
      const tooDark = stats.mean < 40 ? 1 : 0;
      const tooBright = stats.mean > 220 ? 1 : 0;
      const blurry = stats.sharpness < 1.5 ? 1 : 0;
      const qualities = [1, sizeOk, tooDark, tooBright, blurry];
      const passed = sizeOk === 1 && tooDark + tooBright + blurry === 0;
      return success({ qualityFlag: passed ? 'Y' : 'N', qualities });
    },
    '/aicp/face/detect': (body) => {
      const image = decodedImage(body, 'image').image;
      if (!hasFace(image)) return success({ records: [[]] });
      const region = faceRegion(image);
      return success({ records: [[{ width: Math.round(region.size), x: Math.round(region.x), y: Math.round(region.y), height: Math.round(region.size) }]] });
    },
    ...admin.routes,
  };

  const serveImage = (url: URL, response: ServerResponse) => {
    if (url.searchParams.get('app_secret') !== appSecret) {
      return sendJson(response, 200, { flag: false, resultCode: 1, message: 'app_secret错误', data: null });
    }
    const person = [...(groups.get(url.searchParams.get('groupId') ?? '')?.persons.values() ?? [])].find((p) => p.faceId === url.searchParams.get('faceId'));
    if (!person) return sendJson(response, 200, { flag: false, message: '查询人脸错误,错误信息[record not found]', data: null });
    response.writeHead(200, { 'content-type': person.mime, 'content-length': person.image.length });
    response.end(person.image);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = request.method ?? 'GET';
    const tokenOk = !token || request.headers.token === token;
    requests.push({ method, path: url.pathname, tokenOk });
    if (requests.length > 100) requests.shift();

    if (url.pathname === '/__faults') return faults.control(request, response);

    const body = await readBody(request, MAX_BODY_BYTES);
    if (await faults.apply(url.pathname, request, response, FACE_PLATFORM_FAULTS)) return;
    if (body === null) return sendPlainTooLarge(response);
    if (method === 'GET' && url.pathname === '/face/getimage') return serveImage(url, response);
    if (method === 'GET' && admin.serveImage(url, response)) return;
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    if (!route || method !== 'POST') return sendSpringError(response, 404, 'Not Found', 'No message available', url.pathname);
    if (!tokenOk && !admin.openPaths.has(url.pathname)) {
      const message = request.headers.token ? 'token校验失败,token无效或已过期' : 'token不能为空';
      return sendJson(response, 200, { flag: false, resultCode: 1, message, data: null });
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return sendSpringError(response, 400, 'Bad Request', 'JSON parse error', url.pathname);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return sendSpringError(response, 400, 'Bad Request', 'JSON parse error', url.pathname);
    }
    const started = performance.now();
    let answered = false;
    try {
      sendJson(response, 200, route(json as Json));
      answered = true;
    } catch (error) {
      if (error instanceof SpringFailure) {
        const timestamp = error.dateOnlyTimestamp ? localDate(platformClock(store.now())) : undefined;
        return sendSpringError(response, error.status, error.error, error.message, url.pathname, timestamp);
      }
      if (!(error instanceof MockFailure)) throw error;
      // Documented failures: HTTP 200; image routes omit resultCode, library routes carry 1.
      sendJson(response, 200, error.withResultCode ? { flag: false, resultCode: 1, message: error.message, data: null } : { flag: false, message: error.message, data: null });
    } finally {
      // Every call that reached a capability route counts in the statistics, failed ones too.
      admin.recordUsage(url.pathname, performance.now() - started, answered);
    }
  };

  const listener = await listenMock(handle, {
    host: options.host,
    port: options.port,
    internalError: (response, error, request) => sendSpringError(response, 500, 'Internal Server Error', String(error), request.url ?? '/'),
  });
  baseUrl = listener.url;

  return {
    url: baseUrl,
    port: listener.port,
    token,
    faults: faults as FaultController,
    requests,
    reset: () => {
      store.clear();
      admin.reset();
    },
    close: async () => {
      faults.close();
      await listener.close();
    },
  };
}

/** The platform's failure bodies for injected faults. */
const FACE_PLATFORM_FAULTS: FaultAnswers = {
  status(response: ServerResponse, status: FaultStatus, path: string): void {
    if (status === 413) return sendPlainTooLarge(response);
    if (status === 429) return sendSpringError(response, 429, 'Too Many Requests', '请求过于频繁', path);
    if (status === 500) return sendSpringError(response, 500, 'Internal Server Error', '运行时出错!', path);
    sendNginxError(response, status);
  },
  malformedJson: '{"flag":true,"resultCode":0,"message":"系统处理正常","data":{"records":[{"score":9',
};
