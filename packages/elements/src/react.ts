/**
 * JSX typings of the facekit elements for React 19. Types only: import it once, for its types,
 * anywhere in a React app (`import type {} from '@facekit/elements/react';`), and register the tags
 * with the define files as usual.
 *
 * How React 19 passes props to a custom element (react-dom's `setPropOnCustomElement`):
 * - a prop whose name is a property of the element (`key in element`) is set as that property,
 *   so objects and functions arrive as they are: `ticketProvider={fn}`, `messages={{…}}`,
 *   `autoSubmit`, `groupId="members"`. Register the tags before the first render, or React
 *   sees no such property yet and writes an attribute instead;
 * - a prop named `on` + event type whose value is a function becomes
 *   `addEventListener(type, fn)`, the type taken verbatim (case kept, nothing added):
 *   `onfacekit-result={…}` listens to `facekit-result`. `onFacekitResult` would listen to an event
 *   called "FacekitResult", which never fires. A `Capture` suffix listens in the capture phase;
 * - any other prop becomes an attribute (`true` → present and empty).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { LitElement } from 'lit';
import type { FacekitErrorDetail, FacekitResultDetailMap, FacekitStatusDetail } from './events.js';
import type { FaceEnroll } from './face-enroll/face-enroll.js';
import type { SkinReport } from './skin-report/skin-report.js';
import type { LivenessCheck } from './liveness-check/liveness-check.js';
import type { IdPhotoMaker } from './id-photo-maker/id-photo-maker.js';

type IsReadonly<E, K extends keyof E> =
  (<T>() => T extends { [Q in K]: E[K] } ? 1 : 2) extends <T>() => T extends { readonly [Q in K]: E[K] } ? 1 : 2 ? true : false;

/**
 * The public, writable, non-method properties an element class adds to LitElement: its attributes
 * in property form (`groupId`, `autoSubmit`, `assetsBase`…) and its property-only inputs
 * (`ticketProvider`, `messages`, `referenceImage`…). Read-only getters and methods are left out.
 */
export type FacekitElementProperties<E extends LitElement> = {
  [K in keyof E as K extends keyof LitElement
    ? never
    : E[K] extends (...args: never[]) => unknown
      ? never
      : IsReadonly<E, K> extends true
        ? never
        : K]?: E[K];
};

/** The three facekit events in React 19's custom-element form, with typed details. */
export interface FacekitEventProps<Result> {
  'onfacekit-status'?: (event: CustomEvent<FacekitStatusDetail>) => void;
  'onfacekit-result'?: (event: CustomEvent<Result>) => void;
  'onfacekit-error'?: (event: CustomEvent<FacekitErrorDetail>) => void;
}

/** Attributes that only exist as attributes (no property of the same name). */
export interface FacekitAttributeProps {
  /** Forces the light or the dark theme; unset, the element follows `prefers-color-scheme`. */
  'color-scheme'?: 'light' | 'dark';
}

/** Everything a facekit tag takes in JSX: HTML attributes, `ref`, the element's properties and events. */
export type FacekitJsxProps<E extends LitElement, Result> = DetailedHTMLProps<HTMLAttributes<E>, E> &
  FacekitElementProperties<E> &
  FacekitEventProps<Result> &
  FacekitAttributeProps;

export type FaceEnrollJsxProps = FacekitJsxProps<FaceEnroll, FacekitResultDetailMap['face-enroll']>;
export type SkinReportJsxProps = FacekitJsxProps<SkinReport, FacekitResultDetailMap['skin-report']>;
export type LivenessCheckJsxProps = FacekitJsxProps<LivenessCheck, FacekitResultDetailMap['liveness-check']>;
export type IdPhotoMakerJsxProps = FacekitJsxProps<IdPhotoMaker, FacekitResultDetailMap['id-photo-maker']>;

/** One entry per tag; a new element adds its line here. */
export interface FacekitIntrinsicElements {
  'face-enroll': FaceEnrollJsxProps;
  'skin-report': SkinReportJsxProps;
  'liveness-check': LivenessCheckJsxProps;
  'id-photo-maker': IdPhotoMakerJsxProps;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements extends FacekitIntrinsicElements {}
  }
}
