/**
 * What the two halves of the face-platform mock share: the face store (groups of enrolled
 * persons, with their 华铭考拉 user records), the answer helpers, the failures a route throws,
 * and the platform's local time (China, UTC+8), in which it writes every date.
 */
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendJson } from './faults.js';
import { decodeImage, hasFace, type Feature, type GrayImage } from './image.js';

export type Json = Record<string, unknown>;

export const OK_MESSAGE = '系统处理正常';
export const BAD_BASE64 = 'Base64编码错误或图片原始数据错误或特征图片都为空';
export const NO_FEATURE = '80018,extract feature decode pictrue! get feature failed';
export const SERVER_ERROR = '服务端报错';
/** The failure message of sections 5, 6 and 8. */
export const RUNTIME_ERROR = '运行时出错!';
export const MAX_IMAGE_CHARS = 2 * 1024 * 1024;

export interface Person {
  personNo: string;
  faceId: string;
  feature: Feature;
  image: Buffer;
  mime: string;
  info: Record<string, unknown>;
}

/** One user record of a group as section 9 lists it; a person may have several in one group. */
export interface UserRecord {
  id: string;
  personNo: string;
  createTime: string;
}

export interface Group {
  id: number;
  groupId: string;
  personDbLib: string;
  dbName?: string;
  dbDesc?: string;
  /** Platform local time of creation (section 9.1.5 `ctime`). */
  ctime: string;
  persons: Map<string, Person>;
  users: UserRecord[];
}

/** A `flag: false` answer with HTTP 200; `withResultCode` adds `resultCode: 1` as some routes do. */
export class MockFailure extends Error {
  constructor(
    message: string,
    readonly withResultCode = false,
  ) {
    super(message);
  }
}

/** A Spring Boot error page (`{ timestamp, status, error, message, path }`), as sections 6.1 and 10.2 show. */
export class SpringFailure extends Error {
  constructor(
    message: string,
    readonly status = 500,
    readonly error = 'Internal Server Error',
    /** Section 10.2 shows a date only ("2020-06-02") where section 6.1 shows an ISO time. */
    readonly dateOnlyTimestamp = false,
  ) {
    super(message);
  }
}

export function success(data: unknown): Json {
  return { flag: true, resultCode: 0, message: OK_MESSAGE, data };
}

/** Spring Boot's error page, as the document shows it for server failures. */
export function sendSpringError(response: ServerResponse, status: number, error: string, message: string, path: string, timestamp?: string): void {
  sendJson(response, status, { timestamp: timestamp ?? new Date().toISOString().replace('Z', '+0000'), status, error, message, path });
}

export function textField(body: Json, field: string, required: boolean): string {
  const value = body[field];
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (required && !text) throw new MockFailure(`${field}不能为空`);
  return text;
}

export function decodedImage(body: Json, field: string): { image: GrayImage; bytes: Buffer; mime: string } {
  const value = body[field];
  if (typeof value === 'string' && value.length > MAX_IMAGE_CHARS) throw new MockFailure('图片大小不能超过2M');
  if (typeof value !== 'string' || value === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new MockFailure(BAD_BASE64);
  const bytes = Buffer.from(value, 'base64');
  const decoded = decodeImage(bytes);
  if (!decoded) throw new MockFailure(BAD_BASE64);
  return { image: decoded.image, bytes, mime: decoded.mime };
}

/** A decoded image with a face in it, or the platform's feature-extraction failure. */
export function faceImage(body: Json, field: string): { image: GrayImage; bytes: Buffer; mime: string } {
  const decoded = decodedImage(body, field);
  if (!hasFace(decoded.image)) throw new MockFailure(NO_FEATURE);
  return decoded;
}

// ---------------------------------------------------------------------------------------------
// Platform local time.

const PLATFORM_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `ms` (epoch) as the platform's wall-clock: a Date whose UTC fields are the local ones. */
export function platformClock(ms: number): Date {
  return new Date(ms + PLATFORM_OFFSET_MS);
}

export function localDate(clock: Date): string {
  return `${clock.getUTCFullYear()}-${pad(clock.getUTCMonth() + 1)}-${pad(clock.getUTCDate())}`;
}

/** `yyyy-MM-dd HH:mm:ss` in platform local time. */
export function platformTime(ms: number): string {
  const clock = platformClock(ms);
  return `${localDate(clock)} ${pad(clock.getUTCHours())}:${pad(clock.getUTCMinutes())}:${pad(clock.getUTCSeconds())}`;
}

/**
 * Epoch ms of a platform local `yyyy-MM-dd[ HH:mm:ss]`; a bare date is its first or (with
 * `endOfDay`) last millisecond. Undefined when the text is not such a date.
 */
export function parsePlatformTime(text: string, endOfDay = false): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const local = Date.UTC(year, month - 1, day, Number(match[4] ?? 0), Number(match[5] ?? 0), Number(match[6] ?? 0));
  const check = new Date(local);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return local - PLATFORM_OFFSET_MS + (endOfDay && match[4] === undefined ? DAY_MS - 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// The face store.

export class MockFaceStore {
  readonly groups = new Map<string, Group>();
  private groupCounter = 0;
  private userRecordCounter = 0;

  constructor(readonly now: () => number) {}

  group(groupId: string, create: boolean): Group | undefined {
    let group = this.groups.get(groupId);
    if (!group && create) {
      group = {
        id: ++this.groupCounter + 60,
        groupId,
        personDbLib: randomUUID().replace(/-/g, ''),
        ctime: platformTime(this.now()),
        persons: new Map(),
        users: [],
      };
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** Puts a person in a group and adds a user record for it (a second one if it had one). */
  addPerson(group: Group, person: Person): void {
    group.persons.set(person.personNo, person);
    group.users.push({ id: String(++this.userRecordCounter), personNo: person.personNo, createTime: platformTime(this.now()) });
  }

  removePerson(group: Group, personNo: string): boolean {
    group.users = group.users.filter((user) => user.personNo !== personNo);
    return group.persons.delete(personNo);
  }

  clear(): void {
    this.groups.clear();
  }
}
