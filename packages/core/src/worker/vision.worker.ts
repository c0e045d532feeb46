/**
 * The vision worker (a module worker): face detection with tasks-vision, quality, the best frame of
 * the session and its JPEG. It exposes one `VisionApi` object through comlink.
 *
 * Create it with `new Worker(new URL('./vision.worker.ts', import.meta.url), { type: 'module' })`.
 * Errors cross comlink as plain errors named `FacekitError` whose message starts with the kit code
 * ("MODEL_LOAD: …"), since comlink keeps only name, message and stack.
 */
// First import: the guard must be in place before any other module of the worker runs.
import { egress } from './egress-install.js';
import { FaceDetector, FaceLandmarker, FilesetResolver, type Detection, type FaceLandmarkerOptions } from '@mediapipe/tasks-vision';
// Next: the hello and load-progress messages, and the page host's connector (worker ladder).
import { exposeVision } from './vision-host.js';
import { loadVisionRuntime, runtimeFileset } from './runtime-host.js';
import { FacekitError } from '../shared/errors.js';
import { cropAroundFace, mergeDetections, type Size } from '../shared/framing.js';
import { assessQuality, hintFor, mainFace, QualityGate, withThresholds } from '../shared/quality.js';
import type {
  Box,
  Capture,
  DetectedFace,
  DetectorModel,
  EncodeOptions,
  FrameAnalysis,
  Hint,
  KitCode,
  QualityReport,
  QualityThresholds,
  VisionApi,
  VisionConfig,
  VisionInfo,
} from '../shared/types.js';
import { base64Length, encodeJpegNear, LumaSampler, maxBytesForBase64 } from './imaging.js';
import { AssetCache, withCompiledWasm } from './asset-cache.js';
import type { IdPhotoSpec } from '../shared/id-photo-specs.js';
import type { IdPhotoOutput, IdPhotoRequest, PrintPaper, PrintSheetOutput } from '../shared/id-photo-types.js';
import * as idPhoto from './id-photo.js';
import { createPersonSegmenter, SEGMENTER_MODEL_FILE, segmentPerson } from './segmentation.js';
import type { LandmarkAnalysis } from '../shared/face-geometry.js';
import { LandmarkTracker, landmarkerOptions, stillEyeOpenness, stillLandmarkerOptions } from './landmarks.js';

type RunningMode = 'IMAGE' | 'VIDEO';

const MODEL_FILES: Record<DetectorModel, string> = {
  short: 'models/face_detector_short.tflite',
  full: 'models/face_detector_full.tflite',
};
/**
 * Stills keep the detector's usual 0.5, measured on the LFW crops. The live camera asks for more:
 * it offers many frames, so a weak detection costs nothing to skip, while a false face would guide
 * and capture a non-face (an espresso cup in coffee.png scores 0.51; real selfie faces score > 0.8).
 */
const MIN_DETECTION_CONFIDENCE: Record<RunningMode, number> = { IMAGE: 0.5, VIDEO: 0.65 };
/** tasks-vision's own NMS threshold inside one model's output. */
const MIN_SUPPRESSION_THRESHOLD = 0.3;
/** Merging the two models' faces in analyzeImage: same face when IoU > 0.3 or one box lies 70 % inside the other. */
const MERGE_SUPPRESSION = { maxIou: 0.3, maxContainment: 0.7 };

/** The running mode init() creates a preloaded model in: the camera's short-range model in VIDEO mode. */
function preloadMode(model: DetectorModel): RunningMode {
  return model === 'short' ? 'VIDEO' : 'IMAGE';
}
/**
 * Longest side of the copy of a camera frame that the short-range detector runs on. The model reads
 * 128×128 whatever it is given, so twice that loses nothing it would see, and scaling the frame down
 * once (on the GPU where there is one) costs less than the runtime's own upload and resize of the
 * whole frame. Boxes come back in whole pixels of the copy: 2.5 px at 640×480, well inside the
 * 11 px that counts as motion.
 */
const DETECTION_SIDE = 256;
/** Side of the blank frame of warmUp(): the model scales every frame to its input size anyway. */
const WARM_UP_SIZE = 64;
/**
 * How long warmUp() waits for an image: a caller holding one sends it within a few milliseconds of
 * init(); a camera takes hundreds to deliver its first frame.
 */
const WARM_UP_DELAY_MS = 40;

const DEFAULT_TARGET_BYTES = 200_000;
/** The face platform's limit on the base64 text of an image. */
const DEFAULT_MAX_BASE64_BYTES = 2 * 1024 * 1024;
/** Each retry of an image too large at the lowest quality draws it this much smaller. */
const DOWNSCALE_STEP = 0.75;

/** Hints under which a frame may become the session's best frame. */
const KEEPABLE_HINTS: ReadonlySet<Hint> = new Set<Hint>(['ok', 'hold-still']);

type ModuleFactory = (...args: unknown[]) => Promise<unknown>;
type WorkerGlobal = typeof globalThis & { ModuleFactory?: ModuleFactory };

interface BestFrame {
  bitmap: ImageBitmap;
  face: DetectedFace;
  score: number;
}

function kitError(code: KitCode, detail: string, cause?: unknown): FacekitError {
  return new FacekitError(code, `${code}: ${detail}`, cause === undefined ? undefined : { cause });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Detections in the frame's pixels. `input` is the size of the image the detector ran on, when that
 * was a scaled copy of the frame: its boxes come in the copy's pixels.
 */
function toFaces(detections: readonly Detection[], frame: Size, input: Size = frame): DetectedFace[] {
  const scaleX = frame.width / input.width;
  const scaleY = frame.height / input.height;
  return detections.map((detection) => {
    const box = detection.boundingBox;
    return {
      box: { x: (box?.originX ?? 0) * scaleX, y: (box?.originY ?? 0) * scaleY, width: (box?.width ?? 0) * scaleX, height: (box?.height ?? 0) * scaleY },
      // Keypoints come normalised to the image; the kit works in pixels.
      keypoints: (detection.keypoints ?? []).map((point) => ({ x: point.x * frame.width, y: point.y * frame.height })),
      score: detection.categories[0]?.score ?? 0,
    };
  });
}

/** The frame itself when it is small already, else a copy whose longest side is DETECTION_SIDE. */
async function detectionCopy(frame: ImageBitmap): Promise<ImageBitmap> {
  const scale = DETECTION_SIDE / Math.max(frame.width, frame.height);
  if (scale >= 1) return frame;
  return createImageBitmap(frame, {
    resizeWidth: Math.max(1, Math.round(frame.width * scale)),
    resizeHeight: Math.max(1, Math.round(frame.height * scale)),
    resizeQuality: 'low',
  });
}

/**
 * Framing does not matter for a still (the capture is cropped around the face), and a still does
 * not move: only the checks a crop cannot fix remain.
 */
function stillThresholds(thresholds: QualityThresholds): QualityThresholds {
  return { ...thresholds, minFaceSize: 0, maxFaceSize: Number.POSITIVE_INFINITY, maxCenterOffset: Number.POSITIVE_INFINITY, maxMotion: Number.POSITIVE_INFINITY };
}

class VisionWorker implements VisionApi {
  private assetsBase: string | null = null;
  private wasmLoaderFactory: ModuleFactory | null = null;
  private fileset: Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>> | null = null;
  private readonly detectors = new Map<string, Promise<FaceDetector>>();
  /** Detectors that have run once (warmUp()). */
  private readonly warmed = new WeakSet<FaceDetector>();
  /** Frames and images received so far (warmUp() leaves the warming to a real one). */
  private imagesReceived = 0;
  /** tasks-vision creates detectors one at a time (they share one global loader slot). */
  private creation: Promise<unknown> = Promise.resolve();
  private thresholds: QualityThresholds = withThresholds();
  private gate = new QualityGate(this.thresholds.stableFrames);
  private previousFace: Box | null = null;
  private lastVideoTimestamp = Number.NEGATIVE_INFINITY;
  private best: BestFrame | null = null;
  private readonly sampler = new LumaSampler();
  /** The wasm and the models, kept in the browser after the first start (asset-cache.ts). */
  readonly assets = new AssetCache();
  /** Model reads started by init() ahead of their detectors, by URL. */
  private readonly modelReads = new Map<string, Promise<Uint8Array>>();
  /** Person segmenter for ID photos, created on the first makeIdPhoto() call. */
  private segmenter: ReturnType<typeof createPersonSegmenter> | null = null;
  /** FaceLandmarker, created on the first landmarks() call. */
  private landmarker: Promise<FaceLandmarker> | null = null;
  private readonly landmarkTracker = new LandmarkTracker();
  /** FaceLandmarker in IMAGE mode for stills (the ID photo's closed-eyes check), created on first use. */
  private stillLandmarker: Promise<FaceLandmarker> | null = null;

  async init(config: VisionConfig): Promise<VisionInfo> {
    const started = performance.now();
    let base: URL;
    try {
      base = new URL(config.assetsBase, self.location.href);
    } catch (error) {
      throw kitError('MODEL_LOAD', `assetsBase is not a URL: ${String(config.assetsBase)}`, error);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.thresholds = withThresholds(config.thresholds);
    this.gate = new QualityGate(this.thresholds.stableFrames);

    const preload = config.preload ?? ['short'];
    let runtimeMs = 0;
    if (this.assetsBase !== base.href) {
      await this.closeDetectors();
      egress.allow(base.href);
      this.assetsBase = base.href;
      // The models start loading now, beside the runtime (from the asset cache when warm).
      for (const model of preload) this.prefetchModel(`${base.href}${MODEL_FILES[model]}`);
      try {
        // The runtime variant of this host only (module worker, classic worker or page): see
        // runtime-host.ts. Its wasm compiles (from the asset cache when warm) while its loader
        // script loads. tasks-vision clears the loader's global `ModuleFactory` after each use, so
        // the factory is kept here and put back before each creation.
        const fileset = await runtimeFileset(`${base.href}wasm`);
        const compiled = this.assets.compileWasm(fileset.wasmBinaryPath).catch(() => null);
        const runtime = await loadVisionRuntime(`${base.href}wasm`, this.assets.buildId, fileset);
        this.fileset = runtime.fileset;
        // Without the compiled module, the runtime fetches and compiles the wasm itself, and
        // reports its own failure.
        const module = (await compiled)?.module;
        this.wasmLoaderFactory = runtime.factory && module ? withCompiledWasm(runtime.factory, module) : runtime.factory;
        runtimeMs = performance.now() - started;
      } catch (error) {
        this.assetsBase = null;
        this.modelReads.clear();
        throw kitError('MODEL_LOAD', `the vision runtime did not load from ${base.href}wasm: ${describe(error)}`, error);
      }
    }
    const detectors = await Promise.all(preload.map(async (model) => ({ mode: preloadMode(model), detector: await this.detector(model, preloadMode(model)) })));
    this.warmUp(detectors);
    return { startMs: performance.now() - started, runtimeMs, sinceWorkerStartMs: performance.now(), delegate: 'CPU' };
  }

  /**
   * One detection on a blank frame per new detector, shortly after init() answers, unless an image
   * arrives first. A detector's first run costs several times a later one (V8 compiles the wasm
   * functions it reaches, the image shaders are built, the model's buffers are allocated); paid
   * here, it falls while the page opens its camera instead of on the first frame. A caller that
   * already holds its image sends it within the delay and is never made to wait.
   */
  private warmUp(detectors: readonly { mode: RunningMode; detector: FaceDetector }[]): void {
    const cold = detectors.filter(({ detector }) => !this.warmed.has(detector));
    if (cold.length === 0) return;
    for (const { detector } of cold) this.warmed.add(detector);
    const imagesAtInit = this.imagesReceived;
    setTimeout(() => {
      // An image came first: it has done the warming.
      if (this.imagesReceived !== imagesAtInit) return;
      const blank = new ImageData(WARM_UP_SIZE, WARM_UP_SIZE);
      for (const { mode, detector } of cold) {
        try {
          if (mode === 'VIDEO') {
            // VIDEO mode refuses timestamps that do not increase; the page's frames come later.
            const timestamp = Math.max(0, this.lastVideoTimestamp + 1);
            this.lastVideoTimestamp = timestamp;
            detector.detectForVideo(blank, timestamp);
          } else {
            detector.detect(blank);
          }
        } catch {
          // A closed detector (init() again, dispose()) needs no warming; a real failure shows on the first frame.
        }
      }
    }, WARM_UP_DELAY_MS);
  }

  /** Starts reading a model file through the asset cache, for takeModel() to pick up. */
  private prefetchModel(url: string): void {
    if (this.modelReads.has(url)) return;
    const reading = this.assets.bytes(url).then((asset) => asset.bytes);
    // A failure is met (and reported) by takeModel().
    reading.catch(() => undefined);
    this.modelReads.set(url, reading);
  }

  /** A model file's bytes: the read prefetchModel() started, else a new one. */
  private takeModel(url: string): Promise<Uint8Array> {
    const started = this.modelReads.get(url);
    this.modelReads.delete(url);
    return started ?? this.assets.bytes(url).then((asset) => asset.bytes);
  }

  /** The task's options with its model file read through the asset cache (kept for the next start). */
  private async withCachedModel(options: FaceLandmarkerOptions): Promise<FaceLandmarkerOptions> {
    const path = options.baseOptions?.modelAssetPath;
    if (!path) return options;
    const model = await this.assets.bytes(path);
    const { modelAssetPath: _readHere, ...baseOptions } = options.baseOptions ?? {};
    return { ...options, baseOptions: { ...baseOptions, modelAssetBuffer: model.bytes } };
  }

  private detector(model: DetectorModel, mode: RunningMode): Promise<FaceDetector> {
    const key = `${model}:${mode}`;
    const existing = this.detectors.get(key);
    if (existing) return existing;
    const { fileset, assetsBase } = this;
    if (!fileset || !assetsBase) return Promise.reject(kitError('MODEL_LOAD', 'init() must be called first'));

    const created = this.creation.then(async () => {
      const modelBytes = await this.takeModel(`${assetsBase}${MODEL_FILES[model]}`);
      const scope = self as WorkerGlobal;
      if (this.wasmLoaderFactory) scope.ModuleFactory = this.wasmLoaderFactory;
      return FaceDetector.createFromOptions(fileset, {
        baseOptions: { modelAssetBuffer: modelBytes, delegate: 'CPU' },
        runningMode: mode,
        canvas: new OffscreenCanvas(1, 1),
        minDetectionConfidence: MIN_DETECTION_CONFIDENCE[mode],
        minSuppressionThreshold: MIN_SUPPRESSION_THRESHOLD,
      });
    });
    this.creation = created.catch(() => undefined);
    const tracked = created.catch((error: unknown) => {
      this.detectors.delete(key);
      throw kitError('MODEL_LOAD', `the ${model}-range face model did not load: ${describe(error)}`, error);
    });
    this.detectors.set(key, tracked);
    return tracked;
  }

  async analyzeFrame(frame: ImageBitmap, timestampMs: number): Promise<FrameAnalysis> {
    const started = performance.now();
    this.imagesReceived++;
    let kept = false;
    try {
      const detector = await this.detector('short', 'VIDEO');
      // VIDEO mode refuses timestamps that do not increase.
      const timestamp = Math.max(timestampMs, this.lastVideoTimestamp + 1);
      this.lastVideoTimestamp = timestamp;
      const size = { width: frame.width, height: frame.height };
      const input = await detectionCopy(frame);
      // Read before close(): a closed bitmap measures 0×0.
      const inputSize = { width: input.width, height: input.height };
      let detections: Detection[];
      try {
        detections = detector.detectForVideo(input, timestamp).detections;
      } finally {
        if (input !== frame) input.close();
      }
      const faces = toFaces(detections, size, inputSize);
      const quality = this.assess(frame, size, faces, this.previousFace);
      const hint = hintFor(quality, this.thresholds);
      const { stableFrames, ready } = this.gate.update(hint);
      this.previousFace = mainFace(faces)?.box ?? null;
      if (quality && KEEPABLE_HINTS.has(hint)) kept = this.offerBest(frame, faces, quality.score);
      return { ...size, faces, quality, hint, stableFrames, ready, workerMs: performance.now() - started };
    } finally {
      if (!kept) frame.close();
    }
  }

  /** Landmarks and geometry of up to two faces in a video frame (see landmarks.ts). */
  async landmarks(frame: ImageBitmap, timestampMs: number): Promise<LandmarkAnalysis> {
    this.imagesReceived++;
    try {
      return this.landmarkTracker.analyze(await this.faceLandmarker(), frame, timestampMs);
    } finally {
      frame.close();
    }
  }

  /** Created in the same queue as the detectors, for the same shared loader slot. */
  private faceLandmarker(): Promise<FaceLandmarker> {
    if (this.landmarker) return this.landmarker;
    const { fileset, assetsBase } = this;
    if (!fileset || !assetsBase) return Promise.reject(kitError('MODEL_LOAD', 'init() must be called first'));
    const created = this.creation.then(async () => {
      const options = await this.withCachedModel(landmarkerOptions(assetsBase));
      const scope = self as WorkerGlobal;
      if (this.wasmLoaderFactory) scope.ModuleFactory = this.wasmLoaderFactory;
      return FaceLandmarker.createFromOptions(fileset, { ...options, canvas: new OffscreenCanvas(1, 1) });
    });
    this.creation = created.catch(() => undefined);
    this.landmarkTracker.reset();
    const tracked = created.catch((error: unknown) => {
      if (this.landmarker === tracked) this.landmarker = null;
      throw kitError('MODEL_LOAD', `the face landmark model did not load: ${describe(error)}`, error);
    });
    this.landmarker = tracked;
    return tracked;
  }

  /** Like faceLandmarker(), in IMAGE mode: stills never disturb the video's tracking. */
  private faceLandmarkerForStills(): Promise<FaceLandmarker> {
    if (this.stillLandmarker) return this.stillLandmarker;
    const { fileset, assetsBase } = this;
    if (!fileset || !assetsBase) return Promise.reject(kitError('MODEL_LOAD', 'init() must be called first'));
    const created = this.creation.then(async () => {
      const options = await this.withCachedModel(stillLandmarkerOptions(assetsBase));
      const scope = self as WorkerGlobal;
      if (this.wasmLoaderFactory) scope.ModuleFactory = this.wasmLoaderFactory;
      return FaceLandmarker.createFromOptions(fileset, { ...options, canvas: new OffscreenCanvas(1, 1) });
    });
    this.creation = created.catch(() => undefined);
    const tracked = created.catch((error: unknown) => {
      if (this.stillLandmarker === tracked) this.stillLandmarker = null;
      throw kitError('MODEL_LOAD', `the face landmark model did not load: ${describe(error)}`, error);
    });
    this.stillLandmarker = tracked;
    return tracked;
  }

  async analyzeImage(image: ImageBitmap): Promise<FrameAnalysis> {
    const started = performance.now();
    this.imagesReceived++;
    let kept = false;
    try {
      const size = { width: image.width, height: image.height };
      const faces = await this.detectBoth(image, size);
      const thresholds = stillThresholds(this.thresholds);
      const quality = this.assess(image, size, faces, null, thresholds);
      const hint = hintFor(quality, thresholds);
      const ready = faces.length === 1 && hint === 'ok';
      // A still replaces the session's frames whatever its score: it is the user's choice.
      const face = faces.length === 1 ? faces[0] : undefined;
      if (face && quality) {
        this.replaceBest({ bitmap: image, face, score: quality.score });
        kept = true;
      }
      this.gate.reset();
      return { ...size, faces, quality, hint, stableFrames: ready ? 1 : 0, ready, workerMs: performance.now() - started };
    } finally {
      if (!kept) image.close();
    }
  }

  async detect(image: ImageBitmap, model: DetectorModel): Promise<DetectedFace[]> {
    this.imagesReceived++;
    try {
      const detector = await this.detector(model, 'IMAGE');
      return toFaces(detector.detect(image).detections, { width: image.width, height: image.height });
    } finally {
      image.close();
    }
  }

  /**
   * Short range finds large, tightly framed faces; full range finds small ones. Where both find a
   * face the short-range one is kept: the pose maths is calibrated on its keypoints (full range
   * reads about 10° more chin-down).
   */
  private async detectBoth(image: ImageBitmap, size: Size): Promise<DetectedFace[]> {
    const [short, full] = await Promise.all([this.detector('short', 'IMAGE'), this.detector('full', 'IMAGE')]);
    const shortFaces = toFaces(short.detect(image).detections, size);
    const fullFaces = toFaces(full.detect(image).detections, size);
    return mergeDetections(shortFaces, fullFaces, MERGE_SUPPRESSION);
  }

  private assess(
    source: ImageBitmap,
    frame: Size,
    faces: DetectedFace[],
    previousFace: Box | null,
    thresholds: QualityThresholds = this.thresholds,
  ): QualityReport | null {
    const face = mainFace(faces);
    if (!face) return null;
    const faceLuma = this.sampler.sample(source, frame, face.box);
    return assessQuality({ faces, frame, faceLuma, previousFace }, thresholds);
  }

  /** Keeps the frame when it beats the best one; returns whether it was kept. */
  private offerBest(bitmap: ImageBitmap, faces: DetectedFace[], score: number): boolean {
    const face = mainFace(faces);
    if (!face || (this.best && this.best.score >= score)) return false;
    this.replaceBest({ bitmap, face, score });
    return true;
  }

  private replaceBest(next: BestFrame | null): void {
    if (this.best && this.best.bitmap !== next?.bitmap) this.best.bitmap.close();
    this.best = next;
  }

  async encodeBest(options: EncodeOptions = {}): Promise<Capture | null> {
    const best = this.best;
    if (!best) return null;
    const maxBytes = maxBytesForBase64(options.maxBase64Bytes ?? DEFAULT_MAX_BASE64_BYTES);
    const targetBytes = options.targetBytes ?? DEFAULT_TARGET_BYTES;
    let maxSide = options.maxSide;
    const frame = { width: best.bitmap.width, height: best.bitmap.height };

    for (;;) {
      const plan = cropAroundFace(best.face.box, frame, { margin: options.margin, maxSide });
      const canvas = new OffscreenCanvas(plan.output.width, plan.output.height);
      const context = canvas.getContext('2d');
      if (!context) throw kitError('UNSUPPORTED', 'OffscreenCanvas 2D is not available');
      context.imageSmoothingQuality = 'high';
      const { crop, output } = plan;
      context.drawImage(best.bitmap, crop.x, crop.y, crop.width, crop.height, 0, 0, output.width, output.height);
      const jpeg = await encodeJpegNear(canvas, targetBytes, maxBytes);
      if (jpeg && base64Length(jpeg.blob.size) <= (options.maxBase64Bytes ?? DEFAULT_MAX_BASE64_BYTES)) {
        return { blob: jpeg.blob, width: output.width, height: output.height, quality: jpeg.quality, face: plan.face };
      }
      const longest = Math.max(output.width, output.height);
      if (longest <= 64) throw kitError('IMAGE_TOO_LARGE', 'the capture does not fit the size limit');
      maxSide = Math.floor(longest * DOWNSCALE_STEP);
    }
  }

  async makeIdPhoto(image: ImageBitmap, request: IdPhotoRequest): Promise<IdPhotoOutput> {
    try {
      const segmenter = await this.personSegmenter();
      const engine: idPhoto.IdPhotoEngine = {
        detectFaces: async (bitmap) => {
          // As detectBoth, keeping each model's detections for the pose check.
          const size = { width: bitmap.width, height: bitmap.height };
          const [short, full] = await Promise.all([this.detector('short', 'IMAGE'), this.detector('full', 'IMAGE')]);
          const shortFaces = toFaces(short.detect(bitmap).detections, size);
          const fullFaces = toFaces(full.detect(bitmap).detections, size);
          return { faces: mergeDetections(shortFaces, fullFaces, MERGE_SUPPRESSION), detections: [...shortFaces, ...fullFaces] };
        },
        segmentPerson: async (canvas) => segmentPerson(segmenter, canvas),
        faceLuma: (bitmap, box) => this.sampler.sample(bitmap, { width: bitmap.width, height: bitmap.height }, box),
        // The closed-eyes check: the landmarker (IMAGE mode) on the face of the still. Should the
        // landmark model fail to load or find no face there, the check is listed in
        // `skippedChecks` rather than guessed, and the photo is still made.
        eyeOpenness: async (bitmap, face) => {
          try {
            return await stillEyeOpenness(await this.faceLandmarkerForStills(), bitmap, face.box);
          } catch {
            return null;
          }
        },
      };
      return await idPhoto.makeIdPhoto(engine, image, request);
    } finally {
      image.close();
    }
  }

  async makePrintSheet(photo: Blob, spec: IdPhotoSpec | string, paper: PrintPaper): Promise<PrintSheetOutput> {
    return idPhoto.makePrintSheet(photo, spec, paper);
  }

  /** Created in the same queue as the detectors, for the same shared loader slot. */
  private personSegmenter(): ReturnType<typeof createPersonSegmenter> {
    if (this.segmenter) return this.segmenter;
    const { fileset, assetsBase } = this;
    if (!fileset || !assetsBase) return Promise.reject(kitError('MODEL_LOAD', 'init() must be called first'));
    const created = this.creation.then(async () => {
      const model = await this.assets.bytes(`${assetsBase}${SEGMENTER_MODEL_FILE}`);
      const scope = self as WorkerGlobal;
      if (this.wasmLoaderFactory) scope.ModuleFactory = this.wasmLoaderFactory;
      return createPersonSegmenter(fileset, assetsBase, model.bytes);
    });
    this.creation = created.catch(() => undefined);
    const tracked = created.catch((error: unknown) => {
      if (this.segmenter === tracked) this.segmenter = null;
      throw kitError('MODEL_LOAD', `the person segmentation model did not load: ${describe(error)}`, error);
    });
    this.segmenter = tracked;
    return tracked;
  }

  async resetSession(): Promise<void> {
    this.replaceBest(null);
    this.gate.reset();
    this.previousFace = null;
  }

  async blockedRequests(): Promise<string[]> {
    return egress.blocked();
  }

  async dispose(): Promise<void> {
    await this.resetSession();
    await this.closeDetectors();
  }

  private async closeDetectors(): Promise<void> {
    const pending: Promise<{ close(): void }>[] = [...this.detectors.values()];
    this.detectors.clear();
    if (this.landmarker) pending.push(this.landmarker);
    this.landmarker = null;
    if (this.stillLandmarker) pending.push(this.stillLandmarker);
    this.stillLandmarker = null;
    if (this.segmenter) pending.push(this.segmenter);
    this.segmenter = null;
    this.lastVideoTimestamp = Number.NEGATIVE_INFINITY;
    const settled = await Promise.allSettled(pending);
    for (const result of settled) if (result.status === 'fulfilled') result.value.close();
  }
}

exposeVision(() => new VisionWorker());
