import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import {
  CameraController,
  DEFAULT_THRESHOLDS,
  EndpointError,
  FacekitError,
  LocalizeController,
  backgroundAt,
  blobToBase64,
  cssRgb,
  defaultFaceRatio,
  hintKey,
  mainFace,
  readImageFile,
  searchSpecs,
  sniffImageFormat,
  type FrameAnalysis,
  type IdPhotoColor,
  type IdPhotoSpec,
  type ImageSource,
  type MessageKey,
  type Phase,
  type PrintPaper,
  ID_PHOTO_MESSAGES,
} from '@facekit/core';
import { emit, type IdPhotoMakerResultDetail } from '../events.js';
import { filePicker, hintRegion, type GuideTone } from '../shared/camera-view.js';
import { cameraViewStyles } from '../shared/camera-view.styles.js';
import { CaptureController } from '../shared/capture-controller.js';
import { asFacekitError, isLocalError, localError } from '../shared/errors.js';
import { randomId } from '../shared/mask.js';
import { baseStyles, tokens } from '../shared/tokens.styles.js';
import { FacekitElement } from '../shared/facekit-element.js';
import { idPhotoMakerStyles } from './id-photo-maker.styles.js';
import { framingHint, idealGuide, liveOutline, type LiveOutline } from './outline.js';
import {
  CUSTOM_SPEC_ID,
  PAPERS,
  SettingError,
  allowedColor,
  deviceRequest,
  resolveSettings,
  specKb,
  specName,
  specOf,
  vendorBody,
  type IdPhotoProcessing,
  type ResolvedSettings,
} from './settings.js';

export type IdPhotoSource = 'camera' | 'file' | 'auto';
export type { IdPhotoProcessing } from './settings.js';

/** Device failures after which `processing="auto"` uses the vendor (the worker or a model cannot run here). */
const DEVICE_BROKEN_CODES = new Set(['MODEL_LOAD', 'UNSUPPORTED']);
/**
 * Photos are worked on at 2000 px a side at most: what the device engine works at, and within the
 * vendor's 2500 px (its code 204), so an upload is never refused for its size.
 */
export const MAX_SOURCE_SIDE = 2000;
/** JPEG quality of the photo kept for the preview and the vendor upload. */
const SOURCE_QUALITY = 0.92;
/** Settings whose change makes a new photo (device: at once; vendor: on the next `submit()`). */
const PHOTO_SETTINGS = ['spec', 'color', 'size', 'dpi', 'faceRatio', 'faceCenterRange', 'topEmpty', 'fileSize', 'beautyDegree'] as const;

interface SourcePhoto {
  /** Upright (EXIF applied once), at most MAX_SOURCE_SIDE a side. */
  bitmap: ImageBitmap;
  /** The same as JPEG: the preview and the vendor upload. */
  blob: Blob;
  width: number;
  height: number;
  /** Idempotency key of this photo. */
  key: string;
}

interface SheetInfo {
  copies: number;
  columns: number;
  rows: number;
  dpi: number;
}

/**
 * An ID photo for an exam, a visa or a licence: the user picks the spec (searchable, most used
 * first) and the background colour the spec allows, takes a photo with the camera (a live outline
 * shows what the photo will hold) or chooses a file, and gets the photo at the spec's exact pixel
 * size, DPI and file-size range, a print sheet, and download links.
 *
 * The photo is made on the device (`processing="device"`: person segmentation and framing in the
 * vision worker; nothing is uploaded), by the ID-photo service through the site's endpoint
 * (`processing="vendor"`: `idPhoto.make`), or on the device unless it cannot run there
 * (`processing="auto"`, the default). Photo files are read with their EXIF orientation applied
 * once, scaled to 2000 px a side at most, and checked for exactly one face first.
 *
 * @summary Spec-compliant ID photos on the device or through the ID-photo service, with print sheets.
 *
 * @event {CustomEvent<FacekitStatusDetail>} facekit-status - `{ phase, hint? }`: idle, loading, starting-camera, guiding (with the framing hint), captured, processing (made on the device), uploading (sent to the service), done, error.
 * @event {CustomEvent<IdPhotoMakerResultDetail>} facekit-result - `{ mode: 'id-photo', processing, spec, color, photo: Blob, width, height, dpi, bytes, warnings, skippedChecks, sheet?: Blob, paper?, copies?, taskNo?, url? }`; sent again when the print sheet is remade for another `paper`.
 * @event {CustomEvent<FacekitErrorDetail>} facekit-error - `{ code, message, retryable }` for every failure; `message` is in the element's language.
 *
 * @slot - A header or introduction shown above the options.
 *
 * @csspart options - The spec picker, the colours and the paper.
 * @csspart spec-input - The spec search field (an ARIA combobox).
 * @csspart spec-list - The list of specs.
 * @csspart colors - The background colour choice.
 * @csspart paper - The print sheet's paper select.
 * @csspart camera - The camera view (video, shade, oval and spec outline).
 * @csspart video - The live `<video>`.
 * @csspart guide - The SVG over the video: the oval to aim for and the spec's outline.
 * @csspart hint - The live region with the current hint or status.
 * @csspart preview - The chosen or taken photo.
 * @csspart file-input - The `<input type="file">` (visually hidden; its label is styled as a button).
 * @csspart actions - The row of action buttons.
 * @csspart button - Every button and download link.
 * @csspart result - The result panel.
 * @csspart photo - The ID photo in the result.
 * @csspart warnings - The list of checks that failed.
 * @csspart sheet - The print sheet preview.
 * @csspart download - The download links.
 * @csspart error - The error message box.
 *
 * @cssproperty --facekit-font-family - Font stack.
 * @cssproperty --facekit-font-size - Base font size (default 1rem).
 * @cssproperty --facekit-color-fg - Text colour.
 * @cssproperty --facekit-color-muted - Secondary text colour.
 * @cssproperty --facekit-color-bg - Background colour.
 * @cssproperty --facekit-color-surface - Background of panels, placeholders and the active spec.
 * @cssproperty --facekit-color-border - Borders of panels and pictures.
 * @cssproperty --facekit-color-field-border - Borders of fields, colour chips and the spec list.
 * @cssproperty --facekit-color-accent - Buttons, the chosen colour and the focus ring.
 * @cssproperty --facekit-color-accent-fg - Text on accent buttons.
 * @cssproperty --facekit-color-good - The outline when it fits; "no problems found".
 * @cssproperty --facekit-color-warn - The outline when it leaves the picture; warnings.
 * @cssproperty --facekit-color-error - Errors.
 * @cssproperty --facekit-guide-dim - Shade outside the oval.
 * @cssproperty --facekit-guide-idle - Oval and outline colour while nothing is decided.
 * @cssproperty --facekit-radius - Corner radius.
 * @cssproperty --facekit-gap - Spacing between blocks.
 * @cssproperty --facekit-max-width - Largest width of the element (default 480px).
 * @cssproperty --facekit-duration - Transition length (0 with prefers-reduced-motion).
 */
export class IdPhotoMaker extends FacekitElement {
  static override styles = [tokens, baseStyles, cameraViewStyles, idPhotoMakerStyles];

  // ── controllers ──────────────────────────────────────────────────────────
  private readonly localize = new LocalizeController(this, ID_PHOTO_MESSAGES);
  /** A larger frame than the selfie elements ask for: the photo is cut from the whole frame. */
  private readonly camera = new CameraController(this, { facingMode: 'user', width: 1280, height: 960 });
  /** The capture flow: phases, errors, the camera loop, photo files, retry and the endpoint client. */
  protected readonly flow = new CaptureController(this, {
    camera: this.camera,
    localize: this.localize,
    messageOf: (error) => this.messageOf(error),
    guide: (run) => this.guide(run),
    loadProgress: true,
    hasCapture: () => !!this.sourcePhoto,
  });
  private readonly vision = this.flow.vision;

  // ── queries ──────────────────────────────────────────────────────────────
  @query('.result') private resultPanel?: HTMLElement | null;

  // ── private state ────────────────────────────────────────────────────────
  /** The live outline on the camera, in frame pixels. */
  @state() private outline: LiveOutline | null = null;
  @state() private frameSize: { width: number; height: number } | null = null;
  @state() private sourcePhoto: SourcePhoto | null = null;
  @state() private sourceUrl = '';
  @state() private result: IdPhotoMakerResultDetail | null = null;
  /** Object URL of the result's photo (shown on the device path, downloaded on both). */
  @state() private photoUrl = '';
  @state() private sheetUrl = '';
  @state() private pickerOpen = false;
  @state() private specQuery = '';
  @state() private activeIndex = 0;

  private stableFrames = 0;
  /** The vision worker cannot run here (processing="auto" then uses the vendor). */
  private deviceBroken = false;
  /** The settings the shown result was made with (to tell a real change from a re-render). */
  private resultSettings = '';
  /** The layout of each result's print sheet (copies, columns, rows, dpi). */
  private readonly sheetInfos = new WeakMap<IdPhotoMakerResultDetail, SheetInfo>();
  private readonly uid = randomId().slice(0, 8);

  // ── properties ───────────────────────────────────────────────────────────
  /** Where the photo comes from: `camera`, `file`, or `auto` (camera or file; the file chooser if the camera fails). */
  @property({ attribute: 'source', reflect: true }) source: IdPhotoSource = 'auto';

  /** Make the ID photo as soon as a photo is taken or chosen. */
  @property({ attribute: 'auto-submit', type: Boolean, reflect: true }) autoSubmit = false;

  /** The spec: an id of core's `ID_PHOTO_SPECS` (`one-inch`, `two-inch`, `us-visa`, …). */
  @property({ attribute: 'spec', reflect: true }) spec = 'one-inch';

  /** Background colour (`white`, `blue`, `red`, `blue_grey`, `blue_gradual`, `gray_gradual`, `red_gradual`); a colour the spec does not offer gives its first one. */
  @property({ attribute: 'color', reflect: true }) color = '';

  /** `device` (nothing uploaded), `vendor` (the ID-photo service through `endpoint`) or `auto` (device, the vendor when the device cannot run the models). */
  @property({ attribute: 'processing', reflect: true }) processing: IdPhotoProcessing = 'auto';

  /** Paper of the print sheet: `6in` (default), `5in` or `a4`. */
  @property({ attribute: 'paper', reflect: true }) paper: PrintPaper = '6in';

  /** Face (head top to chin) height / photo height, 0…1; default per spec (0.5, or 0.4 for half-body specs). */
  @property({ attribute: 'face-ratio', type: Number }) faceRatio?: number;

  /** Face centre height from the top / photo height, 0…1; default 0.45. */
  @property({ attribute: 'face-center-range', type: Number }) faceCenterRange?: number;

  /** Space above the head in photo pixels, `"min,max"` (e.g. `"10,30"`); unset: not checked. */
  @property({ attribute: 'top-empty' }) topEmpty = '';

  /** File size in KB, `"min,max"` (e.g. `"10,100"`); default the spec's range. */
  @property({ attribute: 'file-size' }) fileSize = '';

  /** The service's retouching, 1.0…5.0 (vendor only; the device makes no retouching). */
  @property({ attribute: 'beauty-degree', type: Number }) beautyDegree?: number;

  /** A custom pixel size `"480x640"` instead of `spec` (the vendor's spec "12"). */
  @property({ attribute: 'size' }) size = '';

  /** DPI written into the photo, 50…1200; default the spec's (300, or 350 for some). */
  @property({ attribute: 'dpi', type: Number }) dpi?: number;

  /** A photo picker of the host page (e.g. `createWeChatImageSource(window.wx)`), offered with the file chooser. Property only. */
  @property({ attribute: false }) imageSource: ImageSource | null = null;

  // ── public API ───────────────────────────────────────────────────────────
  /** The last result (photo, sheet and facts), or null. */
  get currentResult(): IdPhotoMakerResultDetail | null {
    return this.result;
  }

  /**
   * Opens the source: loads the models, then opens the camera and shows the live outline until a
   * good photo is taken, or (`source="file"`, or the camera fails with `source="auto"`) offers the
   * file chooser.
   */
  async start(): Promise<void> {
    this.clearSource();
    this.clearResult();
    await this.flow.open((signal) => this.ensureDevice(signal));
  }

  /**
   * Makes the ID photo of the current photo with the current settings. Resolves with the result
   * (also sent as `facekit-result`), or null after a failure (sent as `facekit-error`).
   */
  async submit(): Promise<IdPhotoMakerResultDetail | null> {
    // No endpoint needed: the device makes it; the vendor path checks for one itself.
    let source: SourcePhoto;
    let settings: ResolvedSettings;
    try {
      source = this.flow.requirePhoto(this.sourcePhoto);
      settings = this.resolvedSettings();
    } catch (error) {
      this.flow.report(error);
      return null;
    }
    const making = this.flow.beginUpload();
    const { signal } = making;
    this.clearResult();
    this.flow.error = null;
    this.flow.retryAction = () => this.submit();
    try {
      let result: IdPhotoMakerResultDetail;
      if (this.processingNow() === 'vendor') {
        result = await this.makeByVendor(source, settings, signal);
      } else {
        try {
          result = await this.makeOnDevice(source, settings, signal);
        } catch (error) {
          if (signal.aborted || !this.mayUseVendor(error)) throw error;
          this.deviceBroken = true;
          result = await this.makeByVendor(source, settings, signal);
        }
      }
      if (signal.aborted) return null;
      this.showResult(result, settings);
      this.setPhase('done');
      emit(this, 'facekit-result', result);
      return result;
    } catch (error) {
      if (!signal.aborted) this.flow.fail(error);
      return null;
    } finally {
      this.flow.endUpload(making);
    }
  }

  /** Releases the camera and ends the frame loop. A photo or a result stays. */
  stop(): void {
    this.outline = null;
    this.flow.stop(this.sourcePhoto ? 'captured' : 'idle');
  }

  /** Back to idle: stops everything and clears the photo, the result and the error. */
  reset(): void {
    this.flow.reset();
    this.clearSource();
    this.clearResult();
    this.outline = null;
    this.setPhase('idle');
  }

  /**
   * Uses a photo file (or any image Blob): read with its EXIF orientation applied once, scaled to
   * 2000 px a side at most, and checked for exactly one face. A HEIC or other photo the browser
   * cannot decode gives FILE_FORMAT with a clear message.
   */
  async loadFile(file: Blob): Promise<void> {
    this.clearSource();
    this.clearResult();
    this.outline = null;
    await this.flow.loadFile(
      () => this.loadFile(file),
      async (signal) => {
        let format = null;
        try {
          format = sniffImageFormat(new Uint8Array(await file.slice(0, 64).arrayBuffer()));
        } catch {
          // readImageFile says what is wrong with the file.
        }
        let bitmap: ImageBitmap;
        try {
          bitmap = await readImageFile(file);
        } catch (error) {
          if (error instanceof FacekitError && error.code === 'FILE_FORMAT' && (format === 'heic' || format === 'avif')) {
            throw localError('FILE_FORMAT', this.t('idphoto.error.heic'));
          }
          throw error;
        }
        bitmap = await scaleDown(bitmap, MAX_SOURCE_SIDE);
        if (signal.aborted) return bitmap.close();
        try {
          await this.checkFaces(bitmap, signal);
        } catch (error) {
          bitmap.close();
          throw error;
        }
        if (signal.aborted) return bitmap.close();
        await this.setSource(bitmap);
      },
    );
  }

  // ── handlers ─────────────────────────────────────────────────────────────
  private onStartClick = (): void => {
    void this.start();
  };

  private onStopClick = (): void => {
    this.stop();
  };

  private onMakeClick = (): void => {
    void this.submit();
  };

  private onCaptureClick = (): void => {
    void this.takePhoto('manual');
  };

  private onRetakeClick = (): void => {
    this.flow.upload?.abort();
    this.clearSource();
    this.clearResult();
    this.flow.error = null;
    void (this.flow.fileFallback || this.source === 'file' ? this.flow.offerFile() : this.start());
  };

  private onAgainClick = (): void => {
    this.reset();
    if (this.source === 'camera') void this.start();
  };

  private onSpecInput = (event: Event): void => {
    this.specQuery = (event.target as HTMLInputElement).value;
    this.pickerOpen = true;
    this.activeIndex = 0;
  };

  private onSpecFocus = (event: FocusEvent): void => {
    (event.target as HTMLInputElement).select();
  };

  private onSpecClick = (): void => {
    if (!this.pickerOpen) this.openPicker();
  };

  private onSpecBlur = (event: FocusEvent): void => {
    // A click in the list keeps the focus (mousedown is prevented there).
    if (event.relatedTarget && this.shadowRoot?.contains(event.relatedTarget as Node) && (event.relatedTarget as Element).closest('.listbox')) return;
    this.closePicker();
  };

  private onSpecKeyDown = (event: KeyboardEvent): void => {
    const options = this.specOptions;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!this.pickerOpen) this.openPicker();
        else this.activeIndex = Math.min(options.length - 1, this.activeIndex + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!this.pickerOpen) this.openPicker();
        else this.activeIndex = Math.max(0, this.activeIndex - 1);
        break;
      case 'PageDown':
        if (!this.pickerOpen) return;
        event.preventDefault();
        this.activeIndex = Math.min(options.length - 1, this.activeIndex + 10);
        break;
      case 'PageUp':
        if (!this.pickerOpen) return;
        event.preventDefault();
        this.activeIndex = Math.max(0, this.activeIndex - 10);
        break;
      case 'Enter': {
        if (!this.pickerOpen) return;
        event.preventDefault();
        const chosen = options[this.activeIndex];
        if (chosen) this.chooseSpec(chosen);
        break;
      }
      case 'Escape':
        if (!this.pickerOpen && !this.specQuery) return;
        event.preventDefault();
        this.closePicker();
        break;
      case 'Tab':
        this.closePicker();
        break;
    }
  };

  private onOptionMouseDown = (event: MouseEvent): void => {
    // Keep the focus in the field while the list is clicked.
    event.preventDefault();
  };

  private onOptionClick = (event: MouseEvent): void => {
    const id = (event.currentTarget as HTMLElement).dataset.spec;
    const chosen = this.specOptions.find((spec) => spec.id === id);
    if (chosen) this.chooseSpec(chosen);
  };

  private onColorChange = (event: Event): void => {
    this.color = (event.target as HTMLInputElement).value;
  };

  private onPaperChange = (event: Event): void => {
    this.paper = (event.target as HTMLSelectElement).value as PrintPaper;
  };

  // ── flow ─────────────────────────────────────────────────────────────────
  private t(key: MessageKey, params?: Record<string, string | number>): string {
    return this.localize.t(key, params);
  }

  /** The spec the attributes name, or null. */
  private get currentSpec(): IdPhotoSpec | null {
    return specOf({ spec: this.spec, size: this.size, dpi: this.dpi });
  }

  private resolvedSettings(): ResolvedSettings {
    try {
      return resolveSettings({
        spec: this.spec,
        size: this.size,
        dpi: this.dpi,
        color: this.color,
        faceRatio: this.faceRatio,
        faceCenterRange: this.faceCenterRange,
        topEmpty: this.topEmpty,
        fileSize: this.fileSize,
        beautyDegree: this.beautyDegree,
      });
    } catch (error) {
      if (error instanceof SettingError) {
        throw localError('BAD_REQUEST', this.t('idphoto.error.param', { name: error.attribute, expected: error.expected }));
      }
      throw error;
    }
  }

  /** Where the next photo is made. */
  private processingNow(): 'device' | 'vendor' {
    if (this.processing === 'vendor') return 'vendor';
    if (this.processing === 'auto' && this.deviceBroken && this.endpoint) return 'vendor';
    return 'device';
  }

  /** A device failure that the vendor can stand in for (processing="auto" with an endpoint). */
  private mayUseVendor(error: unknown): boolean {
    return this.processing === 'auto' && !!this.endpoint && DEVICE_BROKEN_CODES.has(asFacekitError(error).code);
  }

  /** Starts the vision worker; when it cannot run and the vendor may stand in, goes on without it. */
  private async ensureDevice(signal: AbortSignal): Promise<void> {
    try {
      await this.vision.bridge.ready(signal);
      this.deviceBroken = false;
    } catch (error) {
      if (signal.aborted) throw error;
      if ((this.processing === 'vendor' || this.mayUseVendor(error)) && DEVICE_BROKEN_CODES.has(asFacekitError(error).code)) {
        this.deviceBroken = true;
        return;
      }
      throw error;
    }
  }

  /** Exactly one face, or NO_FACE / MANY_FACES. Skipped (the vendor checks) when the device cannot run. */
  private async checkFaces(bitmap: ImageBitmap, signal: AbortSignal): Promise<void> {
    if (this.deviceBroken && this.processingNow() === 'vendor') return;
    const bridge = this.vision.bridge;
    let analysis: FrameAnalysis;
    try {
      analysis = await bridge.analyzeImage(bitmap, signal);
      await bridge.resetSession(signal);
    } catch (error) {
      if (signal.aborted || !(this.processing === 'vendor' || this.mayUseVendor(error)) || !DEVICE_BROKEN_CODES.has(asFacekitError(error).code)) throw error;
      this.deviceBroken = true;
      return;
    }
    if (analysis.faces.length === 0) throw new FacekitError('NO_FACE');
    if (analysis.faces.length > 1) throw new FacekitError('MANY_FACES');
  }

  /** Runs the frame loop: each frame is analysed; the outline follows the face. */
  private async guide(run: AbortController): Promise<void> {
    this.stableFrames = 0;
    this.outline = null;
    // Without the worker there is no analysis: the user takes the photo by hand.
    if (!(await this.flow.beginGuiding(run, !this.deviceBroken)) || this.deviceBroken) return;
    this.flow.analyseFrames(run, (analysis) => this.onAnalysis(analysis));
  }

  private onAnalysis(analysis: FrameAnalysis): void {
    const frame = { width: analysis.width, height: analysis.height };
    this.frameSize = frame;
    this.flow.faceCount = analysis.faces.length;
    const face = mainFace(analysis.faces);
    const spec = this.currentSpec;
    let outline: LiveOutline | null = null;
    if (face && spec && analysis.faces.length === 1) {
      outline = liveOutline(frame, face.box, spec, {
        faceRatio: validRatio(this.faceRatio) ?? defaultFaceRatio(spec),
        faceCenterRange: validRatio(this.faceCenterRange),
      });
    }
    this.outline = outline;
    const hint = spec ? framingHint(analysis.quality, frame, outline, spec) : analysis.hint;
    this.stableFrames = hint === 'ok' ? this.stableFrames + 1 : 0;
    this.flow.showHint(hint);
    if (this.stableFrames >= DEFAULT_THRESHOLDS.stableFrames) void this.takePhoto('auto');
  }

  /** Takes the current camera frame as the photo (checked for one face). */
  private takePhoto(trigger: 'auto' | 'manual'): Promise<void> {
    return this.flow.snap(
      async (signal) => {
        const frame = await this.camera.grabFrame();
        if (!frame || signal.aborted) {
          frame?.close();
          return null;
        }
        try {
          await this.checkFaces(frame, signal);
        } catch (error) {
          frame.close();
          if (signal.aborted) return null;
          const failure = asFacekitError(error);
          // No face, or several: say so and keep guiding.
          if (failure.code !== 'NO_FACE' && failure.code !== 'MANY_FACES') throw failure;
          this.stableFrames = 0;
          if (trigger === 'manual') this.flow.report(failure);
          return null;
        }
        if (signal.aborted) frame.close();
        return frame;
      },
      (frame) => {
        this.outline = null;
        return this.setSource(frame);
      },
    );
  }

  /** Keeps the photo (and its JPEG for the preview and the vendor) and, with auto-submit, makes the ID photo. */
  private async setSource(bitmap: ImageBitmap): Promise<void> {
    const blob = await encodeJpeg(bitmap, SOURCE_QUALITY);
    this.clearSource();
    this.sourcePhoto = { bitmap, blob, width: bitmap.width, height: bitmap.height, key: randomId() };
    this.sourceUrl = URL.createObjectURL(blob);
    this.flow.hint = null;
    this.flow.error = null;
    this.flow.retryAction = null;
    this.setPhase('captured');
    if (this.autoSubmit) void this.submit();
  }

  private clearSource(): void {
    if (this.sourceUrl) URL.revokeObjectURL(this.sourceUrl);
    this.sourceUrl = '';
    this.sourcePhoto?.bitmap.close();
    this.sourcePhoto = null;
  }

  private clearResult(): void {
    if (this.photoUrl) URL.revokeObjectURL(this.photoUrl);
    if (this.sheetUrl) URL.revokeObjectURL(this.sheetUrl);
    this.photoUrl = '';
    this.sheetUrl = '';
    this.result = null;
    this.resultSettings = '';
  }

  private showResult(result: IdPhotoMakerResultDetail, settings: ResolvedSettings): void {
    this.clearResult();
    this.result = result;
    this.resultSettings = settingsKey(settings);
    this.photoUrl = URL.createObjectURL(result.photo);
    if (result.sheet) this.sheetUrl = URL.createObjectURL(result.sheet);
  }

  /** On the device: the worker's engine, then the print sheet. */
  private async makeOnDevice(source: SourcePhoto, settings: ResolvedSettings, signal: AbortSignal): Promise<IdPhotoMakerResultDetail> {
    this.setPhase('processing');
    const bridge = this.vision.bridge;
    const output = await bridge.makeIdPhoto(source.bitmap, deviceRequest(settings), signal);
    const result: IdPhotoMakerResultDetail = {
      mode: 'id-photo',
      processing: 'device',
      spec: settings.specId,
      color: settings.color,
      photo: output.blob,
      width: output.width,
      height: output.height,
      dpi: output.dpi,
      bytes: output.bytes,
      warnings: output.warnings,
      skippedChecks: output.skippedChecks,
    };
    await this.addSheet(result, settings.spec, signal);
    return result;
  }

  /** Through the endpoint: `idPhoto.make` with every parameter of the document, then the photo from its media link. */
  private async makeByVendor(source: SourcePhoto, settings: ResolvedSettings, signal: AbortSignal): Promise<IdPhotoMakerResultDetail> {
    if (!this.endpoint) throw localError('BAD_REQUEST', this.t('idphoto.error.no-endpoint'));
    this.setPhase('uploading');
    const client = this.flow.client;
    const body = vendorBody(settings, await blobToBase64(source.blob));
    let answer;
    try {
      answer = await client.call<VendorAnswer>('idPhoto.make', body, {
        signal,
        idempotencyKey: `${source.key}:${settingsKey(settings)}`,
      });
    } catch (error) {
      const failure = asFacekitError(error);
      // A plain call is not kept in the queue: say so plainly.
      if (failure.code === 'NETWORK' && !(failure instanceof EndpointError)) throw localError('NETWORK', this.t('idphoto.error.network'), { retryable: true });
      throw failure;
    }
    const data = answer.data;
    const image = data?.images?.[0];
    const url = this.endpointUrl(image?.url);
    let photo: Blob;
    if (url) photo = await this.fetchPhoto(url, signal);
    else if (image?.dataUrl && /^data:image\/(jpeg|png);base64,/i.test(image.dataUrl)) photo = dataUrlToBlob(image.dataUrl);
    else throw localError('VENDOR_ERROR', this.t('idphoto.error.no-photo'));
    const result: IdPhotoMakerResultDetail = {
      mode: 'id-photo',
      processing: 'vendor',
      spec: settings.specId,
      color: settings.color,
      photo,
      width: image?.width ?? data?.size?.width ?? settings.spec.widthPx,
      height: image?.height ?? data?.size?.height ?? settings.spec.heightPx,
      dpi: data?.dpi ?? settings.spec.dpi,
      bytes: photo.size,
      warnings: [],
      skippedChecks: [],
    };
    if (data?.taskNo) result.taskNo = String(data.taskNo);
    if (url) result.url = url;
    if (!this.deviceBroken) await this.addSheet(result, settings.spec, signal);
    return result;
  }

  /** The print sheet of `result` on `paper`, into the result; a sheet that cannot be made leaves none. */
  private async addSheet(result: IdPhotoMakerResultDetail, spec: IdPhotoSpec, signal: AbortSignal): Promise<void> {
    const paper = this.paper;
    try {
      const sheet = await this.vision.bridge.makePrintSheet(result.photo, spec, PAPERS.includes(paper) ? paper : '6in', signal);
      result.sheet = sheet.blob;
      result.paper = sheet.paper;
      result.copies = sheet.copies;
      this.sheetInfos.set(result, { copies: sheet.copies, columns: sheet.columns, rows: sheet.rows, dpi: sheet.dpi });
    } catch (error) {
      if (signal.aborted) throw error;
    }
  }

  /** A new paper: the sheet is made again and the result sent again. */
  private async remakeSheet(): Promise<void> {
    const current = this.result;
    const spec = this.currentSpec;
    if (!current || !spec) return;
    const making = this.flow.beginUpload();
    const result: IdPhotoMakerResultDetail = { ...current };
    delete result.sheet;
    delete result.paper;
    delete result.copies;
    await this.addSheet(result, this.dpi ? { ...spec, dpi: this.dpi } : spec, making.signal).catch(() => {});
    if (making.signal.aborted || this.result !== current) return;
    if (this.sheetUrl) URL.revokeObjectURL(this.sheetUrl);
    this.sheetUrl = result.sheet ? URL.createObjectURL(result.sheet) : '';
    this.result = result;
    this.flow.endUpload(making);
    emit(this, 'facekit-result', result);
  }

  /** A result link, only when it is served by the endpoint (the element requests nothing else). */
  private endpointUrl(value: string | undefined): string | undefined {
    if (!value || !this.endpoint) return undefined;
    try {
      const endpoint = new URL(this.endpoint, document.baseURI);
      const url = new URL(value, endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`);
      return url.origin === endpoint.origin && /^https?:$/.test(url.protocol) ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  private async fetchPhoto(url: string, signal: AbortSignal): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(url, { signal, credentials: 'same-origin' });
    } catch (cause) {
      if (signal.aborted) throw new FacekitError('ABORTED');
      throw new FacekitError('NETWORK', this.t('idphoto.error.network'), { cause });
    }
    const blob = await response.blob();
    if (!response.ok || !/^image\//.test(blob.type)) throw localError('VENDOR_ERROR', this.t('idphoto.error.no-photo'));
    return blob;
  }

  private openPicker(): void {
    this.pickerOpen = true;
    const index = this.specOptions.findIndex((spec) => spec.id === this.spec);
    this.activeIndex = Math.max(0, index);
  }

  private closePicker(): void {
    this.pickerOpen = false;
    this.specQuery = '';
  }

  private chooseSpec(spec: IdPhotoSpec): void {
    this.spec = spec.id;
    this.closePicker();
  }

  /** The specs the picker lists: matches of the query, most used first (core's `searchSpecs`). */
  private get specOptions(): IdPhotoSpec[] {
    return searchSpecs(this.specQuery);
  }

  private setPhase(phase: Phase): void {
    this.flow.setPhase(phase);
  }

  /** The element's own text, the ID-photo wording of the face errors, or the kit code's message. */
  private messageOf(error: FacekitError): string {
    if (isLocalError(error)) return error.message;
    if (error.code === 'NO_FACE' || error.code === 'MANY_FACES') {
      const key = `idphoto.error.${error.code}` as MessageKey;
      return this.messages?.[`code.${error.code}`] ?? this.t(key);
    }
    const messageKey = (error as FacekitError & { messageKey?: MessageKey }).messageKey;
    if (messageKey) return this.t(messageKey);
    return this.localize.error(error.code);
  }

  // ── lifecycle ────────────────────────────────────────────────────────────
  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the DOM: show the pictures again (their URLs were released on disconnection).
    if (this.sourcePhoto && !this.sourceUrl) this.sourceUrl = URL.createObjectURL(this.sourcePhoto.blob);
    if (this.result && !this.photoUrl) this.photoUrl = URL.createObjectURL(this.result.photo);
    if (this.result?.sheet && !this.sheetUrl) this.sheetUrl = URL.createObjectURL(this.result.sheet);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The capture flow ends itself (and the photo being made); the pictures' URLs are released here.
    for (const url of [this.sourceUrl, this.photoUrl, this.sheetUrl]) if (url) URL.revokeObjectURL(url);
    this.sourceUrl = '';
    this.photoUrl = '';
    this.sheetUrl = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('source')) this.flow.sourceChanged(changed.get('source'));
    const changedAny = changed as PropertyValues;
    if (changedAny.has('specQuery') || changedAny.has('pickerOpen')) {
      this.activeIndex = Math.min(this.activeIndex, Math.max(0, this.specOptions.length - 1));
    }
    // New settings while a result is shown: the device makes the photo again at once; the vendor
    // (billable) waits for the next submit().
    if (this.result && this.sourcePhoto && PHOTO_SETTINGS.some((name) => changedAny.has(name)) && !this.flow.upload) {
      let key = '';
      try {
        key = settingsKey(this.resolvedSettings());
      } catch {
        key = 'invalid';
      }
      if (key !== this.resultSettings) {
        if (this.result.processing === 'device' && key !== 'invalid') void this.submit();
        else {
          this.clearResult();
          this.setPhase('captured');
        }
      }
    } else if (this.result && changedAny.has('paper') && changedAny.get('paper') !== undefined && !this.flow.upload) {
      void this.remakeSheet();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const changedAny = changed as PropertyValues;
    if (this.pickerOpen && (changedAny.has('activeIndex') || changedAny.has('pickerOpen') || changedAny.has('specQuery'))) {
      this.shadowRoot?.querySelector('.option.active')?.scrollIntoView({ block: 'nearest' });
    }
    if (changedAny.has('result') && this.result) {
      const active = document.activeElement;
      const inside = this.shadowRoot?.activeElement;
      if (!active || active === document.body || active === this || (inside && inside.closest('[part~="actions"]'))) this.resultPanel?.focus();
    }
  }

  // ── render ───────────────────────────────────────────────────────────────
  private renderSpecPicker(spec: IdPhotoSpec | null): TemplateResult {
    const lang = this.localize.lang;
    const id = (name: string) => `fk-${name}-${this.uid}`;
    const custom = spec?.id === CUSTOM_SPEC_ID;
    const options = this.pickerOpen ? this.specOptions : [];
    const active = options[this.activeIndex];
    const shown = this.pickerOpen || this.specQuery ? this.specQuery : custom ? this.t('idphoto.spec.custom') : spec ? specName(spec, lang) : this.spec;
    const option = (item: IdPhotoSpec) => html`
      <div
        id=${id(`opt-${item.id}`)}
        class=${classMap({ option: true, active: item === active })}
        role="option"
        aria-selected=${item.id === spec?.id ? 'true' : 'false'}
        data-spec=${item.id}
        @mousedown=${this.onOptionMouseDown}
        @click=${this.onOptionClick}
      >
        <span class="name">${specName(item, lang)}${lang === 'en' ? html` <span lang="zh-CN" class="meta">${item.title}</span>` : nothing}</span>
        <span class="meta">${this.sizeText(item)}</span>
      </div>
    `;
    const common = this.specQuery.trim() ? [] : options.filter((item) => item.common !== undefined);
    const list = this.specQuery.trim()
      ? options.map(option)
      : html`
          <div role="group" aria-labelledby=${id('common')}>
            <div class="group-label" id=${id('common')} role="presentation">${this.t('idphoto.spec.common')}</div>
            ${common.map(option)}
          </div>
          <div role="group" aria-labelledby=${id('all')}>
            <div class="group-label" id=${id('all')} role="presentation">${this.t('idphoto.spec.all')}</div>
            ${options.filter((item) => item.common === undefined).map(option)}
          </div>
        `;
    return html`
      <div class="field">
        <label for=${id('spec')} id=${id('spec-label')}>${this.t('idphoto.spec.label')}</label>
        <div class="combobox">
          <input
            id=${id('spec')}
            part="spec-input"
            type="text"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            aria-autocomplete="list"
            aria-expanded=${this.pickerOpen ? 'true' : 'false'}
            aria-controls=${id('specs')}
            aria-activedescendant=${ifDefined(this.pickerOpen && active ? id(`opt-${active.id}`) : undefined)}
            aria-describedby=${id('spec-facts')}
            placeholder=${ifDefined(this.pickerOpen && spec ? specName(spec, lang) : undefined)}
            ?disabled=${custom}
            .value=${live(shown)}
            @input=${this.onSpecInput}
            @keydown=${this.onSpecKeyDown}
            @focus=${this.onSpecFocus}
            @click=${this.onSpecClick}
            @blur=${this.onSpecBlur}
          />
          <div id=${id('specs')} part="spec-list" class="listbox" role="listbox" aria-labelledby=${id('spec-label')} ?hidden=${options.length === 0}>
            ${options.length ? list : nothing}
          </div>
          ${this.pickerOpen && options.length === 0
            ? html`<div class="listbox empty">${this.t('idphoto.spec.none', { query: this.specQuery.trim() })}</div>`
            : nothing}
        </div>
        <p class="note spec-facts" id=${id('spec-facts')}>${spec ? this.specFacts(spec) : ''} ${this.t('idphoto.spec.note')}</p>
        <p class="visually-hidden" role="status" aria-live="polite">
          ${this.pickerOpen && this.specQuery.trim()
            ? options.length
              ? this.t('idphoto.spec.count', { count: options.length })
              : this.t('idphoto.spec.none', { query: this.specQuery.trim() })
            : ''}
        </p>
      </div>
    `;
  }

  private sizeText(spec: IdPhotoSpec): string {
    const px = this.t('idphoto.size.px', { width: spec.widthPx, height: spec.heightPx });
    if (spec.unit === 'mm' && spec.widthMm && spec.heightMm) return `${this.t('idphoto.size.mm', { width: spec.widthMm, height: spec.heightMm })} · ${px}`;
    return px;
  }

  /** "25 × 35 mm · 295 × 413 px · 300 dpi · 50–100 KB." */
  private specFacts(spec: IdPhotoSpec): string {
    const dpi = this.dpi && Number.isFinite(this.dpi) ? this.dpi : spec.dpi;
    const kb = specKb(spec);
    const parts = [this.sizeText(spec), this.t('idphoto.result.dpi-value', { dpi })];
    if (kb) parts.push(this.t('idphoto.size.kb', { min: kb.min, max: kb.max }));
    return `${parts.join(' · ')}.`;
  }

  private renderColors(spec: IdPhotoSpec | null): TemplateResult | typeof nothing {
    if (!spec) return nothing;
    const chosen = allowedColor(spec, this.color);
    const name = `fk-color-${this.uid}`;
    return html`
      <fieldset part="colors">
        <legend>${this.t('idphoto.color.label')}</legend>
        <div class="colors">
          ${spec.colors.map(
            (color) => html`
              <label class="color">
                <input type="radio" name=${name} value=${color} .checked=${live(color === chosen)} @change=${this.onColorChange} />
                ${this.swatch(color)}
                <span>${this.t(`idphoto.color.${color}` as MessageKey)}</span>
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }

  /** The colour as an SVG chip (attributes only: no inline style under a strict CSP). */
  private swatch(color: IdPhotoColor): TemplateResult {
    const gradient = `fk-grad-${color}-${this.uid}`;
    const top = cssRgb(backgroundAt(color, 0, 100));
    const bottom = cssRgb(backgroundAt(color, 99, 100));
    return html`<svg class="swatch" viewBox="0 0 28 28" aria-hidden="true" focusable="false">
      ${svg`
        <defs>
          <linearGradient id=${gradient} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0" stop-color=${top}></stop>
            <stop offset="1" stop-color=${bottom}></stop>
          </linearGradient>
        </defs>
        <rect x="1" y="1" width="26" height="26" rx="6" fill=${`url(#${gradient})`}></rect>
      `}
    </svg>`;
  }

  private renderPaper(): TemplateResult {
    const id = `fk-paper-${this.uid}`;
    return html`
      <div class="field">
        <label for=${id}>${this.t('idphoto.paper.label')}</label>
        <select id=${id} part="paper" .value=${live(this.paper)} @change=${this.onPaperChange}>
          ${PAPERS.map((paper) => html`<option value=${paper} ?selected=${paper === this.paper}>${this.t(`idphoto.paper.${paper}` as MessageKey)}</option>`)}
        </select>
      </div>
    `;
  }

  private renderStage(spec: IdPhotoSpec | null): TemplateResult | typeof nothing {
    if (this.result) return nothing;
    if (this.sourcePhoto && this.sourceUrl) {
      return html`<figure class="preview"><img part="preview" src=${this.sourceUrl} alt=${this.t('idphoto.source.alt')} /></figure>`;
    }
    if (this.flow.cameraShown) {
      const size = this.frameSize ?? (this.camera.size.width ? this.camera.size : null);
      return this.flow.renderCamera(
        {
          size,
          tone: this.cameraTone,
          label: this.t('camera.label'),
          guide: size && spec ? idealGuide(size, spec, validRatio(this.faceRatio) ?? defaultFaceRatio(spec), validRatio(this.faceCenterRange)) : undefined,
          decorations: this.renderOutline(),
        },
        this.t('action.tap-to-start'),
      );
    }
    const picker = this.source !== 'camera' || this.flow.fileFallback;
    return html`
      <div class=${picker && this.flow.phase !== 'idle' ? 'file-stage' : 'placeholder'}>
        ${this.flow.phase === 'idle' || (this.flow.phase === 'error' && !this.flow.fileFallback)
          ? html`<svg viewBox="0 0 64 80" focusable="false" aria-hidden="true">
              <rect x="4" y="4" width="56" height="72" rx="3" fill="none" stroke="currentColor" stroke-width="3" stroke-dasharray="6 5" />
              <ellipse cx="32" cy="34" rx="12" ry="16" fill="none" stroke="currentColor" stroke-width="3" />
              <path d="M10 76c2-12 11-19 22-19s20 7 22 19" fill="none" stroke="currentColor" stroke-width="3" />
            </svg>`
          : nothing}
        ${this.flow.phase === 'loading' ? this.flow.loading.render(this.t('loading.label'), (amount) => this.t('loading.bytes', amount), this.localize.lang) : nothing}
        ${picker ? this.flow.renderImageSourceButton(this.t('action.image-source'), this.flow.busy) : nothing}
        ${picker
          ? filePicker({
              id: `fk-file-${this.uid}`,
              label: this.t('file.label'),
              note: this.t('idphoto.file.note'),
              disabled: this.flow.busy,
              onChange: this.flow.onFileChange,
            })
          : nothing}
      </div>
    `;
  }

  private get cameraTone(): GuideTone {
    if (this.flow.phase !== 'guiding' || !this.flow.hint || this.flow.hint === 'no-face') return 'idle';
    return this.flow.hint === 'ok' ? 'good' : 'warn';
  }

  /** The spec's outline on the face, with the band where crown and chin should sit. */
  private renderOutline() {
    const outline = this.outline;
    if (!outline || this.flow.phase !== 'guiding') return nothing;
    const { crop } = outline;
    return svg`
      <rect class=${`spec-outline ${outline.fits ? 'fits' : 'leaves'}`} x=${crop.x} y=${crop.y} width=${crop.width} height=${crop.height}></rect>
      <line class="spec-band" x1=${crop.x} x2=${crop.x + crop.width} y1=${outline.faceTop} y2=${outline.faceTop}></line>
      <line class="spec-band" x1=${crop.x} x2=${crop.x + crop.width} y1=${outline.faceBottom} y2=${outline.faceBottom}></line>
    `;
  }

  /** The live region's text. */
  private get statusText(): string {
    switch (this.flow.phase) {
      case 'guiding':
        if (this.flow.fileFallback) return this.t('file.label');
        if (this.flow.hint) return this.t(hintKey(this.flow.hint));
        return this.t('idphoto.guiding');
      case 'loading':
        return this.t(this.flow.busy ? 'file.reading' : 'phase.loading');
      case 'processing':
        return this.t('idphoto.making');
      case 'uploading':
        return this.t('idphoto.sending');
      case 'starting-camera':
      case 'captured':
      case 'done':
        return this.t(`phase.${this.flow.phase}` as MessageKey);
      default:
        return '';
    }
  }

  private renderError(): TemplateResult | typeof nothing {
    return this.flow.renderError(this.t('action.retry'));
  }

  private renderActions(): TemplateResult {
    const phase = this.flow.phase;
    const making = phase === 'processing' || phase === 'uploading';
    const button = (label: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean } = {}) =>
      html`<button part="button" type="button" class=${options.secondary ? 'secondary' : ''} ?disabled=${!!options.disabled} @click=${onClick}>${label}</button>`;
    const buttons: TemplateResult[] = [];
    if (this.result) {
      buttons.push(button(this.t('action.again'), this.onAgainClick, { secondary: true }));
    } else if (this.sourcePhoto) {
      buttons.push(button(this.t('action.retake'), this.onRetakeClick, { secondary: true, disabled: making }));
      buttons.push(button(this.t('idphoto.action.make'), this.onMakeClick, { disabled: making }));
    } else if (phase === 'guiding' && !this.flow.fileFallback) {
      buttons.push(button(this.t('action.capture'), this.onCaptureClick, { disabled: this.flow.busy || (!this.deviceBroken && this.flow.faceCount !== 1) }));
      buttons.push(button(this.t('action.stop'), this.onStopClick, { secondary: true }));
    } else if (phase === 'starting-camera' || (phase === 'loading' && !this.flow.busy)) {
      buttons.push(button(this.t('action.stop'), this.onStopClick, { secondary: true }));
    } else if (this.source !== 'file' && !this.flow.fileFallback && (phase === 'idle' || (phase === 'error' && !this.flow.error?.retryable))) {
      buttons.push(button(this.t('action.start'), this.onStartClick));
    }
    return html`<div part="actions" class="actions" ?hidden=${buttons.length === 0}>${buttons}</div>`;
  }

  private renderResult(spec: IdPhotoSpec | null): TemplateResult | typeof nothing {
    const result = this.result;
    if (!result) return nothing;
    const lang = this.localize.lang;
    const title = `fk-result-${this.uid}`;
    const specLabel = spec ? specName(spec, lang) : result.spec;
    const colorLabel = this.t(`idphoto.color.${result.color}` as MessageKey);
    const kb = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(result.bytes / 1024);
    const file = `id-photo-${result.spec}-${result.color}-${result.width}x${result.height}.jpg`;
    return html`
      <section part="result" class="result" tabindex="-1" aria-labelledby=${title}>
        <p class="title" id=${title}>${this.t('idphoto.result.title')}</p>
        <div class="result-body">
          <figure class="photo">
            <img
              part="photo"
              src=${result.processing === 'vendor' && result.url ? result.url : this.photoUrl}
              width=${result.width}
              height=${result.height}
              alt=${this.t('idphoto.result.alt', { spec: specLabel, color: colorLabel })}
            />
          </figure>
          <dl>
            <dt>${this.t('idphoto.result.size')}</dt>
            <dd>${this.t('idphoto.size.px', { width: result.width, height: result.height })}</dd>
            <dt>${this.t('idphoto.result.dpi')}</dt>
            <dd>${this.t('idphoto.result.dpi-value', { dpi: result.dpi })}</dd>
            <dt>${this.t('idphoto.result.file')}</dt>
            <dd>${this.t('idphoto.result.file-value', { kb })}</dd>
            <dt>${this.t('idphoto.result.made')}</dt>
            <dd>${this.t(result.processing === 'device' ? 'idphoto.result.device' : 'idphoto.result.vendor')}</dd>
          </dl>
        </div>
        ${result.processing === 'device' ? this.renderWarnings(result) : nothing}
        ${this.renderSheet(result)}
        <div part="actions downloads" class="actions">
          <a part="button download" class="button" href=${this.photoUrl} download=${file}
            >${this.t('idphoto.action.download')}</a
          >
          ${result.sheet && this.sheetUrl
            ? html`<a part="button download" class="button secondary" href=${this.sheetUrl} download=${`id-photo-${result.spec}-${result.paper}-sheet.jpg`}
                >${this.t('idphoto.action.download-sheet')}</a
              >`
            : nothing}
        </div>
      </section>
    `;
  }

  private renderWarnings(result: IdPhotoMakerResultDetail): TemplateResult {
    return html`
      <div part="warnings" class="warnings">
        ${result.warnings.length
          ? html`<p class="label">${this.t('idphoto.warnings.title')}</p>
              <ul>
                ${result.warnings.map((warning) => html`<li data-code=${warning.code}>${this.t(`idphoto.warning.${warning.code}` as MessageKey)}</li>`)}
              </ul>`
          : html`<p class="good">${this.t('idphoto.warnings.none')}</p>`}
        ${result.skippedChecks.includes('eyes-closed') ? html`<p class="note">${this.t('idphoto.skipped.eyes-closed')}</p>` : nothing}
      </div>
    `;
  }

  private renderSheet(result: IdPhotoMakerResultDetail): TemplateResult {
    const info = this.sheetInfos.get(result);
    if (!result.sheet || !this.sheetUrl || !info) return html`<p class="note">${this.t('idphoto.sheet.none')}</p>`;
    return html`
      <figure class="sheet">
        <img part="sheet" src=${this.sheetUrl} alt=${this.t('idphoto.sheet.alt', { copies: info.copies })} />
        <figcaption class="note">
          ${this.t(`idphoto.paper.${result.paper ?? this.paper}` as MessageKey)}:
          ${this.t('idphoto.sheet.copies', { copies: info.copies, columns: info.columns, rows: info.rows, dpi: info.dpi })}
        </figcaption>
      </figure>
    `;
  }

  override render(): TemplateResult {
    const spec = this.currentSpec;
    const tone = this.flow.phase === 'guiding' && !this.flow.fileFallback ? this.cameraTone : this.flow.phase === 'error' ? 'error' : 'idle';
    return html`
      <div class="root">
        <slot></slot>
        <div part="options" class="options">${this.renderSpecPicker(spec)} ${this.renderColors(spec)} ${this.renderPaper()}</div>
        <div class="stage">${this.renderStage(spec)}</div>
        ${hintRegion(this.statusText, tone)} ${this.renderError()} ${this.renderActions()} ${this.renderResult(spec)}
      </div>
    `;
  }
}

/** What `idPhoto.make` answers in `data` (packages/server README). */
interface VendorAnswer {
  taskNo?: string;
  images?: { color: string | null; url?: string; dataUrl?: string; width: number; height: number }[];
  spec?: string | null;
  size?: { width: number; height: number };
  dpi?: number;
  fileSizeKb?: number;
}

const validRatio = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && value > 0 && value < 1 ? value : undefined;

/** A short stable text of the settings (idempotency keys, change detection). */
function settingsKey(settings: ResolvedSettings): string {
  const text = JSON.stringify([settings.specId, settings.spec.widthPx, settings.spec.heightPx, settings.spec.dpi, settings.color, settings.faceRatio, settings.faceCenterRange, settings.topEmpty, settings.fileSizeKb, settings.beautyDegree]);
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The bitmap at most `maxSide` a side (takes ownership of `bitmap`). */
async function scaleDown(bitmap: ImageBitmap, maxSide: number): Promise<ImageBitmap> {
  const scale = maxSide / Math.max(bitmap.width, bitmap.height);
  if (scale >= 1) return bitmap;
  try {
    return await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.round(bitmap.width * scale)),
      resizeHeight: Math.max(1, Math.round(bitmap.height * scale)),
      resizeQuality: 'high',
    });
  } finally {
    bitmap.close();
  }
}

async function encodeJpeg(bitmap: ImageBitmap, quality: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d');
  if (!context) throw new FacekitError('UNSUPPORTED');
  context.drawImage(bitmap, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  if (!blob) throw new FacekitError('INTERNAL', 'the photo could not be encoded');
  return blob;
}

function dataUrlToBlob(dataUrl: string): Blob {
  const comma = dataUrl.indexOf(',');
  const type = /^data:([^;,]+)/.exec(dataUrl)?.[1] ?? 'image/jpeg';
  const binary = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}
