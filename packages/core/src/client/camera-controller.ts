import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FacekitError } from '../shared/errors.js';
import type { KitCode } from '../shared/types.js';

export type CameraState = 'idle' | 'starting' | 'live' | 'needs-tap' | 'unavailable';

export interface CameraOptions {
  /** Which camera to prefer; a hint only, as many Android webviews ignore it. */
  facingMode?: 'user' | 'environment';
  /** Preferred frame size; raised to 640×480 at least, as iOS may refuse smaller sizes. */
  width?: number;
  height?: number;
}

const MIN_WIDTH = 640;
const MIN_HEIGHT = 480;

/** Maps a getUserMedia rejection to a kit code, by the error's `name` (DOMException or not). */
export function cameraErrorCode(error: unknown): KitCode {
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError': // pre-standard Chromium name, still seen in old webviews
    case 'SecurityError':
      return 'CAMERA_DENIED';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'CAMERA_NOT_FOUND';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'CAMERA_BUSY';
    case 'TypeError':
      return 'UNSUPPORTED';
    default:
      // Unknown failures are usually transient hardware trouble; let the user retry.
      return 'CAMERA_BUSY';
  }
}

/**
 * Opens the camera into a `<video>` element that the host renders (`${this.camera.video}`).
 *
 * Written for mobile webviews: the video is inline and muted, `autoplay` is off and `play()` is
 * called explicitly (iOS WeChat shows a black preview otherwise), and a rejected `play()` becomes
 * the `needs-tap` state, resolved by `resume()` from a user gesture.
 */
export class CameraController implements ReactiveController {
  readonly video: HTMLVideoElement;
  state: CameraState = 'idle';
  error: FacekitError | null = null;

  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly options: Required<CameraOptions>;
  private stream: MediaStream | null = null;
  private pendingStart: Promise<void> | null = null;
  /** A stream asked for by request(), for the next start() to take. */
  private requested: Promise<MediaStream> | null = null;
  /** Bumped by stop(), so a start() that finishes late releases what it opened. */
  private generation = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, options: CameraOptions = {}) {
    this.host = host;
    this.options = {
      facingMode: options.facingMode ?? 'user',
      width: Math.max(options.width ?? MIN_WIDTH, MIN_WIDTH),
      height: Math.max(options.height ?? MIN_HEIGHT, MIN_HEIGHT),
    };
    this.video = CameraController.createVideo();
    host.addController(this);
  }

  private static createVideo(): HTMLVideoElement {
    const video = document.createElement('video');
    video.playsInline = true;
    video.muted = true;
    video.autoplay = false;
    // Attributes as well as properties: X5 and older WebKit read only the attributes.
    video.setAttribute('playsinline', '');
    video.setAttribute('muted', '');
    video.setAttribute('x5-playsinline', '');
    video.setAttribute('webkit-playsinline', '');
    video.setAttribute('part', 'video');
    return video;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }

  /** The tracks of the open stream, for diagnostics and tests. */
  get tracks(): MediaStreamTrack[] {
    return this.stream?.getTracks() ?? [];
  }

  /** Size of the frames the camera delivers (0×0 before the first frame). */
  get size(): { width: number; height: number } {
    if (this.video.videoWidth > 0) {
      return { width: this.video.videoWidth, height: this.video.videoHeight };
    }
    const settings = this.stream?.getVideoTracks()[0]?.getSettings();
    return { width: settings?.width ?? 0, height: settings?.height ?? 0 };
  }

  /**
   * Asks for the camera now, without playing it: the permission prompt and the camera's own
   * start-up then run while the page does other work (the vision worker loading), and the next
   * start() takes this stream, or throws its error. Asked within the user's gesture, it also keeps
   * the gesture for webviews that want one. stop() releases it. Does nothing when the camera is
   * open, opening, or asked for already, or when getUserMedia is missing (start() reports that).
   */
  request(): void {
    if (this.stream || this.pendingStart || this.requested) return;
    const mediaDevices = globalThis.navigator?.mediaDevices;
    if (typeof mediaDevices?.getUserMedia !== 'function') return;
    this.requested = this.getUserMedia(mediaDevices);
    // Its failure is start()'s to report; until then it is only held.
    this.requested.catch(() => undefined);
  }

  /**
   * Opens the camera and starts playback. Resolves in `live`, or in `needs-tap` when the browser
   * wants a user gesture before playing. Throws a FacekitError (state `unavailable`) when the
   * camera cannot be opened.
   */
  start(): Promise<void> {
    if (this.state === 'live' && this.stream) return Promise.resolve();
    // A "tap to start" handler may call start(): play the open stream within the gesture, as a
    // new getUserMedia round trip could lose the user activation (iOS).
    if (this.state === 'needs-tap' && this.stream) return this.resume();
    // Concurrent callers share one attempt instead of opening the camera twice.
    this.pendingStart ??= this.open().finally(() => {
      this.pendingStart = null;
    });
    return this.pendingStart;
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.releaseStream();
    this.error = null;
    this.setState('starting');

    const mediaDevices = globalThis.navigator?.mediaDevices;
    if (typeof mediaDevices?.getUserMedia !== 'function') {
      // Also the case on plain http pages, where browsers hide mediaDevices.
      throw this.fail(new FacekitError('UNSUPPORTED'));
    }

    let stream: MediaStream;
    const requested = this.requested;
    this.requested = null;
    try {
      stream = await (requested ?? this.getUserMedia(mediaDevices));
    } catch (cause) {
      if (generation !== this.generation) throw abortedError(cause);
      throw this.fail(new FacekitError(cameraErrorCode(cause), undefined, { cause }));
    }
    if (generation !== this.generation) {
      // stop() ran while the permission prompt was open.
      stopTracks(stream);
      throw abortedError();
    }

    this.stream = stream;
    for (const track of stream.getVideoTracks()) {
      track.addEventListener('ended', this.onTrackEnded);
    }
    this.video.srcObject = stream;
    await this.play(generation);
  }

  private async getUserMedia(mediaDevices: MediaDevices): Promise<MediaStream> {
    const { facingMode, width, height } = this.options;
    try {
      return await mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: facingMode }, width: { ideal: width }, height: { ideal: height } },
      });
    } catch (error) {
      // Ideal-only constraints should never over-constrain, but some webviews do; ask for any camera.
      if ((error as { name?: unknown } | null)?.name !== 'OverconstrainedError') throw error;
      return mediaDevices.getUserMedia({ audio: false, video: true });
    }
  }

  /** Plays the stream after a user gesture, when the state is `needs-tap`. */
  async resume(): Promise<void> {
    if (!this.stream || this.state === 'live') return;
    await this.play(this.generation);
  }

  private async play(generation: number): Promise<void> {
    try {
      await this.video.play();
    } catch {
      // Autoplay policy (or an X5 quirk): wait for a tap, keep the stream open.
      if (generation === this.generation) this.setState('needs-tap');
      return;
    }
    if (generation === this.generation) this.setState('live');
  }

  /** Releases the camera: every track is stopped, so the camera light goes off. */
  stop(): void {
    this.generation++;
    // A stream asked for and not taken: released as soon as it arrives.
    this.requested?.then(stopTracks, () => undefined);
    this.requested = null;
    const hadStream = this.releaseStream();
    if (hadStream || this.state !== 'idle') {
      this.error = null;
      this.setState('idle');
    }
  }

  private releaseStream(): boolean {
    const stream = this.stream;
    this.stream = null;
    this.video.pause();
    this.video.srcObject = null;
    if (!stream) return false;
    for (const track of stream.getVideoTracks()) {
      track.removeEventListener('ended', this.onTrackEnded);
    }
    stopTracks(stream);
    return true;
  }

  /** The camera went away (unplugged, permission revoked, taken by another app). */
  private readonly onTrackEnded = (): void => {
    this.generation++;
    this.releaseStream();
    this.fail(new FacekitError('CAMERA_BUSY'));
  };

  /** A snapshot of the current frame, or null when no frame is showing. */
  async grabFrame(): Promise<ImageBitmap | null> {
    if (!this.hasFrame()) return null;
    try {
      return await createImageBitmap(this.video);
    } catch {
      return null;
    }
  }

  /**
   * Calls `callback` for new video frames until `signal` aborts. Paced by
   * `requestVideoFrameCallback` where available (else `requestAnimationFrame`), with at most one
   * callback in flight: frames that arrive while it runs are skipped, not queued. Timestamps
   * increase strictly, as the detector's VIDEO mode requires. The callback handles its own
   * errors; a rejection is logged once and the loop goes on.
   */
  frames(callback: (timestampMs: number) => Promise<void>, signal: AbortSignal): void {
    if (signal.aborted) return;
    const video = this.video;
    const useVideoFrames = typeof video.requestVideoFrameCallback === 'function';
    let handle = 0;
    let busy = false;
    let lastTimestamp = -Infinity;
    let lastMediaTime = -1;
    let warned = false;

    const schedule = (): void => {
      if (signal.aborted) return;
      handle = useVideoFrames ? video.requestVideoFrameCallback(onFrame) : requestAnimationFrame(onFrame);
    };

    const onFrame = (now: number, metadata?: VideoFrameCallbackMetadata): void => {
      if (signal.aborted) return;
      schedule();
      if (busy || !this.hasFrame()) return;
      // The rAF fallback ticks at display rate; skip ticks that show no new video frame.
      const mediaTime = metadata?.mediaTime ?? video.currentTime;
      if (!useVideoFrames && mediaTime === lastMediaTime) return;
      lastMediaTime = mediaTime;
      const timestamp = now > lastTimestamp ? now : lastTimestamp + 1;
      lastTimestamp = timestamp;
      busy = true;
      callback(timestamp)
        .catch((error: unknown) => {
          if (!warned) console.warn('facekit: frame callback failed', error);
          warned = true;
        })
        .finally(() => {
          busy = false;
        });
    };

    signal.addEventListener(
      'abort',
      () => {
        if (useVideoFrames) video.cancelVideoFrameCallback(handle);
        else cancelAnimationFrame(handle);
      },
      { once: true },
    );
    schedule();
  }

  private hasFrame(): boolean {
    return (
      this.state === 'live' &&
      this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA &&
      this.video.videoWidth > 0
    );
  }

  private fail(error: FacekitError): FacekitError {
    this.error = error;
    this.setState('unavailable');
    return error;
  }

  private setState(state: CameraState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.requestUpdate();
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function abortedError(cause?: unknown): FacekitError {
  return new FacekitError('ABORTED', 'The camera was stopped while starting', { cause });
}
