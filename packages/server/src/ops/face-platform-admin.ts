/**
 * Face-platform admin ops, each needing a ticket with the `admin` scope:
 * - `group.*` and `user.*`: the 华铭考拉 user groups and users (section 9);
 * - `stats.*`: usage statistics of the micro-service platform (section 8, `token` header);
 * - `grant.*`: capability grants (section 6).
 * Parameters take the kit's camelCase names or the document's own spelling (`group_id`,
 * `call_Name`); reads are safe to retry, writes are not.
 */
import {
  FACE_PLATFORM_COMMON_PATHS as COMMON,
  FACE_PLATFORM_PATHS as PATHS,
  type FacePlatformClient,
} from '../vendors/face-platform/client.js';
import { FACE_PLATFORM } from '../vendors/face-platform/errors.js';
import {
  listOf,
  normaliseAppStats,
  normaliseChartByDay,
  normaliseChartByMonth,
  normaliseGrant,
  normaliseGrantUpdate,
  normaliseGroupList,
  normaliseGroupStats,
  normaliseMethodUsage,
  normalisePeriods,
  normaliseUsers,
  type StatsPeriod,
} from '../vendors/face-platform/normalise-admin.js';
import { ID, clientOrFail, fieldName } from './face-platform-shared.js';
import { defineOp, type RegisteredOp } from './types.js';
import { fieldError, optionalInteger, optionalString, requiredString } from './validate.js';

/** Section 9 ids: "由数字、字母、下划线组成，长度限制48B". */
const KOALA_ID = /^[A-Za-z0-9_]+$/;
const KOALA_ID_MAX = 48;
/** Section 9.1.5: "限制20个". */
const MAX_STAT_GROUPS = 20;
/** Section 9.1.3 and 9.2.3: "默认值100，最大值1000". */
const DEFAULT_PAGE_LENGTH = 100;
const MAX_PAGE_LENGTH = 1000;
/** Capability ids such as C10000000001. */
const CAPABILITY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_CAPABILITIES = 100;
const APP_ID_LIST_ITEM = /^[A-Za-z0-9_.:-]{1,64}$/;

type Body = Record<string, unknown>;

const koalaId = (body: Body, camel: string, documentName: string): string =>
  requiredString(body, fieldName(body, camel, documentName), { max: KOALA_ID_MAX, pattern: KOALA_ID });

function page(body: Body): { start: number; length: number } {
  return {
    start: optionalInteger(body, 'start', (v) => v >= 0, 'must be 0 or more') ?? 0,
    length: optionalInteger(body, 'length', (v) => v >= 1 && v <= MAX_PAGE_LENGTH, `must be 1 to ${MAX_PAGE_LENGTH}`) ?? DEFAULT_PAGE_LENGTH,
  };
}

/** A list given as an array or as the document's comma-separated text; each item checked. */
function idList(body: Body, field: string, options: { required: boolean; max: number; item: RegExp; itemMax: number }): string[] {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (options.required) throw fieldError(field, 'required');
    return [];
  }
  if (typeof value !== 'string' && !Array.isArray(value)) throw fieldError(field, 'must be an array or a comma-separated string');
  if (Array.isArray(value) && !value.every((item) => typeof item === 'string')) throw fieldError(field, 'must hold strings');
  const items = listOf(value);
  if (items.length === 0 && options.required) throw fieldError(field, 'required');
  if (items.length > options.max) throw fieldError(field, `more than ${options.max} items`);
  if (items.some((item) => item.length > options.itemMax || !options.item.test(item))) throw fieldError(field, 'has an item that is not a valid id');
  return items;
}

// ---------------------------------------------------------------------------------------------
// Dates of the statistics and grants: platform local time, as the document writes it.

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** Comparable value of a date text, or undefined when it is not a real date (and time). */
function dateValue(text: string): number | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real && year >= 1970 && year <= 2999 ? date.getTime() : undefined;
}

function optionalDate(body: Body, field: string): string | undefined {
  const text = optionalString(body, field, { max: 19 });
  if (text !== undefined && dateValue(text) === undefined) throw fieldError(field, 'must be a date yyyy-MM-dd or yyyy-MM-dd HH:mm:ss');
  return text;
}

interface StatsFilter {
  callName?: string;
  timeBefore?: string;
  timeAfter?: string;
}

/** Section 8.1–8.4 and 8.7: `call_Name`, and the period from `timeBefore` to `timeAfter`. */
function statsFilter(body: Body): StatsFilter {
  const filter: StatsFilter = {
    callName: optionalString(body, fieldName(body, 'callName', 'call_Name'), { max: 64 }),
    timeBefore: optionalDate(body, 'timeBefore'),
    timeAfter: optionalDate(body, 'timeAfter'),
  };
  // timeBefore is the start of the period (the document's example: 2020-01-01 to 2020-03-03).
  if (filter.timeBefore && filter.timeAfter && dateValue(filter.timeBefore)! > dateValue(filter.timeAfter.length === 10 ? `${filter.timeAfter} 23:59:59` : filter.timeAfter)!) {
    throw fieldError('timeAfter', 'is before timeBefore');
  }
  return filter;
}

function statsBody(filter: StatsFilter): Body {
  const body: Body = {};
  if (filter.callName) body.call_Name = filter.callName;
  if (filter.timeBefore) body.timeBefore = filter.timeBefore;
  if (filter.timeAfter) body.timeAfter = filter.timeAfter;
  return body;
}

interface GrantParams {
  appId: string;
  dueTime: string;
  capabilityIds: string[];
}

function grantParams(body: Body): GrantParams {
  const appId = requiredString(body, 'appId', { max: 64, pattern: ID });
  const dueText = requiredString(body, 'dueTime', { max: 19 });
  // The document writes "2020-11-11 00:00:00"; a bare date means its midnight.
  const dueTime = dueText.length === 10 ? `${dueText} 00:00:00` : dueText;
  if (dueTime.length !== 19 || dateValue(dueTime) === undefined) throw fieldError('dueTime', 'must be a date and time yyyy-MM-dd HH:mm:ss');
  const capabilityIds = idList(body, fieldName(body, 'capabilityIdArray', 'capabilityIds'), { required: true, max: MAX_CAPABILITIES, item: CAPABILITY_ID, itemMax: 32 });
  return { appId, dueTime, capabilityIds };
}

/**
 * The document's examples send `["C10000000001,C10000000002"]`: one comma-joined text in the
 * array. That form is sent, as it is the one the platform was shown to accept.
 */
function grantBody(params: GrantParams): Body {
  return { appId: params.appId, dueTime: params.dueTime, capabilityIdArray: [params.capabilityIds.join(',')] };
}

export function createFacePlatformAdminOps(client: FacePlatformClient | undefined): RegisteredOp[] {
  const call = (path: string, body: Body) => clientOrFail(client).call(path, body);
  const koala = (path: string, body: Body, options?: { bare?: boolean }) => clientOrFail(client).callKoala(path, body, options);

  // --- Section 9.1: user groups.

  const groupCreate = defineOp<{ groupId: string }>({
    name: 'group.create',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: (body) => ({ groupId: koalaId(body, 'groupId', 'group_id') }),
    async run(params) {
      await koala(PATHS.groupAdd, { group_id: params.groupId });
      return { data: { groupId: params.groupId, created: true } };
    },
  });

  const groupRemove = defineOp<{ groupId: string }>({
    name: 'group.remove',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: (body) => ({ groupId: koalaId(body, 'groupId', 'group_id') }),
    async run(params) {
      await koala(PATHS.groupDelete, { group_id: params.groupId });
      return { data: { groupId: params.groupId, removed: true } };
    },
  });

  const groupList = defineOp<{ start: number; length: number }>({
    name: 'group.list',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: page,
    async run(params) {
      // Section 9.1.3 sends numbers.
      return { data: { ...normaliseGroupList(await koala(PATHS.groupList, { start: params.start, length: params.length })), ...params } };
    },
  });

  const groupCount = defineOp<{ opAppIds: string[] }>({
    name: 'group.count',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: (body) => ({ opAppIds: idList(body, fieldName(body, 'opAppIdList', 'op_app_id_list'), { required: false, max: 100, item: APP_ID_LIST_ITEM, itemMax: 64 }) }),
    async run(params) {
      const body: Body = params.opAppIds.length > 0 ? { op_app_id_list: params.opAppIds.join(',') } : {};
      return { data: normaliseAppStats(await koala(PATHS.statApp, body, { bare: true })) };
    },
  });

  const groupStats = defineOp<{ groupIds: string[] }>({
    name: 'group.stats',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: (body) => ({
      groupIds: idList(body, fieldName(body, 'groupIdList', 'group_id_list'), { required: true, max: MAX_STAT_GROUPS, item: KOALA_ID, itemMax: KOALA_ID_MAX }),
    }),
    async run(params) {
      const answer = await koala(PATHS.statGroup, { group_id_list: params.groupIds.join(',') }, { bare: true });
      return { data: normaliseGroupStats(answer, params.groupIds) };
    },
  });

  // --- Section 9.2: users.

  const userCopy = defineOp<{ userId: string; srcGroupId: string; dstGroupId: string }>({
    name: 'user.copy',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: (body) => ({
      userId: koalaId(body, 'userId', 'user_id'),
      srcGroupId: koalaId(body, 'srcGroupId', 'src_group_id'),
      dstGroupId: koalaId(body, 'dstGroupId', 'dst_group_id'),
    }),
    async run(params) {
      await koala(PATHS.userCopy, { user_id: params.userId, src_group_id: params.srcGroupId, dst_group_id: params.dstGroupId });
      return { data: { ...params, copied: true } };
    },
  });

  const userGet = defineOp<{ userId: string; groupId: string }>({
    name: 'user.get',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: (body) => {
      const groupField = fieldName(body, 'groupId', 'group_id');
      // "@ALL" looks the user up in every group (section 9.2.2).
      const groupId = body[groupField] === '@ALL' ? '@ALL' : koalaId(body, 'groupId', 'group_id');
      return { userId: koalaId(body, 'userId', 'user_id'), groupId };
    },
    async run(params) {
      return { data: normaliseUsers(await koala(PATHS.userGet, { user_id: params.userId, group_id: params.groupId })) };
    },
  });

  const userList = defineOp<{ groupId: string; start: number; length: number }>({
    name: 'user.list',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: (body) => ({ groupId: koalaId(body, 'groupId', 'group_id'), ...page(body) }),
    async run(params) {
      // Section 9.2.3 types start and length as String.
      const result = await koala(PATHS.userList, { group_id: params.groupId, start: String(params.start), length: String(params.length) });
      return { data: { ...normaliseUsers(result), groupId: params.groupId, start: params.start, length: params.length } };
    },
  });

  // --- Section 8: usage statistics.

  const methodStats = (name: string, path: string) =>
    defineOp<StatsFilter>({
      name,
      vendor: FACE_PLATFORM,
      admin: true,
      safeToRetry: true,
      validate: statsFilter,
      async run(params) {
        return { data: normaliseMethodUsage(await call(path, statsBody(params))) };
      },
    });

  const periodStats = (name: string, path: string, period: StatsPeriod) =>
    defineOp<StatsFilter>({
      name,
      vendor: FACE_PLATFORM,
      admin: true,
      safeToRetry: true,
      validate: statsFilter,
      async run(params) {
        return { data: { period, ...normalisePeriods(await call(path, statsBody(params)), period) } };
      },
    });

  const chartByDay = defineOp<{ time?: string }>({
    name: 'stats.chartByDay',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: (body) => {
      const field = fieldName(body, 'time', 'month');
      const time = optionalString(body, field, { max: 7 });
      if (time !== undefined && (!/^\d{4}-\d{2}$/.test(time) || dateValue(`${time}-01`) === undefined)) throw fieldError(field, 'must be a month yyyy-MM');
      return { time };
    },
    async run(params) {
      return { data: normaliseChartByDay(await call(COMMON.statsChartByDay, params.time ? { time: params.time } : {}), params.time) };
    },
  });

  const chartByMonth = defineOp<{ year?: string }>({
    name: 'stats.chartByMonth',
    vendor: FACE_PLATFORM,
    admin: true,
    safeToRetry: true,
    validate: (body) => {
      const year = optionalString(body, 'year', { max: 4, pattern: /^\d{4}$/ });
      if (year !== undefined && dateValue(`${year}-01-01`) === undefined) throw fieldError('year', 'must be a year yyyy');
      return { year };
    },
    async run(params) {
      return { data: normaliseChartByMonth(await call(COMMON.statsChartByMonth, params.year ? { year: params.year } : {}), params.year) };
    },
  });

  // --- Section 6: grants.

  const grantCreate = defineOp<GrantParams>({
    name: 'grant.create',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: grantParams,
    async run(params) {
      // A duplicate is a Spring error page (HTTP 500, "当前授权用户已存在"): ALREADY_EXISTS.
      return { data: { ...normaliseGrant(await call(PATHS.grantAuthorize, grantBody(params)), params.appId), capabilityIds: params.capabilityIds } };
    },
  });

  const grantUpdate = defineOp<GrantParams>({
    name: 'grant.update',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: grantParams,
    async run(params) {
      return { data: normaliseGrantUpdate(await call(PATHS.updateAuthorize, grantBody(params)), params.appId, params.dueTime) };
    },
  });

  const grantRemove = defineOp<{ appId: string }>({
    name: 'grant.remove',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: (body) => ({ appId: requiredString(body, 'appId', { max: 64, pattern: ID }) }),
    async run(params) {
      await call(PATHS.deleteAuthorizedUser, { appId: params.appId });
      return { data: { appId: params.appId, removed: true } };
    },
  });

  return [
    groupCreate,
    groupRemove,
    groupList,
    groupCount,
    groupStats,
    userCopy,
    userGet,
    userList,
    methodStats('stats.total', COMMON.statsTotal),
    periodStats('stats.byDay', COMMON.statsByDay, 'day'),
    periodStats('stats.byWeek', COMMON.statsByWeek, 'week'),
    periodStats('stats.byMonth', COMMON.statsByMonth, 'month'),
    chartByDay,
    chartByMonth,
    methodStats('stats.duration', COMMON.statsDuration),
    grantCreate,
    grantUpdate,
    grantRemove,
  ];
}
