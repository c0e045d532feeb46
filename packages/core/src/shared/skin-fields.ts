/** Field names of the skin-analysis document that the endpoint and `<skin-report>` share. */

/** The 21 result pictures of the document, by field name, in the document's order. */
export const SKIN_IMAGE_FIELDS = [
  'imgBlackHead',
  'imgBlackHeadMerge',
  'imgBloodmap',
  'imgBrownPigmentation',
  'imgDarkEye',
  'imgDarkEyeMerge',
  'imgHyperPigmentationMerge',
  'imgPigmentation',
  'imgPigmentationAging',
  'imgPigmentationMerge',
  'imgPigmentationSpecial',
  'imgPore',
  'imgPoreMerge',
  'imgRedAcne',
  'imgRedAcneMerge',
  'imgRedSpotSpecialEffect',
  'imgRedmap',
  'imgSensitiveArea',
  'imgSensitiveAreaMerge',
  'imgWrinkle',
  'imgWrinkleMerge',
] as const;

export type SkinImageField = (typeof SKIN_IMAGE_FIELDS)[number];

/**
 * Wrinkle zones, in the report's order, and the document's field prefix of each
 * (`foreHeadWrinkleCnt`, …).
 */
export const SKIN_WRINKLE_ZONES = {
  forehead: 'foreHead',
  glabellar: 'glabellar',
  betweenEyes: 'betweeneye',
  underEyes: 'undereye',
  crowFeet: 'side',
  nasolabial: 'nasofolds',
  mouthCorners: 'cormouth',
} as const;

export type SkinWrinkleZone = keyof typeof SKIN_WRINKLE_ZONES;
