import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { cssProps } from './css-props.js';
import type { Hint } from '@facekit/core';

/**
 * Shared UI pieces of the camera-based elements: the camera view with its oval guide, the hint
 * live region, and the file chooser. They are template functions, so their parts (`camera`,
 * `video`, `guide`, `hint`, `file-input`) land in the host element's own shadow root and pages
 * can style them with `::part()` directly. Add `cameraViewStyles` to the host's `styles`.
 */

/** Colour state of the oval: neutral, needs a correction, or good. */
export type GuideTone = 'idle' | 'warn' | 'good';

/** The oval in frame pixels: centre and radii. */
export interface GuideGeometry {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

/**
 * The oval the quality gate measures centring against: centred, 80 % of the shorter side high,
 * 3:4. The same formula as core's `guideEllipse()` (shared/framing.ts), which the shared index
 * does not export; a test checks that the two agree.
 */
export function guideGeometry(frame: { width: number; height: number }): GuideGeometry {
  const ry = 0.4 * Math.min(frame.width, frame.height);
  return { cx: frame.width / 2, cy: frame.height / 2, rx: 0.75 * ry, ry };
}

export interface CameraViewOptions {
  /** The camera controller's video element; rendered as is and given `part="video"`. */
  video: HTMLVideoElement;
  /** Size of the frames (the video's intrinsic size); the guide is drawn in these pixels. */
  size?: { width: number; height: number } | null;
  tone: GuideTone;
  /** Accessible name of the camera region. */
  label: string;
  /** Mirror the picture and the guide (selfie camera). Default true. */
  mirrored?: boolean;
  /** The oval in frame pixels; default `guideGeometry(size)`. */
  guide?: GuideGeometry;
  /** More SVG over the picture, in frame pixels, drawn after the oval and mirrored with it (e.g. a crop outline). */
  decorations?: SVGTemplateResult | typeof nothing;
  /** Drawn over the picture, e.g. a "tap to start" button or a spinner. */
  overlay?: TemplateResult | typeof nothing;
  /** Shows a busy state (camera starting). */
  busy?: boolean;
}

/** The oval guide for a hint: good when the frame passes, warning when it needs a correction. */
export function toneForHint(hint: Hint | null | undefined): GuideTone {
  if (!hint || hint === 'no-face') return 'idle';
  return hint === 'ok' || hint === 'hold-still' ? 'good' : 'warn';
}

/** The camera view: video, shade with an oval hole, and the oval itself. */
export function cameraView(o: CameraViewOptions): TemplateResult {
  const width = o.size?.width || 640;
  const height = o.size?.height || 480;
  const { cx, cy, rx, ry } = o.guide ?? guideGeometry({ width, height });
  o.video.part.add('video');
  o.video.setAttribute('aria-hidden', 'true');
  const mirrored = o.mirrored ?? true;
  return html`
    <div
      part="camera"
      class=${classMap({ camera: true, mirrored, busy: !!o.busy, [`tone-${o.tone}`]: true })}
      role="group"
      aria-label=${o.label}
      aria-busy=${o.busy ? 'true' : 'false'}
      ${cssProps({ 'aspect-ratio': `${width} / ${height}` })}
    >
      ${o.video}
      <svg
        part="guide"
        class="guide"
        viewBox="0 0 ${width} ${height}"
        preserveAspectRatio="xMidYMid slice"
        aria-hidden="true"
        focusable="false"
      >
        ${svg`
          <defs>
            <mask id="fk-oval-hole">
              <rect x="0" y="0" width=${width} height=${height} fill="white"></rect>
              <ellipse cx=${cx} cy=${cy} rx=${rx} ry=${ry} fill="black"></ellipse>
            </mask>
          </defs>
          <rect class="shade" x="0" y="0" width=${width} height=${height} mask="url(#fk-oval-hole)"></rect>
          <ellipse class="oval" cx=${cx} cy=${cy} rx=${rx} ry=${ry}></ellipse>
        `}
        ${o.decorations ?? nothing}
      </svg>
      ${o.overlay && o.overlay !== nothing ? html`<div class="overlay">${o.overlay}</div>` : nothing}
    </div>
  `;
}

/**
 * The hint live region. Keep it rendered for the element's whole life (empty when there is
 * nothing to say): screen readers only announce changes of a region that already exists.
 */
export function hintRegion(text: string, tone: GuideTone | 'error' = 'idle'): TemplateResult {
  return html`<p part="hint" class="hint tone-${tone}" role="status" aria-live="polite" aria-atomic="true">${text}</p>`;
}

export interface LoadProgressOptions {
  /** Transferred bytes so far and in all (from core's `onLoadProgress`). */
  loaded: number;
  total: number;
  /** Accessible name of the bar, e.g. "Downloading the face model". */
  label: string;
  /** The visible amount, e.g. "1.2 / 4.1 MB". */
  text: string;
}

/**
 * The first load's progress: a `<progress>` with the downloaded megabytes beside it. Shown while
 * the wasm and the model download; a warm start (assets cached) never shows it.
 */
export function loadProgressView(o: LoadProgressOptions): TemplateResult {
  return html`
    <div part="progress" class="load-progress">
      <progress max=${Math.max(o.total, 1)} .value=${Math.min(o.loaded, o.total)} aria-label=${o.label}></progress>
      <span class="load-progress-text">${o.text}</span>
    </div>
  `;
}

export interface FilePickerOptions {
  id: string;
  label: string;
  note?: string;
  disabled?: boolean;
  onChange: (event: Event) => void;
}

/**
 * The file chooser: a native `<input type="file">` with a visible label styled as a button.
 * The input stays in the tab order (visually hidden, focus ring drawn on the label), so the
 * keyboard and screen readers use the real control.
 */
export function filePicker(o: FilePickerOptions): TemplateResult {
  const noteId = o.note ? `${o.id}-note` : undefined;
  return html`
    <div class="file-picker">
      <label class="button secondary" for=${o.id}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9Zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10Zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z"
          />
        </svg>
        <span>${o.label}</span>
      </label>
      <input
        id=${o.id}
        part="file-input"
        class="file-input"
        type="file"
        accept="image/*"
        capture="user"
        aria-describedby=${ifDefined(noteId)}
        ?disabled=${!!o.disabled}
        @change=${o.onChange}
      />
      ${o.note ? html`<p id=${noteId!} class="note">${o.note}</p>` : nothing}
    </div>
  `;
}

/**
 * Smooths the per-frame hint: a new hint is shown only after it has held for `holdMs`, so the
 * text and the live region do not flicker at frame rate. `no-face` and `many-faces` switch
 * after the same delay; 'ok' and 'hold-still' switch at once (they are the reward).
 */
export class HintSmoother {
  private shown: Hint | null = null;
  private candidate: Hint | null = null;
  private since = 0;

  constructor(private readonly holdMs = 400) {}

  get current(): Hint | null {
    return this.shown;
  }

  /** Feeds one frame's hint; returns the hint to show. */
  push(hint: Hint, now = performance.now()): Hint | null {
    if (hint === this.shown) {
      this.candidate = null;
      return this.shown;
    }
    if (this.shown === null || hint === 'ok' || hint === 'hold-still') {
      this.shown = hint;
      this.candidate = null;
      return hint;
    }
    if (hint !== this.candidate) {
      this.candidate = hint;
      this.since = now;
    } else if (now - this.since >= this.holdMs) {
      this.shown = hint;
      this.candidate = null;
    }
    return this.shown;
  }

  reset(): void {
    this.shown = null;
    this.candidate = null;
  }
}
