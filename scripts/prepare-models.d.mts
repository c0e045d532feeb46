/** Types of scripts/prepare-models.mjs. */
export interface ImageMetadataOptions {
  mean: number;
  std: number;
  colorSpace?: 'RGB' | 'GRAYSCALE';
  name?: string;
  description?: string;
  version?: string;
}

export interface PreparedModel {
  output: string;
  source: [packageName: string, file: string];
  name: string;
  description: string;
  normalization: { mean: number; std: number };
}

export declare const MODELS: PreparedModel[];
/** The FaceLandmarker bundle (models/face_landmarker.task) and what it is made from. */
export declare const LANDMARKER_TASK: {
  output: string;
  package: string;
  data: string;
  loader: string;
  detector: PreparedModel;
  normalization: { mean: number; std: number };
};
export declare function addImageMetadata(modelBytes: Uint8Array, options: ImageMetadataOptions): Uint8Array;
export declare function readImageMetadata(modelBytes: Uint8Array): {
  identifier: string;
  name: string | null;
  minParserVersion: string | null;
  contentPropertiesType: number;
  colorSpace: number;
  processUnitType: number;
  mean: number[];
  std: number[];
  inputCount: number;
  outputCount: number;
} | null;
export declare function prepareModels(outDir?: string): Promise<{ outDir: string; written: string[]; upToDate: string[] }>;
