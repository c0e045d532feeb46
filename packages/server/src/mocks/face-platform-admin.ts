/**
 * The face-platform mock's admin and account routes, with the document's shapes and quirks:
 * - section 6 (grants): `flag` answers; a duplicate grant is a Spring error page, HTTP 500,
 *   "当前授权用户已存在"; updates report Java list texts ("[C1, C2]");
 * - section 8 (usage statistics): computed from this mock's own log of capability calls
 *   (section 7 routes, register, face login), in platform local time (UTC+8); every row carries
 *   the document's 18 fields, mostly null; by day the `end` is the next day;
 * - section 9 (华铭考拉 groups and users): Baidu-style `{ error_code, error_msg, log_id,
 *   timestamp, cached, result }`; `statapp` and `statgroup` answer bare maps; user lists are
 *   under `user_id_list`; the groups are the mock's face groups, so enrolled persons are users;
 * - section 10 (register, face login): a registered face logs in when the perceptual hash agrees
 *   (image.ts); no match is a Spring error page, HTTP 500, "人脸识别未通过", whose `timestamp`
 *   is a bare date.
 *
 * Choices where the document is silent (its failure examples are `{}` or generic):
 * - section 9 errors: 223100 "group is not exist", 223101 "group is already exist",
 *   223103 "user is not exist", 222002 "param[<name>] format error";
 * - a section-9 copy into a group that already has the user adds a second record, as the
 *   document's own user list shows one user twice in a group;
 * - the mock's one app id in `statapp` is `system` (as its image URLs say);
 * - a second registration of a username: Spring error page, HTTP 500, "用户名已存在";
 * - a grant update or removal of an unknown app: `flag: false`, resultCode 1, "该用户不存在";
 *   an update makes the grant exactly the capabilities sent;
 * - statistics: `costTime` is the mean in ms for `/method/call` and the total in ms elsewhere;
 *   `call_Name` matches `visitMsg` or `methodName`; a malformed date answers "运行时出错!".
 * - token: checked on sections 6 and 8.1–8.6, which list the header; sections 8.7, 9 and 10
 *   list none, so the mock does not ask for it there.
 * Passwords are kept only as salted SHA-256 digests.
 */
import type { ServerResponse } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { faceFeature, probeFeatures, similarity, type Feature } from './image.js';
import {
  DAY_MS,
  MockFailure,
  RUNTIME_ERROR,
  SpringFailure,
  faceImage,
  localDate,
  parsePlatformTime,
  platformClock,
  platformTime,
  success,
  textField,
  type Group,
  type Json,
  type MockFaceStore,
} from './face-platform-shared.js';

export interface AdminRoutesContext {
  store: MockFaceStore;
  /** Lowest similarity (0…1) of a face login. */
  threshold: number;
  /** The mock's base URL, known once it listens. */
  baseUrl(): string;
}

export interface FacePlatformAdminRoutes {
  routes: Record<string, (body: Json) => Json>;
  /** Routes whose section lists no `token` header. */
  openPaths: ReadonlySet<string>;
  /** Counts one call of a metered route (no-op for others) for the statistics. */
  recordUsage(path: string, costMs: number, ok: boolean): void;
  /** Serves a registered photo (`GET /group1/default/…`); false when the path is not one. */
  serveImage(url: URL, response: ServerResponse): boolean;
  reset(): void;
}

/** The mock's own app id (its image URLs say `app_id=system`). */
export const MOCK_APP_ID = 'system';
const ENGINE = '人脸识别(云从)';
const LOGIN_LANDING_PAGE = '/pages/index.html';
const MAX_USAGE_ENTRIES = 10_000;
const MAX_KOALA_PAGE = 1000;
const MAX_STAT_GROUPS = 20;

/** Metered routes: the platform's method name and display name (`visitMsg`), as section 8 lists them. */
const METERED: Readonly<Record<string, { methodName: string; visitMsg: string }>> = {
  '/aicp/face/add': { methodName: 'faceAdd', visitMsg: '人脸录入' },
  '/aicp/face/recognition': { methodName: 'faceRecognition', visitMsg: '人脸识别' },
  '/aicp/face/recognitionmn': { methodName: 'faceRecognitionMN', visitMsg: '人脸M:N' },
  '/aicp/face/couple': { methodName: 'personWitnessRatio', visitMsg: '人证对比' },
  '/aicp/face/remove': { methodName: 'faceDelete', visitMsg: '人脸删除' },
  '/aicp/face/query': { methodName: 'faceQuery', visitMsg: '人脸查询' },
  '/aicp/face/quality': { methodName: 'imageQualityScores', visitMsg: '图片质量检测' },
  '/aicp/face/detect': { methodName: 'faceDetect', visitMsg: '人脸检测' },
  '/user/register': { methodName: 'userRegister', visitMsg: '用户注册' },
  '/user/facelogin.json': { methodName: 'faceLogin', visitMsg: '刷脸登录' },
};

interface UsageEntry {
  at: number;
  methodName: string;
  visitMsg: string;
  costMs: number;
  ok: boolean;
}

interface Account {
  username: string;
  personNo: string;
  fileId: string;
  feature: Feature;
  image: Buffer;
  mime: string;
  salt: string;
  passwordDigest: string;
  telephone: string;
  mail: string;
  deptId: string;
  createdAt: string;
}

interface Grant {
  dueTime: string;
  capabilities: string[];
  token: string;
}

/** A section-9 failure answer, as a route returns it (HTTP 200). */
class KoalaFailure extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const GROUP_NOT_EXIST = () => new KoalaFailure(223100, 'group is not exist');
const paramError = (name: string) => new KoalaFailure(222002, `param[${name}] format error`);

export function createFacePlatformAdminRoutes(context: AdminRoutesContext): FacePlatformAdminRoutes {
  const { store } = context;
  const now = () => store.now();
  const usage: UsageEntry[] = [];
  const accounts = new Map<string, Account>();
  const grants = new Map<string, Grant>();
  let fileCounter = 0;

  // --- Section 9 helpers.

  const koalaAnswer = (errorCode: number, errorMessage: string, result: unknown): Json => ({
    error_code: errorCode,
    error_msg: errorMessage,
    // The document shows log ids such as 20200528140346: the local time's digits.
    log_id: Number(platformTime(now()).replace(/\D/g, '')),
    timestamp: now(),
    cached: 0,
    result,
  });

  /** Runs a section-9 route; its failures become error-code answers, still HTTP 200. */
  const koala =
    (route: (body: Json) => unknown, bare = false) =>
    (body: Json): Json => {
      try {
        const result = route(body);
        return bare ? (result as Json) : koalaAnswer(0, 'SUCCESS', result ?? null);
      } catch (error) {
        if (error instanceof KoalaFailure) return koalaAnswer(error.errorCode, error.message, null);
        throw error;
      }
    };

  const koalaId = (body: Json, field: string): string => {
    const value = body[field];
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    if (!text || text.length > 48 || !/^[A-Za-z0-9_]+$/.test(text)) throw paramError(field);
    return text;
  };

  const koalaInt = (body: Json, field: string, fallback: number, max: number): number => {
    const value = body[field];
    if (value === undefined || value === null || value === '') return fallback;
    const parsed = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < 0 || parsed > max) throw paramError(field);
    return parsed;
  };

  const existingGroup = (groupId: string): Group => {
    const group = store.groups.get(groupId);
    if (!group) throw GROUP_NOT_EXIST();
    return group;
  };

  const userJson = (group: Group, record: { id: string; personNo: string; createTime: string }): Json => {
    const info = group.persons.get(record.personNo)?.info ?? {};
    return {
      id: record.id,
      groupId: group.groupId,
      userId: record.personNo,
      userName: typeof info.name === 'string' ? info.name : '',
      userInfo: typeof info.remark === 'string' ? info.remark : '',
      createTime: record.createTime,
    };
  };

  // --- Section 8 helpers.

  const statRow = (fields: Json): Json => ({
    traceId: null,
    username: null,
    visitIp: null,
    visitTime: null,
    visitDesc: null,
    visitUrl: null,
    costTime: null,
    visitResult: null,
    visitCode: null,
    visitMsg: null,
    visitSource: ENGINE,
    methodName: null,
    callCount: null,
    end: null,
    day: null,
    begin: null,
    total: null,
    count: null,
    ...fields,
  });

  /** Calls matching `call_Name`, `timeBefore` (start) and `timeAfter` (end, inclusive). */
  const filtered = (body: Json): UsageEntry[] => {
    const callName = textField(body, 'call_Name', false);
    const before = textField(body, 'timeBefore', false);
    const after = textField(body, 'timeAfter', false);
    const from = before ? parsePlatformTime(before) : -Infinity;
    const to = after ? parsePlatformTime(after, true) : Infinity;
    if (from === undefined || to === undefined) throw new MockFailure(RUNTIME_ERROR);
    return usage.filter((entry) => entry.at >= from && entry.at <= to && (!callName || entry.visitMsg === callName || entry.methodName === callName));
  };

  const byMethod = (entries: UsageEntry[]): Map<string, UsageEntry[]> => {
    const groups = new Map<string, UsageEntry[]>();
    for (const entry of [...entries].sort((a, b) => a.methodName.localeCompare(b.methodName))) {
      const list = groups.get(entry.methodName) ?? [];
      list.push(entry);
      groups.set(entry.methodName, list);
    }
    return groups;
  };

  const totalCost = (entries: UsageEntry[]) => entries.reduce((sum, entry) => sum + entry.costMs, 0);

  /** Sections 8.1 and 8.7: one row per method, `day` the latest call. */
  const methodRows = (body: Json, cost: 'mean' | 'total'): Json => {
    const rows = [...byMethod(filtered(body)).values()].map((entries) => {
      const total = totalCost(entries);
      return statRow({
        costTime: cost === 'mean' ? Math.round(total / entries.length) : total,
        visitMsg: entries[0].visitMsg,
        methodName: entries[0].methodName,
        day: platformTime(Math.max(...entries.map((entry) => entry.at))),
        count: String(entries.length),
      });
    });
    return success(rows);
  };

  /** The local first day of the period holding `at`, and the `end` the document writes for it. */
  const periodOf = (at: number, period: 'day' | 'week' | 'month'): { begin: string; end: string } => {
    const clock = platformClock(at);
    const day = Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate());
    if (period === 'day') return { begin: localDate(new Date(day)), end: localDate(new Date(day + DAY_MS)) };
    if (period === 'week') {
      // Weeks run Monday to Sunday (the document: 2020-04-13~~~2020-04-19).
      const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
      return { begin: localDate(new Date(monday)), end: localDate(new Date(monday + 6 * DAY_MS)) };
    }
    const first = Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), 1);
    const last = Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth() + 1, 0);
    return { begin: localDate(new Date(first)), end: localDate(new Date(last)) };
  };

  /** Sections 8.2–8.4: one row per method and period. */
  const periodRows = (body: Json, period: 'day' | 'week' | 'month'): Json => {
    const buckets = new Map<string, { begin: string; end: string; entries: UsageEntry[] }>();
    for (const entry of filtered(body)) {
      const { begin, end } = periodOf(entry.at, period);
      const key = `${begin} ${entry.methodName}`;
      const bucket = buckets.get(key) ?? { begin, end, entries: [] };
      bucket.entries.push(entry);
      buckets.set(key, bucket);
    }
    const rows = [...buckets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, bucket]) =>
        statRow({
          costTime: totalCost(bucket.entries),
          visitMsg: bucket.entries[0].visitMsg,
          methodName: bucket.entries[0].methodName,
          end: bucket.end,
          day: `${bucket.begin}~~~${bucket.end}`,
          begin: bucket.begin,
          count: String(bucket.entries.length),
        }),
      );
    return success(rows);
  };

  /** Sections 8.5 and 8.6: one inner array per method, one row per day of a month or month of a year. */
  const chartRows = (entries: UsageEntry[], label: (at: number) => string, extra: Json): Json => {
    const series = [...byMethod(entries).values()].map((methodEntries) => {
      const points = new Map<string, UsageEntry[]>();
      for (const entry of methodEntries) points.set(label(entry.at), [...(points.get(label(entry.at)) ?? []), entry]);
      return [...points.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, list]) => statRow({ costTime: totalCost(list), visitMsg: list[0].visitMsg, methodName: list[0].methodName, day, ...extra, count: String(list.length) }));
    });
    return success(series);
  };

  // --- Section 6 helpers.

  const javaList = (items: string[]) => `[${items.join(', ')}]`;

  const grantFields = (body: Json): { appId: string; dueTime: string; capabilities: string[] } => {
    const appId = textField(body, 'appId', false);
    const dueTime = textField(body, 'dueTime', false);
    const array = body.capabilityIdArray;
    if (!appId || parsePlatformTime(dueTime) === undefined || !Array.isArray(array) || !array.every((item) => typeof item === 'string')) {
      throw new MockFailure(RUNTIME_ERROR);
    }
    // The document's own requests put "A,B" in one element; both forms are read.
    const capabilities = [...new Set((array as string[]).flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean))];
    if (capabilities.length === 0) throw new MockFailure(RUNTIME_ERROR);
    return { appId, dueTime, capabilities };
  };

  // --- Section 10 helpers.

  const digest = (salt: string, password: string) => createHash('sha256').update(`${salt}:${password}`).digest('hex');

  const routes: Record<string, (body: Json) => Json> = {
    // Section 6.
    '/authorize/grantAuthorize': (body) => {
      const { appId, dueTime, capabilities } = grantFields(body);
      if (grants.has(appId)) throw new SpringFailure('当前授权用户已存在');
      const grant: Grant = { dueTime, capabilities, token: randomBytes(16).toString('base64') };
      grants.set(appId, grant);
      return success({ appId, dueTime, token: grant.token });
    },
    '/authorize/updateAuthorize': (body) => {
      const { appId, dueTime, capabilities } = grantFields(body);
      const grant = grants.get(appId);
      if (!grant) throw new MockFailure('该用户不存在', true);
      const existing = capabilities.filter((id) => grant.capabilities.includes(id));
      const added = capabilities.filter((id) => !grant.capabilities.includes(id));
      grant.capabilities = capabilities;
      grant.dueTime = dueTime;
      return success({ existAuthorize: javaList(existing), addAuthorize: javaList(added), appId, token: grant.token });
    },
    '/authorize/deleteAuthorizedUser': (body) => {
      const appId = textField(body, 'appId', true);
      if (!grants.delete(appId)) throw new MockFailure('该用户不存在', true);
      return success({ appId });
    },

    // Section 8.
    '/method/call': (body) => methodRows(body, 'mean'),
    '/method/call/all': (body) => methodRows(body, 'total'),
    '/method/call/getMethodCountByDay': (body) => periodRows(body, 'day'),
    '/method/call/getMethodCountByWeek': (body) => periodRows(body, 'week'),
    '/method/call/getMethodCountByMonth': (body) => periodRows(body, 'month'),
    '/method/call/getChartByDay': (body) => {
      const month = textField(body, 'time', false) || localDate(platformClock(now())).slice(0, 7);
      const from = /^\d{4}-\d{2}$/.test(month) ? parsePlatformTime(`${month}-01`) : undefined;
      if (from === undefined) throw new MockFailure(RUNTIME_ERROR);
      const [year, monthNumber] = month.split('-').map(Number);
      const days = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
      const entries = usage.filter((entry) => entry.at >= from && entry.at < from + days * DAY_MS);
      return chartRows(entries, (at) => localDate(platformClock(at)), { total: String(days) });
    },
    '/method/call/getChartByMonth': (body) => {
      const year = textField(body, 'year', false) || String(platformClock(now()).getUTCFullYear());
      const from = /^\d{4}$/.test(year) ? parsePlatformTime(`${year}-01-01`) : undefined;
      const to = /^\d{4}$/.test(year) ? parsePlatformTime(`${year}-12-31`, true) : undefined;
      if (from === undefined || to === undefined) throw new MockFailure(RUNTIME_ERROR);
      const entries = usage.filter((entry) => entry.at >= from && entry.at <= to);
      return chartRows(entries, (at) => localDate(platformClock(at)).slice(0, 7), {});
    },

    // Section 9.1.
    '/face-api/v3/group/add': koala((body) => {
      const groupId = koalaId(body, 'group_id');
      if (store.groups.has(groupId)) throw new KoalaFailure(223101, 'group is already exist');
      store.group(groupId, true);
      return null;
    }),
    '/face-api/v3/group/delete': koala((body) => {
      const groupId = koalaId(body, 'group_id');
      if (!store.groups.delete(groupId)) throw GROUP_NOT_EXIST();
      return null;
    }),
    '/face-api/v3/group/list': koala((body) => {
      const start = koalaInt(body, 'start', 0, Number.MAX_SAFE_INTEGER);
      const length = koalaInt(body, 'length', 100, MAX_KOALA_PAGE);
      return { group_id_list: [...store.groups.keys()].slice(start, start + length) };
    }),
    '/face-api/facehub/statapp': koala((body) => {
      const listed = textField(body, 'op_app_id_list', false);
      const apps = listed ? listed.split(',').map((id) => id.trim()) : [MOCK_APP_ID];
      // Apps other than the mock's own are unknown and left out, as the map has no entry for them.
      return Object.fromEntries(apps.filter((id) => id === MOCK_APP_ID).map((id) => [id, { group_num: store.groups.size }]));
    }, true),
    '/face-api/facehub/statgroup': koala((body) => {
      const listed = textField(body, 'group_id_list', false);
      const ids = listed.split(',').map((id) => id.trim()).filter(Boolean);
      if (ids.length === 0 || ids.length > MAX_STAT_GROUPS) throw paramError('group_id_list');
      const answer: Json = {};
      for (const id of ids) {
        const group = store.groups.get(id);
        if (group) answer[id] = { user_num: new Set(group.users.map((user) => user.personNo)).size, face_num: group.persons.size, ctime: group.ctime };
      }
      return answer;
    }, true),

    // Section 9.2.
    '/face-api/v3/user/copy': koala((body) => {
      const userId = koalaId(body, 'user_id');
      const source = existingGroup(koalaId(body, 'src_group_id'));
      const target = existingGroup(koalaId(body, 'dst_group_id'));
      const person = source.persons.get(userId);
      if (!person) throw new KoalaFailure(223103, 'user is not exist');
      store.addPerson(target, person);
      return null;
    }),
    '/face-api/v3/user/get': koala((body) => {
      const userId = koalaId(body, 'user_id');
      const groupId = body.group_id === '@ALL' ? '@ALL' : koalaId(body, 'group_id');
      const groups = groupId === '@ALL' ? [...store.groups.values()] : [existingGroup(groupId)];
      const users = groups.flatMap((group) => group.users.filter((user) => user.personNo === userId).map((user) => userJson(group, user)));
      if (users.length === 0) throw new KoalaFailure(223103, 'user is not exist');
      return { user_list: users };
    }),
    '/face-api/v3/user/list': koala((body) => {
      const group = existingGroup(koalaId(body, 'group_id'));
      const start = koalaInt(body, 'start', 0, Number.MAX_SAFE_INTEGER);
      const length = koalaInt(body, 'length', 100, MAX_KOALA_PAGE);
      // The document's answer names the list `user_id_list` (its table says `user_list`).
      return { user_id_list: group.users.slice(start, start + length).map((user) => userJson(group, user)) };
    }),

    // Section 10.
    '/user/register': (body) => {
      const fields: Record<string, string> = {};
      for (const name of ['username', 'password', 'telephone', 'mail', 'deptId']) {
        const value = body[name];
        if (typeof value !== 'string' || value === '') throw new MockFailure(`${name}不能为空`, true);
        fields[name] = value;
      }
      const { image, bytes, mime } = faceImage(body, 'image');
      if (accounts.has(fields.username)) throw new SpringFailure('用户名已存在');
      const salt = randomBytes(8).toString('hex');
      const fileId = `${now()}${++fileCounter}`;
      const account: Account = {
        username: fields.username,
        personNo: randomUUID().replace(/-/g, ''),
        fileId,
        feature: faceFeature(image),
        image: bytes,
        mime,
        salt,
        passwordDigest: digest(salt, fields.password),
        telephone: fields.telephone,
        mail: fields.mail,
        deptId: fields.deptId,
        createdAt: platformTime(now()),
      };
      accounts.set(account.username, account);
      const day = localDate(platformClock(now())).replace(/-/g, '');
      // The document's URL is a file-server path: /group1/default/20200422/14/20/1/1587536411181?download=0.
      return success({ personNo: account.personNo, url: `${context.baseUrl()}/group1/default/${day}/${fileId}?download=0` });
    },
    '/user/facelogin.json': (body) => {
      const { image } = faceImage(body, 'image');
      const probes = probeFeatures(image);
      const best = Math.max(0, ...[...accounts.values()].map((account) => similarity(probes, account.feature)));
      if (best < context.threshold) throw new SpringFailure('人脸识别未通过', 500, 'Internal Server Error', true);
      return success(LOGIN_LANDING_PAGE);
    },
  };

  return {
    routes,
    openPaths: new Set([
      '/method/call/all',
      ...Object.keys(routes).filter((path) => path.startsWith('/face-api/')),
      '/user/register',
      '/user/facelogin.json',
    ]),
    recordUsage(path, costMs, ok) {
      const method = METERED[path];
      if (!method) return;
      usage.push({ at: now(), ...method, costMs: Math.max(1, Math.round(costMs)), ok });
      if (usage.length > MAX_USAGE_ENTRIES) usage.shift();
    },
    serveImage(url, response) {
      const match = /^\/group1\/default\/\d{8}\/(\d+)$/.exec(url.pathname);
      if (!match) return false;
      const account = [...accounts.values()].find((entry) => entry.fileId === match[1]);
      if (!account) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('file not found');
        return true;
      }
      response.writeHead(200, { 'content-type': account.mime, 'content-length': account.image.length });
      response.end(account.image);
      return true;
    },
    reset() {
      usage.length = 0;
      accounts.clear();
      grants.clear();
    },
  };
}
