import { css } from 'lit';

/** Styles of `<skin-report>` on top of `tokens`, `baseStyles`, `cameraViewStyles` and `chartStyles`. */
export const skinReportStyles = css`
  .root {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }
  .stage {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }
  .stage:empty {
    display: none;
  }
  .hint:empty {
    display: none;
  }

  .progress {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .progress progress {
    width: 100%;
    height: 0.5em;
    accent-color: var(--_fk-accent);
  }

  /* ── report ─────────────────────────────────────────────────────────── */
  .report {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_fk-gap) * 1.5);
    padding: var(--_fk-gap);
    border: 1px solid var(--_fk-border);
    border-radius: var(--_fk-radius);
    background: var(--_fk-bg);
  }
  .report:focus {
    outline: none;
  }
  .report:focus-visible {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .report h2,
  .report h3 {
    margin: 0 0 0.4em;
    line-height: 1.25;
  }
  .report h2 {
    font-size: 1.3em;
  }
  .report h3 {
    font-size: 1.05em;
  }
  .report-head .note {
    margin: 0;
  }
  .section {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_fk-gap) * 0.75);
  }
  .label {
    margin: 0;
  }

  .summary {
    display: grid;
    grid-template-columns: minmax(96px, 128px) 1fr;
    gap: var(--_fk-gap);
    align-items: center;
  }
  .summary .plain {
    grid-column: 1 / -1;
  }
  .summary .plain p {
    margin: 0.2em 0;
  }
  .headline {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_fk-gap) calc(var(--_fk-gap) * 2);
    margin: 0;
  }
  .headline dt {
    color: var(--_fk-muted);
    font-size: 0.9em;
  }
  .headline dd {
    margin: 0;
    font-size: 1.6em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .band {
    font-size: 0.55em;
    font-weight: 600;
    vertical-align: middle;
    padding: 0.15em 0.5em;
    border-radius: 999px;
    background: var(--_fk-surface);
  }
  .band-good {
    color: var(--_fk-good);
  }
  .band-fair {
    color: var(--_fk-warn);
  }
  .band-attention {
    color: var(--_fk-error);
  }
  .trend {
    color: var(--_fk-muted);
  }

  .turned {
    border-inline-start: 3px solid var(--_fk-warn);
    padding-inline-start: 0.5rem;
  }

  .wrinkle-map {
    position: relative;
    width: 100%;
    overflow: hidden;
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
  }
  .wrinkle-map {
    max-width: 28rem;
    margin-inline: auto;
  }
  .wrinkle-map svg {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
  }
  /* Placed and sized by the element, so that the map's part of the photo fills the figure. */
  .wrinkle-map img {
    position: absolute;
    max-width: none;
  }
  .zone ellipse {
    fill: rgb(255 255 255 / 0.08);
    stroke: var(--_fk-muted);
    stroke-width: var(--fk-stroke, 3px);
  }
  .zone text {
    fill: #fff;
    paint-order: stroke;
    stroke: rgb(0 0 0 / 0.75);
    stroke-width: 3px;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .zone.band-good ellipse {
    stroke: var(--_fk-good);
  }
  .zone.band-fair ellipse {
    stroke: var(--_fk-warn);
  }
  .zone.band-attention ellipse {
    stroke: var(--_fk-error);
  }
  .zone.band-none ellipse {
    stroke-dasharray: 6 5;
  }

  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  .zones th,
  .zones td,
  .details th,
  .details td,
  .history-table th,
  .history-table td {
    padding: 0.3em 0.5em 0.3em 0;
    border-bottom: 1px solid var(--_fk-border);
    text-align: start;
    vertical-align: top;
  }
  .zones thead th,
  .details thead th,
  .history-table thead th {
    color: var(--_fk-muted);
    font-size: 0.85em;
  }
  .zones tbody th,
  .history-table tbody th {
    font-weight: 400;
  }
  .swatch {
    display: inline-block;
    width: 0.7em;
    height: 0.7em;
    margin-inline-end: 0.4em;
    border-radius: 50%;
    border: 2px solid var(--_fk-muted);
  }
  .swatch.band-good {
    border-color: var(--_fk-good);
  }
  .swatch.band-fair {
    border-color: var(--_fk-warn);
  }
  .swatch.band-attention {
    border-color: var(--_fk-error);
  }

  .count-grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr));
    gap: calc(var(--_fk-gap) * 1.5);
  }
  .dark-circles .label {
    font-weight: 700;
  }
  .dark-circles .grade {
    margin: 0.2em 0;
  }
  .grade-scale {
    display: flex;
    gap: 4px;
  }
  .grade-scale .step {
    flex: 1;
    height: 0.5em;
    border-radius: 999px;
    background: var(--_fk-border);
  }
  .grade-scale .step.on {
    background: var(--_fk-warn);
  }
  .grade-scale .step.on:first-child {
    background: var(--_fk-good);
  }

  .viewer-stage {
    position: relative;
    width: 100%;
    overflow: hidden;
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
  }
  .viewer-stage img {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: fill;
  }
  .layers {
    position: absolute;
    inset: 0;
  }
  .layer-overlay {
    mix-blend-mode: normal;
  }
  .divider {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 3px;
    margin-inline-start: -1px;
    background: var(--_fk-accent-fg);
    box-shadow: 0 0 0 1px var(--_fk-accent);
    pointer-events: none;
  }
  .compare input[type='range'] {
    width: 100%;
    min-height: 44px;
    accent-color: var(--_fk-accent);
  }
  .layer-group .label {
    font-weight: 600;
    font-size: 0.9em;
    margin-bottom: 4px;
  }
  .toggles {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  button.toggle {
    min-height: 36px;
    padding: 0.3em 0.8em;
    font-weight: 500;
    background: transparent;
    color: var(--_fk-accent);
  }
  button.toggle[aria-pressed='true'] {
    background: var(--_fk-accent);
    color: var(--_fk-accent-fg);
  }

  .details summary {
    cursor: pointer;
    font-weight: 700;
    min-height: 44px;
    display: flex;
    align-items: center;
  }
  .details summary:focus-visible {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .details tr.group th {
    padding-top: 0.8em;
    font-weight: 700;
    color: var(--_fk-fg);
  }
  .details tbody th[scope='row'] {
    font-weight: 400;
  }
  .details code {
    font-size: 0.85em;
    color: var(--_fk-muted);
    overflow-wrap: anywhere;
  }
  .details td {
    overflow-wrap: anywhere;
  }
  a {
    color: var(--_fk-accent);
  }
  a:focus-visible {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .download {
    margin: 0;
  }
  .history .actions {
    margin-top: 4px;
  }
`;
