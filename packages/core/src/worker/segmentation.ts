/**
 * Person segmentation in the vision worker: tasks-vision's ImageSegmenter on the legacy selfie
 * segmentation network, prepared at build time with 0/255 normalisation metadata
 * (scripts/prepare-models.mjs → models/selfie_segmenter.tflite).
 */
import { ImageSegmenter, type FilesetResolver } from '@mediapipe/tasks-vision';
import type { MaskImage } from '../shared/id-photo-framing.js';

export const SEGMENTER_MODEL_FILE = 'models/selfie_segmenter.tflite';

/**
 * The network looks at 256×256; a larger input only costs the resize. The mask comes back at the
 * input's size, so the input is drawn at most this large.
 */
export const SEGMENTER_INPUT_SIDE = 512;

type WasmFileset = Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;

/**
 * Creates the segmenter (IMAGE mode, CPU, confidence masks only). Call it inside the worker's
 * creation queue. `model`: the model's bytes when the caller has them (the worker's asset cache).
 */
export function createPersonSegmenter(fileset: WasmFileset, assetsBase: string, model?: Uint8Array): Promise<ImageSegmenter> {
  return ImageSegmenter.createFromOptions(fileset, {
    baseOptions: { ...(model ? { modelAssetBuffer: model } : { modelAssetPath: `${assetsBase}${SEGMENTER_MODEL_FILE}` }), delegate: 'CPU' },
    runningMode: 'IMAGE',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
    canvas: new OffscreenCanvas(1, 1),
  });
}

/**
 * The person confidence (0…1) of every pixel of `image`, at its size. The one-channel selfie network
 * gives one confidence mask, the person's; were a model to give [background, person], the last is
 * the person's.
 */
export function segmentPerson(segmenter: ImageSegmenter, image: OffscreenCanvas | ImageBitmap): MaskImage & { data: Float32Array } {
  const result = segmenter.segment(image);
  try {
    const masks = result.confidenceMasks ?? [];
    const person = masks[masks.length - 1];
    if (!person) throw new Error('the segmenter returned no confidence mask');
    // Copied: the mask's memory is freed by close().
    return { data: person.getAsFloat32Array().slice(), width: person.width, height: person.height };
  } finally {
    result.close();
  }
}
