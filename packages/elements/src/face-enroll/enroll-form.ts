/** The person fields of `<face-enroll>` and the `face.enroll` body they make (face platform 3.1 / 7.4). */

export interface EnrollFields {
  name: string;
  /** '' (not given), '1' male, '2' female: the select's value. */
  sex: '' | '1' | '2';
  /** The date input's value, `yyyy-mm-dd`, or ''. */
  birthday: string;
  /** The full identity number; only ever shown masked unless revealed. */
  idIccid: string;
  custId: string;
  /** '' or '1'…'4': operator, customer, staff, stranger. */
  type: '' | '1' | '2' | '3' | '4';
  remark: string;
}

export const EMPTY_FIELDS: EnrollFields = Object.freeze({
  name: '',
  sex: '',
  birthday: '',
  idIccid: '',
  custId: '',
  type: '',
  remark: '',
}) as EnrollFields;

export interface EnrollBody {
  groupId: string;
  /** Base64 JPEG, no `data:` prefix. */
  image: string;
  name?: string;
  sex?: 1 | 2;
  /** yyyymmdd, e.g. 20190601. */
  birthday?: number;
  idIccid?: string;
  custId?: string;
  type?: 1 | 2 | 3 | 4;
  remark?: string;
}

/** `2019-06-01` → 20190601; undefined for an empty or malformed value. */
export function birthdayToNumber(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  return Number(`${match[1]}${match[2]}${match[3]}`);
}

/** Today as `yyyy-mm-dd` in local time, for the date input's `max`. */
export function todayIso(now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Builds the `face.enroll` body: empty fields are left out, numbers are numbers. */
export function buildEnrollBody(groupId: string, image: string, fields: EnrollFields): EnrollBody {
  const body: EnrollBody = { groupId, image };
  const text = (value: string): string | undefined => value.trim() || undefined;
  const name = text(fields.name);
  if (name) body.name = name;
  if (fields.sex === '1' || fields.sex === '2') body.sex = Number(fields.sex) as 1 | 2;
  const birthday = birthdayToNumber(fields.birthday);
  if (birthday) body.birthday = birthday;
  const idIccid = text(fields.idIccid.replace(/\s+/g, ''));
  if (idIccid) body.idIccid = idIccid;
  const custId = text(fields.custId);
  if (custId) body.custId = custId;
  if (fields.type) body.type = Number(fields.type) as 1 | 2 | 3 | 4;
  const remark = text(fields.remark);
  if (remark) body.remark = remark;
  return body;
}
