/**
 * Turns face-platform answers into the stable `data` shapes of the endpoint. Both API versions
 * of the vendor document are read: section 7 (micro-service: `personNo`, `score` 0–100,
 * `records`, compare `msg: "ok"`) and section 3 (`personID`, `similarity` 0–1 as a string,
 * compare `onePerson: "true"` / the misspelt `"flase"`).
 */
import { EndpointError } from '../../endpoint-error.js';
import { isRecord } from './client.js';
import { FACE_PLATFORM } from './errors.js';

export interface EnrollResult {
  personId: string;
  /** Endpoint URL of the stored photo (never the vendor's host). */
  imageUrl?: string;
}

/** A person's own fields on the platform, as `face.enroll` takes them and the answers carry them. */
export interface PersonFields {
  name?: string;
  sex?: number;
  birthday?: number;
  province?: string;
  duty?: string;
  type?: number;
  idIccid?: string;
  custId?: string;
  company?: string;
  remark?: string;
}

export interface PersonInfo extends PersonFields {
  personId: string;
  faceId?: string;
  imageUrl?: string;
}

export interface SearchMatch {
  personId: string;
  /** 0…1. */
  similarity: number;
  person: PersonInfo;
}

export interface ManyMatch {
  personId: string;
  faceId?: string;
  similarity: number;
  imageUrl?: string;
}

export interface SearchManyResult {
  /** One entry per face found in the image, each with its matches, best first. */
  faces: Array<{ matches: ManyMatch[] }>;
}

export interface CompareResult {
  samePerson: boolean;
  similarity: number;
}

export interface GetResult {
  personId: string;
  faceId: string;
  imageUrl: string;
}

export interface QualityResult {
  passed: boolean;
  /** Overall score 0…1 when the platform gives one (section 3). */
  score?: number;
  /** Per-check values when the platform gives them (section 7 `qualities`). */
  checks?: number[];
}

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rewrites a vendor URL into one the browser may load; see media.ts. */
export type LinkImage = (vendorUrl: string) => Promise<string>;

export function malformed(what: string): EndpointError {
  return new EndpointError('VENDOR_ERROR', { vendor: { name: FACE_PLATFORM, code: 'malformed', message: what } });
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/** `score` fields are percentages (section 7); `similarity` fields are fractions (sections 2 and 3). */
function similarityOf(record: Record<string, unknown>): number | undefined {
  const fraction = num(record.similarity);
  if (fraction !== undefined) return round4(clamp01(fraction));
  const percent = num(record.score);
  if (percent !== undefined) return round4(clamp01(percent / 100));
  return undefined;
}

export function dataRecord(data: unknown, what: string): Record<string, unknown> {
  if (!isRecord(data)) throw malformed(`${what}: no data object`);
  return data;
}

export async function linkIfAny(url: unknown, link: LinkImage): Promise<string | undefined> {
  const text = str(url);
  return text ? link(text) : undefined;
}

export async function normaliseEnroll(data: unknown, link: LinkImage): Promise<EnrollResult> {
  const record = dataRecord(data, 'enroll');
  const personId = str(record.personNo) ?? str(record.personID) ?? str(record.personId);
  if (!personId) throw malformed('enroll: no person id');
  const result: EnrollResult = { personId };
  const imageUrl = await linkIfAny(record.url ?? record.imageUrl, link);
  if (imageUrl) result.imageUrl = imageUrl;
  return result;
}

const PERSON_TEXT_FIELDS = ['name', 'province', 'duty', 'idIccid', 'custId', 'company', 'remark'] as const;
const PERSON_NUMBER_FIELDS = ['sex', 'birthday', 'type'] as const;

async function personFrom(personId: string, source: Record<string, unknown>, link: LinkImage): Promise<PersonInfo> {
  const person: PersonInfo = { personId };
  const faceId = str(source.faceId);
  if (faceId) person.faceId = faceId;
  for (const field of PERSON_TEXT_FIELDS) {
    const value = str(source[field]);
    if (value !== undefined) person[field] = value;
  }
  for (const field of PERSON_NUMBER_FIELDS) {
    const value = num(source[field]);
    if (value !== undefined) person[field] = value;
  }
  const imageUrl = await linkIfAny(source.url ?? source.imageUrl, link);
  if (imageUrl) person.imageUrl = imageUrl;
  return person;
}

/** Best match of a 1:N search, or null when the platform found nobody above its threshold. */
export async function normaliseSearch(data: unknown, link: LinkImage): Promise<SearchMatch | null> {
  if (data === null || data === undefined) return null;
  const record = dataRecord(data, 'search');
  if (Array.isArray(record.records)) {
    const best = record.records
      .filter(isRecord)
      .map((entry) => ({ entry, similarity: similarityOf(entry) ?? 0 }))
      .sort((a, b) => b.similarity - a.similarity)[0];
    const personId = best && str(best.entry.personNo ?? best.entry.personId ?? best.entry.personID);
    if (!best || !personId) return null;
    return { personId, similarity: best.similarity, person: await personFrom(personId, best.entry, link) };
  }
  const personId = str(record.personID ?? record.personId ?? record.personNo);
  if (!personId) return null;
  const info = isRecord(record.personinfo) ? record.personinfo : {};
  return { personId, similarity: similarityOf(record) ?? 0, person: await personFrom(personId, { ...info, faceId: record.faceId ?? info.faceId }, link) };
}

export async function normaliseSearchMany(data: unknown, link: LinkImage): Promise<SearchManyResult> {
  if (data === null || data === undefined) return { faces: [] };
  const record = dataRecord(data, 'searchMany');
  if (!Array.isArray(record.records)) throw malformed('searchMany: no records');
  // Section 7 nests the matches per face: records: [[match, …], …].
  const groups = record.records.map((group) => (Array.isArray(group) ? group : [group]));
  const faces = [];
  for (const group of groups) {
    const matches: ManyMatch[] = [];
    for (const entry of group.filter(isRecord)) {
      const personId = str(entry.personNo ?? entry.personId ?? entry.personID);
      if (!personId) continue;
      const match: ManyMatch = { personId, similarity: similarityOf(entry) ?? 0 };
      const faceId = str(entry.faceId);
      if (faceId) match.faceId = faceId;
      const imageUrl = await linkIfAny(entry.url ?? entry.imageUrl, link);
      if (imageUrl) match.imageUrl = imageUrl;
      matches.push(match);
    }
    matches.sort((a, b) => b.similarity - a.similarity);
    faces.push({ matches });
  }
  return { faces };
}

/**
 * Section 7 says `msg: "ok"` for one person (the document does not give the other value);
 * section 3 says `onePerson: "true"` or, misspelt, `"flase"`.
 */
export function normaliseCompare(data: unknown, sameThreshold: number): CompareResult {
  const record = dataRecord(data, 'compare');
  const similarity = similarityOf(record);
  if (similarity === undefined) throw malformed('compare: no similarity');
  let samePerson: boolean;
  const onePerson = record.onePerson;
  if (onePerson !== undefined && onePerson !== null) {
    samePerson = onePerson === true || String(onePerson).trim().toLowerCase() === 'true';
  } else if (typeof record.msg === 'string') {
    samePerson = record.msg.trim().toLowerCase() === 'ok';
  } else {
    samePerson = similarity >= sameThreshold;
  }
  return { samePerson, similarity };
}

export async function normaliseGet(data: unknown, userId: string, link: LinkImage): Promise<GetResult> {
  const record = dataRecord(data, 'get');
  const vendorUrl = str(record.faceDBURL ?? record.url ?? record.imageUrl);
  if (!vendorUrl) throw malformed('get: no image url');
  return {
    personId: str(record.personID ?? record.personId) ?? userId,
    faceId: str(record.faceId) ?? '',
    imageUrl: await link(vendorUrl),
  };
}

/** The `feature` of section 3 is a biometric template: it is dropped, never sent to the browser. */
export function normaliseQuality(data: unknown): QualityResult {
  const record = dataRecord(data, 'quality');
  const flag = str(record.qualityFlag)?.toUpperCase();
  if (flag !== 'Y' && flag !== 'N') throw malformed('quality: no qualityFlag');
  const result: QualityResult = { passed: flag === 'Y' };
  const score = num(record.qualityScores);
  if (score !== undefined) result.score = round4(score);
  const checks = Array.isArray(record.qualities) ? record.qualities : Array.isArray(record.qualityScores) ? record.qualityScores : undefined;
  if (checks) result.checks = checks.map((value) => num(value) ?? 0);
  return result;
}

export function normaliseDetect(data: unknown): { faces: FaceBox[] } {
  const record = dataRecord(data, 'detect');
  if (!Array.isArray(record.records)) throw malformed('detect: no records');
  // Section 7 nests the boxes: records: [[{ x, y, width, height }, …]].
  const flat = record.records.flatMap((entry) => (Array.isArray(entry) ? entry : [entry])).filter(isRecord);
  const faces: FaceBox[] = [];
  for (const box of flat) {
    const x = num(box.x);
    const y = num(box.y);
    const width = num(box.width);
    const height = num(box.height);
    if (x === undefined || y === undefined || width === undefined || height === undefined) continue;
    faces.push({ x, y, width, height });
  }
  return { faces };
}

export interface LibraryInfo {
  groupId?: string;
  libraryId: string;
  name?: string;
  description?: string;
  id?: string;
}

export function normaliseLibrary(data: unknown, groupId?: string): LibraryInfo {
  const record = dataRecord(data, 'library');
  const libraryId = str(record.personDbLib);
  if (!libraryId) throw malformed('library: no personDbLib');
  const library: LibraryInfo = { libraryId };
  if (groupId) library.groupId = groupId;
  const name = str(record.dbName);
  if (name) library.name = name;
  const description = str(record.dbDesc);
  if (description) library.description = description;
  const id = str(record.id);
  if (id) library.id = id;
  return library;
}

export function normaliseLibraryList(data: unknown): { libraries: LibraryInfo[] } {
  if (data === null || data === undefined) return { libraries: [] };
  const record = dataRecord(data, 'library list');
  const records = Array.isArray(record.records) ? record.records.filter(isRecord) : [];
  return { libraries: records.map((entry) => normaliseLibrary(entry, str(entry.groupId))) };
}
