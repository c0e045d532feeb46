/**
 * The skin-analysis result as `<skin-report>` reads it: every field of the service's `response`
 * (document `skin-analysis-api.md`, "response字段说明"), what kind of value each is, and how the
 * fields group into concerns, wrinkle zones and result images.
 *
 * Pure data and functions (no DOM, no lit): the Node suite imports it to check it against the
 * document itself. Labels live in the message catalogue as `skin.field.<name>`, in zh-CN and en.
 */
import { SKIN_IMAGE_FIELDS, SKIN_WRINKLE_ZONES, type SkinImageField, type SkinWrinkleZone } from '@facekit/core/shared';

/**
 * How a value is shown:
 * - `score`: 0…1, higher is healthier; shown out of 100.
 * - `ratio`: a share of the analysed skin (0…1); shown as a percentage.
 * - `count`: a whole number of findings.
 * - `pixels`: an area in pixels of the analysed photo.
 * - `age`: years. `grade`: dark-circle grade 0…3. `direction`: -1 / 0 / 1.
 * - `number`: a plain measure (colour difference). `code`: the algorithm's status code.
 * - `image`: a result picture. `text`: ids and the caller's echoed text.
 */
export type SkinFieldKind =
  | 'score'
  | 'ratio'
  | 'count'
  | 'pixels'
  | 'age'
  | 'grade'
  | 'direction'
  | 'number'
  | 'code'
  | 'image'
  | 'text';

/** Sections of the details table, in display order. */
export type SkinFieldGroup =
  | 'overall'
  | 'wrinkle'
  | 'pore'
  | 'blackHead'
  | 'spot'
  | 'redAcne'
  | 'sensitiveArea'
  | 'darkEye'
  | 'image'
  | 'meta';

export const SKIN_FIELD_GROUPS: readonly SkinFieldGroup[] = [
  'overall',
  'wrinkle',
  'pore',
  'blackHead',
  'spot',
  'redAcne',
  'sensitiveArea',
  'darkEye',
  'image',
  'meta',
];

export interface SkinFieldInfo {
  kind: SkinFieldKind;
  group: SkinFieldGroup;
}

export { SKIN_IMAGE_FIELDS, SKIN_WRINKLE_ZONES, type SkinImageField, type SkinWrinkleZone } from '@facekit/core/shared';

/**
 * Kinds of result picture: `overlay` (a transparent PNG of the findings, to lay over the photo),
 * `merged` (the photo with the findings drawn in) and `map` (a whole-face rendering: red map,
 * blood map, brown map, heat map, ageing simulation).
 */
export type SkinImageKind = 'overlay' | 'merged' | 'map';

export function skinImageKind(field: SkinImageField): SkinImageKind {
  if (field.endsWith('Merge')) return 'merged';
  return MAP_IMAGES.has(field) ? 'map' : 'overlay';
}

const MAP_IMAGES = new Set<SkinImageField>([
  'imgBloodmap',
  'imgRedmap',
  'imgPigmentationAging',
  'imgPigmentationSpecial',
  'imgRedSpotSpecialEffect',
]);

/** The eight main concerns of the radar, in the order, with their fields. */
export const SKIN_CONCERNS = {
  wrinkle: { score: 'wrinkleScore', area: 'wrinkleArea', count: 'wrkCount', image: 'imgWrinkle' },
  pore: { score: 'poreScore', area: 'poreArea', count: undefined, image: 'imgPore' },
  blackHead: { score: 'blackHeadScore', area: 'blackHeadArea', count: undefined, image: 'imgBlackHead' },
  surfaceSpot: { score: 'surfaceSpotScore', area: 'surfaceSpotArea', count: 'surfaceSpotCount', image: 'imgPigmentation' },
  brownSpot: { score: 'brownSpotScore', area: 'brownSpotArea', count: 'brownSpotCount', image: 'imgBrownPigmentation' },
  redAcne: { score: 'redAcneScore', area: 'redAcneArea', count: 'redAcneCount', image: 'imgRedAcne' },
  sensitiveArea: { score: 'sensitiveAreaScore', area: 'sensitiveAreaArea', count: 'sensitiveAreaCount', image: 'imgSensitiveArea' },
  darkEye: { score: 'darkEyeScore', area: 'darkEyeArea', count: undefined, image: 'imgDarkEye' },
} as const satisfies Record<string, { score: string; area: string; count: string | undefined; image: SkinImageField }>;

export type SkinConcern = keyof typeof SKIN_CONCERNS;
export const SKIN_CONCERN_KEYS = Object.keys(SKIN_CONCERNS) as SkinConcern[];

/** Wrinkle zones in the report's order (SKIN_WRINKLE_ZONES names each one's fields). */
export const SKIN_WRINKLE_ZONE_KEYS = Object.keys(SKIN_WRINKLE_ZONES) as SkinWrinkleZone[];

/** The wrapper fields of `datas` that the details table shows too. */
export const SKIN_META_FIELDS = ['calcId', 'clientId', 'extra', 'backurl'] as const;

const zoneFields = (prefix: string): Record<string, SkinFieldInfo> => ({
  [`${prefix}Area`]: { kind: 'pixels', group: 'wrinkle' },
  [`${prefix}WrinkleArea`]: { kind: 'ratio', group: 'wrinkle' },
  [`${prefix}WrinkleCnt`]: { kind: 'count', group: 'wrinkle' },
  [`${prefix}WrinkleScore`]: { kind: 'score', group: 'wrinkle' },
});

/**
 * Every field of `response` in the document, and the wrapper fields. The document spells the
 * mouth-corner and nasolabial "面积" fields without the "Wrinkle" infix and the forehead with a
 * capital H; the names are kept exactly.
 */
export const SKIN_FIELDS: Readonly<Record<string, SkinFieldInfo>> = {
  synScore: { kind: 'score', group: 'overall' },
  synAge: { kind: 'age', group: 'overall' },
  faceDirection: { kind: 'direction', group: 'overall' },
  errorType: { kind: 'code', group: 'overall' },
  wrinkleScore: { kind: 'score', group: 'wrinkle' },
  wrinkleArea: { kind: 'ratio', group: 'wrinkle' },
  wrkArea: { kind: 'pixels', group: 'wrinkle' },
  wrkCount: { kind: 'count', group: 'wrinkle' },
  ...zoneFields('foreHead'),
  ...zoneFields('glabellar'),
  ...zoneFields('betweeneye'),
  ...zoneFields('undereye'),
  ...zoneFields('side'),
  ...zoneFields('nasofolds'),
  ...zoneFields('cormouth'),
  poreScore: { kind: 'score', group: 'pore' },
  poreArea: { kind: 'ratio', group: 'pore' },
  smallPores: { kind: 'count', group: 'pore' },
  mediumPores: { kind: 'count', group: 'pore' },
  largePores: { kind: 'count', group: 'pore' },
  blackHeadScore: { kind: 'score', group: 'blackHead' },
  blackHeadArea: { kind: 'ratio', group: 'blackHead' },
  smallBlackHeads: { kind: 'count', group: 'blackHead' },
  mediumBlackHeads: { kind: 'count', group: 'blackHead' },
  largeBlackHeads: { kind: 'count', group: 'blackHead' },
  surfaceSpotScore: { kind: 'score', group: 'spot' },
  surfaceSpotArea: { kind: 'ratio', group: 'spot' },
  surfaceSpotCount: { kind: 'count', group: 'spot' },
  brownSpotScore: { kind: 'score', group: 'spot' },
  brownSpotArea: { kind: 'ratio', group: 'spot' },
  brownSpotCount: { kind: 'count', group: 'spot' },
  redAcneScore: { kind: 'score', group: 'redAcne' },
  redAcneArea: { kind: 'ratio', group: 'redAcne' },
  redAcneCount: { kind: 'count', group: 'redAcne' },
  sensitiveAreaScore: { kind: 'score', group: 'sensitiveArea' },
  sensitiveAreaArea: { kind: 'ratio', group: 'sensitiveArea' },
  sensitiveAreaCount: { kind: 'count', group: 'sensitiveArea' },
  darkEyeScore: { kind: 'score', group: 'darkEye' },
  darkEyeArea: { kind: 'ratio', group: 'darkEye' },
  darkEyeDiffColor: { kind: 'number', group: 'darkEye' },
  darkeyeGrade: { kind: 'grade', group: 'darkEye' },
  ...Object.fromEntries(SKIN_IMAGE_FIELDS.map((field) => [field, { kind: 'image', group: 'image' } satisfies SkinFieldInfo])),
  calcId: { kind: 'text', group: 'meta' },
  clientId: { kind: 'text', group: 'meta' },
  extra: { kind: 'text', group: 'meta' },
  backurl: { kind: 'text', group: 'meta' },
};
