/**
 * Stable `data` shapes of the face platform's admin and account answers: register and face login
 * (section 10), grants (section 6), usage statistics (section 8, and the lower-case field names
 * of section 5), and the 华铭考拉 user groups (section 9, snake_case and bare maps).
 */
import { isRecord } from './client.js';
import { dataRecord, linkIfAny, malformed, num, str, type LinkImage } from './normalise.js';

// ---------------------------------------------------------------------------------------------
// Section 10: register and face login.

export interface RegisterResult {
  username: string;
  personId: string;
  /** Endpoint URL of the registered photo (never the vendor's host). */
  imageUrl?: string;
}

/** The password is not an input here on purpose: nothing it could leak through is built. */
export async function normaliseRegister(data: unknown, username: string, link: LinkImage): Promise<RegisterResult> {
  const record = dataRecord(data, 'register');
  const personId = str(record.personNo) ?? str(record.personId);
  if (!personId) throw malformed('register: no personNo');
  const result: RegisterResult = { username, personId };
  const imageUrl = await linkIfAny(record.url, link);
  if (imageUrl) result.imageUrl = imageUrl;
  return result;
}

export interface LoginResult {
  matched: true;
  /** The page of the platform's own site that the login leads to (`data` of 10.2), when given. */
  redirectPath?: string;
}

/** Section 10.2 answers only a path (`"/pages/index.html"`): the platform names no user. */
export function normaliseLogin(data: unknown): LoginResult {
  const result: LoginResult = { matched: true };
  const path = typeof data === 'string' ? data.trim() : isRecord(data) ? str(data.url ?? data.path) : undefined;
  if (path) result.redirectPath = path;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Section 6: grants.

export interface GrantResult {
  appId: string;
  dueTime?: string;
  /** The platform's token that carries the granted capabilities, for the granted app. */
  token?: string;
}

export function normaliseGrant(data: unknown, appId: string): GrantResult {
  const record = dataRecord(data, 'grant');
  const result: GrantResult = { appId: str(record.appId) ?? appId };
  const dueTime = str(record.dueTime);
  if (dueTime) result.dueTime = dueTime;
  const token = str(record.token);
  if (token) result.token = token;
  return result;
}

export interface GrantUpdateResult extends GrantResult {
  /** Capabilities the app had already; the vendor sends them as Java's List text "[A, B]". */
  existing: string[];
  /** Capabilities the update added. */
  added: string[];
}

export function normaliseGrantUpdate(data: unknown, appId: string, dueTime: string): GrantUpdateResult {
  const record = dataRecord(data, 'grant update');
  return { ...normaliseGrant({ dueTime, ...record }, appId), existing: listOf(record.existAuthorize), added: listOf(record.addAuthorize) };
}

/** `"[C1, C2]"` (Java's List.toString), a JSON array, or a comma list, as an array of ids. */
export function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map((item) => str(item) ?? '') : typeof value === 'string' ? value.replace(/^\s*\[|\]\s*$/g, '').split(',') : [];
  // The document's own requests put "A,B" in one array element; split those too.
  return [...new Set(items.flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean))];
}

// ---------------------------------------------------------------------------------------------
// Section 8 (and 5): usage statistics.

interface MethodFields {
  /** The platform's method name, e.g. `faceRecognition`. */
  method: string;
  /** Its display name, e.g. 人脸识别 (the `call_Name` filter matches it). */
  name?: string;
  /** The engine, e.g. 人脸识别(云从). */
  source?: string;
}

export interface MethodUsage extends MethodFields {
  calls: number;
  /** Processing time in ms as the platform reports it (the document does not say total or mean). */
  costMs?: number;
  /** Platform local time of the latest call, `yyyy-MM-dd HH:mm:ss`. */
  lastCallAt?: string;
}

export interface PeriodUsage extends MethodFields {
  /** First day of the period, `yyyy-MM-dd`. */
  from: string;
  /** Last day of the period, inclusive. */
  to: string;
  calls: number;
  costMs?: number;
}

export type StatsPeriod = 'day' | 'week' | 'month';

/** Section 8 spells fields in camelCase (`costTime`), section 5 in lower case (`costtime`). */
function statField(record: Record<string, unknown>, camel: string): unknown {
  return record[camel] ?? record[camel.toLowerCase()];
}

function methodFields(record: Record<string, unknown>): MethodFields | undefined {
  const method = str(statField(record, 'methodName'));
  if (!method) return undefined;
  const fields: MethodFields = { method };
  const name = str(statField(record, 'visitMsg'));
  if (name) fields.name = name;
  const source = str(statField(record, 'visitSource'));
  if (source) fields.source = source;
  return fields;
}

function statRows(data: unknown, what: string): Record<string, unknown>[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw malformed(`${what}: data is not an array`);
  return data.filter(isRecord);
}

function withCost<T extends object>(target: T, record: Record<string, unknown>): T & { costMs?: number } {
  const cost = num(statField(record, 'costTime'));
  return cost === undefined ? target : { ...target, costMs: cost };
}

/** Sections 8.1 (`stats.total`) and 8.7 (`stats.duration`): one row per method. */
export function normaliseMethodUsage(data: unknown): { methods: MethodUsage[]; calls: number } {
  const methods: MethodUsage[] = [];
  for (const record of statRows(data, 'stats')) {
    const fields = methodFields(record);
    if (!fields) continue;
    const usage: MethodUsage = withCost({ ...fields, calls: num(record.count) ?? 0 }, record);
    const lastCallAt = str(record.day);
    if (lastCallAt) usage.lastCallAt = lastCallAt;
    methods.push(usage);
  }
  return { methods, calls: methods.reduce((sum, usage) => sum + usage.calls, 0) };
}

/**
 * Sections 8.2–8.4: one row per method and period. `day` is "begin~~~end". By week and month the
 * end is the period's last day; by day it is the next day, so `to` is taken as `from` there.
 */
export function normalisePeriods(data: unknown, period: StatsPeriod): { periods: PeriodUsage[] } {
  const periods: PeriodUsage[] = [];
  for (const record of statRows(data, 'stats')) {
    const fields = methodFields(record);
    const [rangeFrom, rangeTo] = (str(record.day) ?? '').split('~~~');
    const from = str(record.begin) ?? str(rangeFrom);
    const to = period === 'day' ? from : (str(record.end) ?? str(rangeTo));
    if (!fields || !from || !to) continue;
    periods.push(withCost({ ...fields, from, to, calls: num(record.count) ?? 0 }, record));
  }
  return { periods };
}

export interface ChartSeries<Point> extends MethodFields {
  points: Point[];
}

export interface DayPoint {
  date: string;
  calls: number;
  costMs?: number;
}

export interface MonthPoint {
  month: string;
  calls: number;
  costMs?: number;
}

/** Charts nest one array per method: `data: [[point, …], …]`. */
function chartSeries<Point>(data: unknown, what: string, point: (record: Record<string, unknown>, day: string) => Point): ChartSeries<Point>[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw malformed(`${what}: data is not an array`);
  const series: ChartSeries<Point>[] = [];
  for (const group of data) {
    const records = (Array.isArray(group) ? group : [group]).filter(isRecord);
    const fields = records.map(methodFields).find(Boolean);
    if (!fields) continue;
    const points: Point[] = [];
    for (const record of records) {
      const day = str(record.day);
      if (day) points.push(point(record, day));
    }
    series.push({ ...fields, points });
  }
  return series;
}

/** Section 8.5: calls per day of one month; `total` is the number of days in that month. */
export function normaliseChartByDay(data: unknown, requestedMonth?: string): { month?: string; daysInMonth?: number; series: ChartSeries<DayPoint>[] } {
  let daysInMonth: number | undefined;
  const series = chartSeries<DayPoint>(data, 'chart by day', (record, day) => {
    daysInMonth ??= num(record.total);
    return withCost({ date: day, calls: num(record.count) ?? 0 }, record);
  });
  const month = requestedMonth ?? series.flatMap((entry) => entry.points)[0]?.date.slice(0, 7);
  return { ...(month ? { month } : {}), ...(daysInMonth === undefined ? {} : { daysInMonth }), series };
}

/** Section 8.6: calls per month of one year. */
export function normaliseChartByMonth(data: unknown, requestedYear?: string): { year?: string; series: ChartSeries<MonthPoint>[] } {
  const series = chartSeries<MonthPoint>(data, 'chart by month', (record, day) => withCost({ month: day, calls: num(record.count) ?? 0 }, record));
  const year = requestedYear ?? series.flatMap((entry) => entry.points)[0]?.month.slice(0, 4);
  return year ? { year, series } : { series };
}

// ---------------------------------------------------------------------------------------------
// Section 9: 华铭考拉 user groups and users.

export function normaliseGroupList(result: unknown): { groupIds: string[] } {
  if (result === null || result === undefined) return { groupIds: [] };
  const record = dataRecord(result, 'group list');
  const list = Array.isArray(record.group_id_list) ? record.group_id_list : [];
  return { groupIds: list.map((id) => str(id)).filter((id): id is string => id !== undefined) };
}

/** Section 9.1.4 answers a bare map `{ "<app id>": { group_num } }`. */
export function normaliseAppStats(answer: unknown): { apps: Array<{ appId: string; groupCount: number }> } {
  const record = dataRecord(answer, 'group count');
  const apps = Object.entries(record)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .map(([appId, stats]) => ({ appId, groupCount: num(stats.group_num) ?? 0 }));
  return { apps };
}

export interface GroupStats {
  groupId: string;
  userCount: number;
  faceCount: number;
  /** Platform local time, `yyyy-MM-dd HH:mm:ss`, as given. */
  createdAt?: string;
}

/** Section 9.1.5 answers a bare map `{ "<group id>": { user_num, face_num, ctime } }`; absent groups are unknown. */
export function normaliseGroupStats(answer: unknown, requested: readonly string[]): { groups: GroupStats[]; unknownGroupIds: string[] } {
  const record = dataRecord(answer, 'group stats');
  const groups: GroupStats[] = [];
  const unknownGroupIds: string[] = [];
  // The vendor's map has no order; answer in the order asked.
  for (const groupId of requested) {
    const stats = record[groupId];
    if (!isRecord(stats)) {
      unknownGroupIds.push(groupId);
      continue;
    }
    const group: GroupStats = { groupId, userCount: num(stats.user_num) ?? 0, faceCount: num(stats.face_num) ?? 0 };
    const createdAt = str(stats.ctime);
    if (createdAt) group.createdAt = createdAt;
    groups.push(group);
  }
  return { groups, unknownGroupIds };
}

export interface GroupUser {
  /** The platform's record id; one user may have several records in a group. */
  id: string;
  groupId: string;
  userId: string;
  userName?: string;
  userInfo?: string;
  createdAt?: string;
}

/** Sections 9.2.2 (`user_list`) and 9.2.3 (`user_id_list`, though its table says `user_list`). */
export function normaliseUsers(result: unknown): { users: GroupUser[] } {
  if (result === null || result === undefined) return { users: [] };
  const record = dataRecord(result, 'users');
  const list = Array.isArray(record.user_list) ? record.user_list : Array.isArray(record.user_id_list) ? record.user_id_list : [];
  const users: GroupUser[] = [];
  for (const entry of list.filter(isRecord)) {
    const id = str(entry.id);
    const groupId = str(entry.groupId ?? entry.group_id);
    const userId = str(entry.userId ?? entry.user_id);
    if (!id || !groupId || !userId) continue;
    const user: GroupUser = { id, groupId, userId };
    const userName = str(entry.userName);
    if (userName) user.userName = userName;
    const userInfo = str(entry.userInfo);
    if (userInfo) user.userInfo = userInfo;
    const createdAt = str(entry.createTime);
    if (createdAt) user.createdAt = createdAt;
    users.push(user);
  }
  return { users };
}
