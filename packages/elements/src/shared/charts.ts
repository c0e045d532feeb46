import { html, nothing, svg, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import { cssProps } from './css-props.js';

/**
 * Small hand-built SVG charts for the elements' results: a radar, a score ring and a bar list.
 * Template functions like the camera view pieces, so their parts land in the host's shadow root;
 * add `chartStyles` to the host's `styles`. Every chart carries a text alternative: the radar and
 * the ring are `role="img"` with `<title>` and `<desc>`, and the radar also renders its values as
 * a visually hidden table; the bar list is a table itself, with the bars as decoration.
 */

export interface Point2 {
  x: number;
  y: number;
}

export interface RadarGeometry {
  cx: number;
  cy: number;
  /** Radius of the value 1. */
  r: number;
}

/** Angle of axis `index` of `count`, in radians: the first axis points up, then clockwise. */
export function radarAngle(index: number, count: number): number {
  return -Math.PI / 2 + (index * 2 * Math.PI) / count;
}

/** Points of values (0…1, clamped; null counts as 0) on a radar of `geometry`. */
export function radarPoints(values: ReadonlyArray<number | null>, geometry: RadarGeometry): Point2[] {
  return values.map((value, index) => {
    const v = Math.min(1, Math.max(0, value ?? 0));
    const angle = radarAngle(index, values.length);
    return { x: geometry.cx + geometry.r * v * Math.cos(angle), y: geometry.cy + geometry.r * v * Math.sin(angle) };
  });
}

const pointsAttr = (points: Point2[]): string => points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

export interface RadarAxis {
  label: string;
  /** 0…1, or null when unknown. */
  value: number | null;
  /** The same measure in an earlier result (drawn dashed), or null. */
  previous?: number | null;
  /** The value as shown in the table, e.g. "84". */
  display: string;
  /** Change since the earlier result as shown in the table, e.g. "+3". */
  change?: string;
}

export interface RadarChartOptions {
  /** Unique within the shadow root; prefixes the ids of the title, description and table. */
  id: string;
  title: string;
  /** What the chart shows, read by screen readers (e.g. the weakest and strongest axes). */
  description: string;
  axes: RadarAxis[];
  /** Column headers of the text table. */
  columns: { label: string; value: string; change?: string };
  /** Legend text of the earlier result's outline, when any axis has `previous`. */
  previousLabel?: string;
  currentLabel?: string;
}

/** A radar (spider) chart of values 0…1, with an earlier result as a dashed outline. */
export function radarChart(o: RadarChartOptions): TemplateResult {
  const size = 340;
  const geometry: RadarGeometry = { cx: size / 2, cy: size / 2, r: 112 };
  const count = o.axes.length;
  const rings = [0.25, 0.5, 0.75, 1];
  const ring = (level: number): string => pointsAttr(radarPoints(Array(count).fill(level), geometry));
  const current = radarPoints(o.axes.map((axis) => axis.value), geometry);
  const hasPrevious = o.axes.some((axis) => axis.previous !== undefined && axis.previous !== null);
  const previous = hasPrevious ? radarPoints(o.axes.map((axis) => axis.previous ?? null), geometry) : null;
  const spokes = o.axes.map((_, index) => radarPoints(o.axes.map((__, j) => (j === index ? 1 : 0)), geometry)[index]!);
  const labels = o.axes.map((axis, index) => {
    const angle = radarAngle(index, count);
    const x = geometry.cx + (geometry.r + 16) * Math.cos(angle);
    const y = geometry.cy + (geometry.r + 16) * Math.sin(angle);
    const cos = Math.cos(angle);
    const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
    const dy = Math.sin(angle) > 0.5 ? '0.9em' : Math.sin(angle) < -0.5 ? '-0.2em' : '0.35em';
    return svg`<text class="radar-label" x=${x.toFixed(1)} y=${y.toFixed(1)} dy=${dy} text-anchor=${anchor}>
      <tspan>${axis.label}</tspan><tspan class="radar-value" dx="0.3em">${axis.display}</tspan>
    </text>`;
  });
  const titleId = `${o.id}-title`;
  const descId = `${o.id}-desc`;
  return html`
    <figure class="chart radar" part="chart radar">
      <svg
        viewBox="-70 -10 ${size + 140} ${size + 20}"
        role="img"
        aria-labelledby="${titleId} ${descId}"
        focusable="false"
      >
        <title id=${titleId}>${o.title}</title>
        <desc id=${descId}>${o.description}</desc>
        <g class="radar-grid" aria-hidden="true">
          ${rings.map((level) => svg`<polygon points=${ring(level)}></polygon>`)}
          ${spokes.map((p) => svg`<line x1=${geometry.cx} y1=${geometry.cy} x2=${p.x.toFixed(1)} y2=${p.y.toFixed(1)}></line>`)}
        </g>
        ${previous ? svg`<polygon class="radar-previous" points=${pointsAttr(previous)} aria-hidden="true"></polygon>` : nothing}
        <polygon class="radar-current" points=${pointsAttr(current)} aria-hidden="true"></polygon>
        ${current.map((p) => svg`<circle class="radar-dot" cx=${p.x.toFixed(1)} cy=${p.y.toFixed(1)} r="3.5" aria-hidden="true"></circle>`)}
        <g aria-hidden="true">${labels}</g>
      </svg>
      ${hasPrevious && o.previousLabel
        ? html`<figcaption class="legend" aria-hidden="true">
            <span class="key current"></span>${o.currentLabel ?? ''} <span class="key previous"></span>${o.previousLabel}
          </figcaption>`
        : nothing}
      <table class="visually-hidden" id="${o.id}-table">
        <caption>${o.title}</caption>
        <thead>
          <tr>
            <th scope="col">${o.columns.label}</th>
            <th scope="col">${o.columns.value}</th>
            ${o.columns.change && hasPrevious ? html`<th scope="col">${o.columns.change}</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${o.axes.map(
            (axis) => html`<tr>
              <th scope="row">${axis.label}</th>
              <td>${axis.display}</td>
              ${o.columns.change && hasPrevious ? html`<td>${axis.change ?? '—'}</td>` : nothing}
            </tr>`,
          )}
        </tbody>
      </table>
    </figure>
  `;
}

export interface ScoreRingOptions {
  /** 0…1. */
  value: number;
  /** Big text in the middle, e.g. "62". */
  display: string;
  /** Small text under it, e.g. "/ 100". */
  unit?: string;
  /** The accessible name, e.g. "Overall score: 62 out of 100". */
  label: string;
  tone?: 'good' | 'fair' | 'attention' | null;
}

/** A ring that fills with the value, with the number in the middle. */
export function scoreRing(o: ScoreRingOptions): TemplateResult {
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  const value = Math.min(1, Math.max(0, o.value));
  return html`
    <svg class=${classMap({ 'score-ring': true, [`tone-${o.tone}`]: !!o.tone })} part="score-ring" viewBox="0 0 128 128" role="img" aria-label=${o.label} focusable="false">
      <circle class="ring-track" cx="64" cy="64" r=${radius}></circle>
      <circle
        class="ring-value"
        cx="64"
        cy="64"
        r=${radius}
        stroke-dasharray="${(circumference * value).toFixed(2)} ${circumference.toFixed(2)}"
        transform="rotate(-90 64 64)"
      ></circle>
      <text class="ring-number" x="64" y=${o.unit ? 64 : 70} text-anchor="middle">${o.display}</text>
      ${o.unit ? svg`<text class="ring-unit" x="64" y="86" text-anchor="middle">${o.unit}</text>` : nothing}
    </svg>
  `;
}

export interface BarListRow {
  label: string;
  value: number | null;
  /** The value as shown, e.g. "1,804". */
  display: string;
}

export interface BarListOptions {
  caption: string;
  rows: BarListRow[];
  columns: { label: string; value: string };
  /** The value of a full bar; default the largest value. */
  max?: number;
  /** Shows the caption (default) or keeps it for screen readers only. */
  captionHidden?: boolean;
}

/** A table of counts with a proportional bar beside each (the bars are decoration). */
export function barList(o: BarListOptions): TemplateResult {
  const max = o.max ?? Math.max(0, ...o.rows.map((row) => row.value ?? 0));
  return html`
    <table class="bar-list" part="bar-list">
      <caption class=${o.captionHidden ? 'visually-hidden' : ''}>${o.caption}</caption>
      <thead class="visually-hidden">
        <tr>
          <th scope="col">${o.columns.label}</th>
          <th scope="col">${o.columns.value}</th>
        </tr>
      </thead>
      <tbody>
        ${o.rows.map((row) => {
          const share = max > 0 && row.value !== null ? Math.max(row.value > 0 ? 0.02 : 0, row.value / max) : 0;
          return html`<tr>
            <th scope="row">${row.label}</th>
            <td>
              <div class="bar-cell">
                <span class="bar" aria-hidden="true"><span ${cssProps({ 'inline-size': `${(share * 100).toFixed(1)}%` })}></span></span>
                <span class="bar-value">${row.display}</span>
              </div>
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  `;
}

