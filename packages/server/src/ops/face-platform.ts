/**
 * Face-platform ops: enrol, 1:1 / 1:N / M:N search, remove, get, quality, detect, and the
 * face-library admin ops. Parameter names follow the vendor document (section 7). Register and
 * face login (section 10) are in face-platform-account.ts; the group, user, statistics and grant
 * admin ops (sections 6, 8, 9) in face-platform-admin.ts.
 */
import { FACE_PLATFORM_PATHS as PATHS, type FacePlatformClient } from '../vendors/face-platform/client.js';
import { FACE_PLATFORM } from '../vendors/face-platform/errors.js';
import { createFacePlatformAccountOps } from './face-platform-account.js';
import { createFacePlatformAdminOps } from './face-platform-admin.js';
import { ID, clientOrFail, linker } from './face-platform-shared.js';
import {
  normaliseCompare,
  normaliseDetect,
  normaliseEnroll,
  normaliseGet,
  normaliseLibrary,
  normaliseLibraryList,
  normaliseQuality,
  normaliseSearch,
  normaliseSearchMany,
  type PersonFields,
} from '../vendors/face-platform/normalise.js';
import { defineOp, type RegisteredOp } from './types.js';
import { optionalBirthday, optionalInteger, optionalString, requiredImage, requiredString } from './validate.js';

/** Used only when the vendor's compare answer carries no same-person flag. */
const SAME_PERSON_THRESHOLD = 0.8;

const groupIdOf = (body: Record<string, unknown>) => requiredString(body, 'groupId', { max: 64, pattern: ID });
/** `userId` as in the vendor document; `personId` as the endpoint itself names it. */
const userIdOf = (body: Record<string, unknown>) =>
  requiredString(body, body.userId !== undefined ? 'userId' : body.personId !== undefined ? 'personId' : 'userId', { max: 64, pattern: ID });

interface EnrollParams extends PersonFields {
  groupId: string;
  image: string;
}

export function createFacePlatformOps(client: FacePlatformClient | undefined): RegisteredOp[] {
  const call = (path: string, body: Record<string, unknown>) => clientOrFail(client).call(path, body);

  const enroll = defineOp<EnrollParams>({
    name: 'face.enroll',
    vendor: FACE_PLATFORM,
    billable: true,
    validate: (body) => ({
      groupId: groupIdOf(body),
      image: requiredImage(body, 'image'),
      name: optionalString(body, 'name', { max: 64 }),
      sex: optionalInteger(body, 'sex', (v) => v === 1 || v === 2, 'must be 1 (male) or 2 (female)'),
      birthday: optionalBirthday(body),
      province: optionalString(body, 'province', { max: 32 }),
      duty: optionalString(body, 'duty', { max: 64 }),
      type: optionalInteger(body, 'type', (v) => v >= 1 && v <= 4, 'must be 1, 2, 3 or 4'),
      idIccid: optionalString(body, 'idIccid', { max: 32 }),
      custId: optionalString(body, 'custId', { max: 64 }),
      company: optionalString(body, 'company', { max: 128 }),
      remark: optionalString(body, 'remark', { max: 256 }),
    }),
    async run(params, context) {
      // The document types `type` as a String in its table; send it so.
      const body: Record<string, unknown> = { ...params, type: params.type === undefined ? undefined : String(params.type) };
      for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
      return { data: await normaliseEnroll(await call(PATHS.add, body), linker(context)) };
    },
  });

  const search = defineOp<{ groupId: string; image: string }>({
    name: 'face.search',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ groupId: groupIdOf(body), image: requiredImage(body, 'image') }),
    async run(params, context) {
      const match = await normaliseSearch(await call(PATHS.recognition, params), linker(context));
      return match ? { data: match } : { code: 'NO_MATCH' };
    },
  });

  const searchMany = defineOp<{ groupId?: string; image: string }>({
    name: 'face.searchMany',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ image: requiredImage(body, 'image'), groupId: optionalString(body, 'groupId', { max: 64, pattern: ID }) }),
    async run(params, context) {
      const body: Record<string, unknown> = { image: params.image };
      if (params.groupId) body.groupId = params.groupId;
      const result = await normaliseSearchMany(await call(PATHS.recognitionMany, body), linker(context));
      const anyMatch = result.faces.some((face) => face.matches.length > 0);
      return anyMatch ? { data: result } : { code: 'NO_MATCH', data: result };
    },
  });

  const compare = defineOp<{ imageA: string; imageB: string }>({
    name: 'face.compare',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ imageA: requiredImage(body, 'imageA'), imageB: requiredImage(body, 'imageB') }),
    async run(params) {
      return { data: normaliseCompare(await call(PATHS.couple, params), SAME_PERSON_THRESHOLD) };
    },
  });

  const remove = defineOp<{ groupId: string; userId: string }>({
    name: 'face.remove',
    vendor: FACE_PLATFORM,
    validate: (body) => ({ groupId: groupIdOf(body), userId: userIdOf(body) }),
    async run(params) {
      await call(PATHS.remove, params);
      return { data: { personId: params.userId, removed: true } };
    },
  });

  const get = defineOp<{ groupId: string; userId: string }>({
    name: 'face.get',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ groupId: groupIdOf(body), userId: userIdOf(body) }),
    async run(params, context) {
      return { data: await normaliseGet(await call(PATHS.query, params), params.userId, linker(context)) };
    },
  });

  const quality = defineOp<{ image: string }>({
    name: 'face.quality',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ image: requiredImage(body, 'image') }),
    async run(params) {
      // A failed check is an answer, not an error: data.passed says it.
      return { data: normaliseQuality(await call(PATHS.quality, params)) };
    },
  });

  const detect = defineOp<{ image: string }>({
    name: 'face.detect',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    validate: (body) => ({ image: requiredImage(body, 'image') }),
    async run(params) {
      const result = normaliseDetect(await call(PATHS.detect, params));
      return result.faces.length > 0 ? { data: result } : { code: 'NO_FACE', data: result };
    },
  });

  const libraryCreate = defineOp<{ groupId: string; dbName: string; dbDesc?: string }>({
    name: 'library.create',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: (body) => ({
      groupId: groupIdOf(body),
      dbName: requiredString(body, body.dbName !== undefined ? 'dbName' : 'name', { max: 64 }),
      dbDesc: optionalString(body, body.dbDesc !== undefined ? 'dbDesc' : 'description', { max: 256 }),
    }),
    async run(params) {
      const body: Record<string, unknown> = { groupId: params.groupId, dbName: params.dbName };
      if (params.dbDesc) body.dbDesc = params.dbDesc;
      return { data: normaliseLibrary(await call(PATHS.addBase, body), params.groupId) };
    },
  });

  const libraryRemove = defineOp<{ groupId: string }>({
    name: 'library.remove',
    vendor: FACE_PLATFORM,
    admin: true,
    validate: (body) => ({ groupId: groupIdOf(body) }),
    async run(params) {
      await call(PATHS.deleteBase, params);
      return { data: { groupId: params.groupId, removed: true } };
    },
  });

  const libraryList = defineOp<{ pageNo: number; pageSize: number }>({
    name: 'library.list',
    vendor: FACE_PLATFORM,
    safeToRetry: true,
    admin: true,
    validate: (body) => ({
      pageNo: optionalInteger(body, 'pageNo', (v) => v >= 1, 'must be 1 or more') ?? 1,
      pageSize: optionalInteger(body, 'pageSize', (v) => v >= 1 && v <= 100, 'must be 1 to 100') ?? 20,
    }),
    async run(params) {
      // The document sends both as strings.
      const data = await call(PATHS.queryBaseAll, { pageNo: String(params.pageNo), pageSize: String(params.pageSize) });
      return { data: { ...normaliseLibraryList(data), pageNo: params.pageNo, pageSize: params.pageSize } };
    },
  });

  return [
    enroll,
    search,
    searchMany,
    compare,
    remove,
    get,
    quality,
    detect,
    libraryCreate,
    libraryRemove,
    libraryList,
    ...createFacePlatformAccountOps(client),
    ...createFacePlatformAdminOps(client),
  ];
}
