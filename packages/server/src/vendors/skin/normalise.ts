/**
 * Turns the skin-analysis result (`datas: { backurl, calcId, clientId, extra, response }`) into
 * the endpoint's `data` for `<skin-report>`: every metric under the document's own field name,
 * a typed summary, and the 21 result pictures as endpoint links.
 */
import { SKIN_IMAGE_FIELDS, SKIN_WRINKLE_ZONES, type SkinImageField, type SkinWrinkleZone } from '../../../../core/src/shared/skin-fields.js';
import { isRecord } from '../face-platform/client.js';
import { skinError } from './errors.js';

export { SKIN_IMAGE_FIELDS, SKIN_WRINKLE_ZONES, type SkinImageField, type SkinWrinkleZone } from '../../../../core/src/shared/skin-fields.js';

/** The eight main concerns, each with its score (0…1, higher is healthier), area share and count fields. */
export const SKIN_CONCERNS = {
  wrinkle: { score: 'wrinkleScore', area: 'wrinkleArea', count: 'wrkCount' },
  pore: { score: 'poreScore', area: 'poreArea', count: undefined },
  blackHead: { score: 'blackHeadScore', area: 'blackHeadArea', count: undefined },
  brownSpot: { score: 'brownSpotScore', area: 'brownSpotArea', count: 'brownSpotCount' },
  surfaceSpot: { score: 'surfaceSpotScore', area: 'surfaceSpotArea', count: 'surfaceSpotCount' },
  redAcne: { score: 'redAcneScore', area: 'redAcneArea', count: 'redAcneCount' },
  sensitiveArea: { score: 'sensitiveAreaScore', area: 'sensitiveAreaArea', count: 'sensitiveAreaCount' },
  darkEye: { score: 'darkEyeScore', area: 'darkEyeArea', count: undefined },
} as const;

export type SkinConcern = keyof typeof SKIN_CONCERNS;

export interface SkinConcernSummary {
  /** 0…1, higher is healthier; null when the answer lacks it. */
  score: number | null;
  /** Share of the analysed skin (0…1). */
  area: number | null;
  count?: number | null;
}

export interface SkinSummary {
  /** Overall score 0…1. */
  synScore: number;
  /** Estimated skin age in years. */
  synAge: number;
  /** -1 right side of the face, 0 frontal, 1 left side. */
  faceDirection: number | null;
  /** 0 none, 1 mild, 2 moderate, 3 severe (`darkeyeGrade`). */
  darkCircleGrade: number | null;
  concerns: Record<SkinConcern, SkinConcernSummary>;
  counts: {
    pores: { small: number | null; medium: number | null; large: number | null; total: number | null };
    blackHeads: { small: number | null; medium: number | null; large: number | null; total: number | null };
    wrinkles: { total: number | null } & Record<SkinWrinkleZone, number | null>;
    brownSpots: number | null;
    surfaceSpots: number | null;
    redAcne: number | null;
    sensitiveAreas: number | null;
  };
}

export interface SkinReport {
  calcId: string;
  clientId?: string;
  /** The `extra` text given to skin.analyze, passed back by the service. */
  extra?: string | null;
  summary: SkinSummary;
  /** Every numeric field of `response`, under the document's names (≈60 metrics). */
  metrics: Record<string, number>;
  /** The result pictures as endpoint links (`/v1/media/…`), by the document's field names. */
  images: Partial<Record<SkinImageField, string>>;
}

/** Answer of skin.analyze / skin.result while the analysis runs (kit code IN_PROGRESS). */
export interface SkinPending {
  calcId: string;
  /** Suggested wait before asking skin.result again. */
  retryAfterMs: number;
}

export async function normaliseSkinReport(
  datas: Record<string, unknown>,
  link: (vendorUrl: string) => Promise<string>,
  resolveImage: (path: string) => string | undefined,
): Promise<SkinReport> {
  const response = isRecord(datas.response) ? datas.response : undefined;
  if (!response) throw skinError({ kind: 'malformed', status: 200, body: 'datas.response is missing' });
  const calcId = typeof datas.calcId === 'string' ? datas.calcId : undefined;
  if (!calcId) throw skinError({ kind: 'malformed', status: 200, body: 'datas.calcId is missing' });

  // A finished job can still carry the algorithm's failure (errorType 50003/50004/50005).
  const errorType = numberOf(response.errorType);
  if (errorType !== null && errorType !== 200) throw skinError({ kind: 'business', code: String(errorType) });

  const metrics: Record<string, number> = {};
  for (const [field, value] of Object.entries(response)) {
    if ((SKIN_IMAGE_FIELDS as readonly string[]).includes(field)) continue;
    const number = numberOf(value);
    if (number !== null) metrics[field] = number;
  }
  const synScore = metrics.synScore;
  const synAge = metrics.synAge;
  if (synScore === undefined || synAge === undefined) throw skinError({ kind: 'malformed', status: 200, body: 'response.synScore or synAge is missing' });

  const images: Partial<Record<SkinImageField, string>> = {};
  await Promise.all(
    SKIN_IMAGE_FIELDS.map(async (field) => {
      const path = response[field];
      if (typeof path !== 'string' || path === '') return;
      const url = resolveImage(path);
      if (url) images[field] = await link(url);
    }),
  );

  const report: SkinReport = { calcId, summary: summarise(metrics, synScore, synAge), metrics, images };
  if (typeof datas.clientId === 'string') report.clientId = datas.clientId;
  if (datas.extra !== undefined) report.extra = typeof datas.extra === 'string' ? datas.extra : datas.extra === null ? null : JSON.stringify(datas.extra);
  return report;
}

function summarise(metrics: Record<string, number>, synScore: number, synAge: number): SkinSummary {
  const m = (field: string | undefined): number | null => (field === undefined ? null : (metrics[field] ?? null));
  const sum = (...values: Array<number | null>): number | null => (values.every((v) => v === null) ? null : values.reduce<number>((total, v) => total + (v ?? 0), 0));
  const concerns = {} as Record<SkinConcern, SkinConcernSummary>;
  for (const [name, fields] of Object.entries(SKIN_CONCERNS) as Array<[SkinConcern, (typeof SKIN_CONCERNS)[SkinConcern]]>) {
    const summary: SkinConcernSummary = { score: m(fields.score), area: m(fields.area) };
    if (fields.count) summary.count = m(fields.count);
    concerns[name] = summary;
  }
  const pores = { small: m('smallPores'), medium: m('mediumPores'), large: m('largePores') };
  const blackHeads = { small: m('smallBlackHeads'), medium: m('mediumBlackHeads'), large: m('largeBlackHeads') };
  concerns.pore.count = sum(pores.small, pores.medium, pores.large);
  concerns.blackHead.count = sum(blackHeads.small, blackHeads.medium, blackHeads.large);
  const wrinkles = { total: m('wrkCount') } as SkinSummary['counts']['wrinkles'];
  for (const [zone, prefix] of Object.entries(SKIN_WRINKLE_ZONES) as Array<[SkinWrinkleZone, string]>) wrinkles[zone] = m(`${prefix}WrinkleCnt`);
  return {
    synScore,
    synAge,
    faceDirection: m('faceDirection'),
    darkCircleGrade: m('darkeyeGrade'),
    concerns,
    counts: {
      pores: { ...pores, total: concerns.pore.count ?? null },
      blackHeads: { ...blackHeads, total: concerns.blackHead.count ?? null },
      wrinkles,
      brownSpots: m('brownSpotCount'),
      surfaceSpots: m('surfaceSpotCount'),
      redAcne: m('redAcneCount'),
      sensitiveAreas: m('sensitiveAreaCount'),
    },
  };
}

/** Numbers, or their decimal text (some deployments send strings). */
function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?(e-?\d+)?\s*$/i.test(value)) return Number(value);
  return null;
}
