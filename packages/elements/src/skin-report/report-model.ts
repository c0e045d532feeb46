/**
 * The one place where `<skin-report>` turns an answer into its report model.
 *
 * `normaliseSkinReport()` accepts the endpoint's normalised `data` of `skin.result` /
 * `skin.analyze` (`{ calcId, clientId?, extra?, summary?, metrics, images }`, see
 * packages/server/src/vendors/skin/normalise.ts) and, as well, the service's own `datas`
 * (`{ calcId, clientId, extra, backurl, response: { …document fields… } }`) or a bare `response`.
 * The numbers are always re-read from the document's field names, so every shape gives the same
 * model. Pure functions, no DOM: the Node suite checks them against the document's example.
 */
import {
  SKIN_CONCERNS,
  SKIN_CONCERN_KEYS,
  SKIN_FIELDS,
  SKIN_IMAGE_FIELDS,
  SKIN_META_FIELDS,
  SKIN_WRINKLE_ZONES,
  SKIN_WRINKLE_ZONE_KEYS,
  type SkinConcern,
  type SkinImageField,
  type SkinWrinkleZone,
} from './fields.js';

export interface SkinConcernValue {
  /** 0…1, higher is healthier; null when the answer lacks it. */
  score: number | null;
  /** Share of the analysed skin, 0…1. */
  area: number | null;
  /** Findings, where the service counts them (pores and blackheads: the sum of the three sizes). */
  count: number | null;
}

export interface SkinWrinkleZoneValue {
  score: number | null;
  count: number | null;
  /** `<zone>WrinkleArea`: share of the zone, 0…1. */
  area: number | null;
  /** `<zone>Area`: wrinkle area in pixels. */
  pixels: number | null;
  /**
   * False when the service did not assess the zone: score and count both 0 (crow's feet need a
   * side view, so a frontal photo gives `sideWrinkleScore: 0` with no wrinkles).
   */
  measured: boolean;
}

export interface SkinSizeCounts {
  small: number | null;
  medium: number | null;
  large: number | null;
  total: number | null;
}

export type DarkCircleGrade = 0 | 1 | 2 | 3;

export interface SkinReportData {
  calcId: string;
  clientId?: string;
  /** The `extra` text given to skin.analyze, passed back by the service. */
  extra?: string | null;
  /** Overall score 0…1 (`synScore`). */
  synScore: number;
  /** Skin age in years (`synAge`). */
  synAge: number;
  /** -1 right side, 0 frontal, 1 left side; null when absent. */
  faceDirection: number | null;
  /** `darkeyeGrade`: 0 none, 1 mild, 2 moderate, 3 severe. */
  darkCircleGrade: DarkCircleGrade | null;
  concerns: Record<SkinConcern, SkinConcernValue>;
  wrinkleZones: Record<SkinWrinkleZone, SkinWrinkleZoneValue>;
  counts: {
    pores: SkinSizeCounts;
    blackHeads: SkinSizeCounts;
    wrinkles: number | null;
    brownSpots: number | null;
    surfaceSpots: number | null;
    acne: number | null;
    sensitiveAreas: number | null;
  };
  /** Every numeric field of the answer, under the document's names. */
  metrics: Record<string, number>;
  /** Result pictures by field, as given (endpoint links, or the service's relative paths). */
  images: Partial<Record<SkinImageField, string>>;
  /** Text fields of the answer (`calcId`, `clientId`, `extra`, `backurl`), for the details table. */
  texts: Record<string, string>;
}

/** The answer could not be read as a report. */
export class SkinReportShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkinReportShapeError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Numbers, or their decimal text (some deployments send strings). */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?(e-?\d+)?\s*$/i.test(value)) return Number(value);
  return null;
}

/**
 * The report model of an answer (see the module comment for the shapes accepted). Throws
 * SkinReportShapeError when there is no `synScore` / `synAge` to show.
 */
export function normaliseSkinReport(data: unknown): SkinReportData {
  if (!isRecord(data)) throw new SkinReportShapeError('the report is not an object');
  // The service's `datas` (response inside), the endpoint's data (metrics), or a bare response.
  const source: Record<string, unknown> = isRecord(data.response)
    ? data.response
    : isRecord(data.metrics)
      ? data.metrics
      : data;

  const metrics: Record<string, number> = {};
  for (const [field, value] of Object.entries(source)) {
    if ((SKIN_IMAGE_FIELDS as readonly string[]).includes(field)) continue;
    const number = numberOf(value);
    if (number !== null) metrics[field] = number;
  }
  const synScore = metrics.synScore;
  const synAge = metrics.synAge;
  if (synScore === undefined || synAge === undefined) throw new SkinReportShapeError('synScore or synAge is missing');

  const images: Partial<Record<SkinImageField, string>> = {};
  const imageSource = isRecord(data.images) ? data.images : source;
  for (const field of SKIN_IMAGE_FIELDS) {
    const value = imageSource[field];
    if (typeof value === 'string' && value.trim()) images[field] = value.trim();
  }

  const texts: Record<string, string> = {};
  for (const field of SKIN_META_FIELDS) {
    const value = data[field];
    if (typeof value === 'string' && value) texts[field] = value;
    else if (isRecord(value)) texts[field] = JSON.stringify(value);
  }

  const m = (field: string | undefined): number | null => (field === undefined ? null : (metrics[field] ?? null));
  const sum = (...values: Array<number | null>): number | null =>
    values.every((v) => v === null) ? null : values.reduce<number>((total, v) => total + (v ?? 0), 0);

  const pores: SkinSizeCounts = { small: m('smallPores'), medium: m('mediumPores'), large: m('largePores'), total: null };
  pores.total = sum(pores.small, pores.medium, pores.large);
  const blackHeads: SkinSizeCounts = {
    small: m('smallBlackHeads'),
    medium: m('mediumBlackHeads'),
    large: m('largeBlackHeads'),
    total: null,
  };
  blackHeads.total = sum(blackHeads.small, blackHeads.medium, blackHeads.large);

  const concerns = {} as Record<SkinConcern, SkinConcernValue>;
  for (const key of SKIN_CONCERN_KEYS) {
    const fields = SKIN_CONCERNS[key];
    concerns[key] = { score: clampScore(m(fields.score)), area: m(fields.area), count: m(fields.count) };
  }
  concerns.pore.count = pores.total;
  concerns.blackHead.count = blackHeads.total;

  const wrinkleZones = {} as Record<SkinWrinkleZone, SkinWrinkleZoneValue>;
  for (const zone of SKIN_WRINKLE_ZONE_KEYS) {
    const prefix = SKIN_WRINKLE_ZONES[zone];
    const score = clampScore(m(`${prefix}WrinkleScore`));
    const count = m(`${prefix}WrinkleCnt`);
    wrinkleZones[zone] = {
      score,
      count,
      area: m(`${prefix}WrinkleArea`),
      pixels: m(`${prefix}Area`),
      measured: score !== null && !(score === 0 && (count ?? 0) === 0),
    };
  }

  const grade = m('darkeyeGrade');
  const report: SkinReportData = {
    calcId: texts.calcId ?? '',
    synScore: clampScore(synScore) ?? 0,
    synAge,
    faceDirection: m('faceDirection'),
    darkCircleGrade: grade !== null && [0, 1, 2, 3].includes(grade) ? (grade as DarkCircleGrade) : null,
    concerns,
    wrinkleZones,
    counts: {
      pores,
      blackHeads,
      wrinkles: m('wrkCount'),
      brownSpots: m('brownSpotCount'),
      surfaceSpots: m('surfaceSpotCount'),
      acne: m('redAcneCount'),
      sensitiveAreas: m('sensitiveAreaCount'),
    },
    metrics,
    images,
    texts,
  };
  if (texts.clientId) report.clientId = texts.clientId;
  if ('extra' in data) report.extra = texts.extra ?? null;
  return report;
}

/** Scores are 0…1; a percentage (some deployments) is brought back to 0…1. */
function clampScore(value: number | null): number | null {
  if (value === null) return null;
  const ratio = value > 1 ? value / 100 : value;
  return Math.min(1, Math.max(0, ratio));
}

/** A score on the 0…100 scale that the report shows, rounded. */
export function scorePoints(score: number | null | undefined): number | null {
  return score === null || score === undefined ? null : Math.round(score * 100);
}

/** Plain-language band of a 0…1 score, for colour and words: good ≥ 0.8, fair ≥ 0.6, else attention. */
export type ScoreBand = 'good' | 'fair' | 'attention';

export function scoreBand(score: number | null | undefined): ScoreBand | null {
  if (score === null || score === undefined) return null;
  if (score >= 0.8) return 'good';
  if (score >= 0.6) return 'fair';
  return 'attention';
}

/** The concerns ranked from the weakest score to the strongest (unknown scores left out). */
export function rankConcerns(report: SkinReportData): SkinConcern[] {
  return SKIN_CONCERN_KEYS.filter((key) => report.concerns[key].score !== null).sort(
    (a, b) => report.concerns[a].score! - report.concerns[b].score! || SKIN_CONCERN_KEYS.indexOf(a) - SKIN_CONCERN_KEYS.indexOf(b),
  );
}

/** Every field the answer carries, in the catalogue's order, then unknown numeric fields. */
export function presentFields(report: SkinReportData): string[] {
  const known = Object.keys(SKIN_FIELDS).filter(
    (field) => field in report.metrics || field in report.images || field in report.texts,
  );
  const extra = Object.keys(report.metrics).filter((field) => !(field in SKIN_FIELDS));
  return [...known, ...extra];
}

// ── history entries and trend ───────────────────────────────────────────────

/** What the device keeps of one report: numbers only (no photo, no picture links). */
export interface SkinHistoryEntry {
  /** The report's calcId (or a local id). */
  id: string;
  /** Milliseconds since the epoch. */
  at: number;
  synScore: number;
  synAge: number;
  scores: Record<SkinConcern, number | null>;
  wrinkleCount: number | null;
  darkCircleGrade: DarkCircleGrade | null;
}

export function historyEntryOf(report: SkinReportData, at: number, id = report.calcId): SkinHistoryEntry {
  const scores = {} as Record<SkinConcern, number | null>;
  for (const key of SKIN_CONCERN_KEYS) scores[key] = report.concerns[key].score;
  return {
    id,
    at,
    synScore: report.synScore,
    synAge: report.synAge,
    scores,
    wrinkleCount: report.counts.wrinkles,
    darkCircleGrade: report.darkCircleGrade,
  };
}

/** Change since the previous report: score points (0…100 scale), years, per-concern points. */
export interface SkinTrend {
  previous: SkinHistoryEntry;
  /** Overall score change in points (positive = better). */
  score: number;
  /** Skin age change in years (negative = younger-looking). */
  age: number;
  concerns: Record<SkinConcern, number | null>;
}

export function trendOf(current: SkinReportData, previous: SkinHistoryEntry | null | undefined): SkinTrend | null {
  if (!previous) return null;
  const concerns = {} as Record<SkinConcern, number | null>;
  for (const key of SKIN_CONCERN_KEYS) {
    const now = current.concerns[key].score;
    const before = previous.scores?.[key] ?? null;
    concerns[key] = now === null || before === null ? null : Math.round(now * 100) - Math.round(before * 100);
  }
  return {
    previous,
    score: Math.round(current.synScore * 100) - Math.round(previous.synScore * 100),
    age: Math.round((current.synAge - previous.synAge) * 10) / 10,
    concerns,
  };
}
