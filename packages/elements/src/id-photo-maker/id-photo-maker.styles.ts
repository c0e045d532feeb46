import { css } from 'lit';

/** Styles of `<id-photo-maker>` on top of `tokens`, `baseStyles` and `cameraViewStyles`. */
export const idPhotoMakerStyles = css`
  .root {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }

  /* ── options: spec picker, colours, paper ─────────────────────────────── */
  .options {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }
  .combobox {
    position: relative;
  }
  .combobox input {
    width: 100%;
  }
  .listbox {
    position: absolute;
    z-index: 2;
    inset-inline: 0;
    top: calc(100% + 4px);
    max-height: min(22em, 60vh);
    margin: 0;
    padding: 4px;
    overflow-y: auto;
    overscroll-behavior: contain;
    border: 1px solid var(--_fk-field-border);
    border-radius: calc(var(--_fk-radius) * 0.5);
    background: var(--_fk-bg);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
  }
  .listbox[hidden] {
    display: none;
  }
  .group-label {
    padding: 0.4em 0.6em 0.2em;
    color: var(--_fk-muted);
    font-size: 0.8em;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .option {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0 0.75em;
    min-height: 44px;
    align-items: center;
    padding: 0.35em 0.6em;
    border-radius: calc(var(--_fk-radius) * 0.4);
    cursor: pointer;
  }
  .option .meta {
    color: var(--_fk-muted);
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
  }
  .option:hover {
    background: var(--_fk-surface);
  }
  .option.active {
    outline: 2px solid var(--_fk-accent);
    outline-offset: -2px;
    background: var(--_fk-surface);
  }
  .option[aria-selected='true'] .name {
    font-weight: 700;
  }
  .option[aria-selected='true'] .name::before {
    content: '✓ ';
    color: var(--_fk-accent);
  }
  .empty {
    padding: 0.6em;
    color: var(--_fk-muted);
  }
  .spec-facts {
    font-variant-numeric: tabular-nums;
  }

  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-bottom: 4px;
    font-weight: 600;
    font-size: 0.9em;
  }
  .colors {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .color {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    min-height: 44px;
    padding: 0.3em 0.7em 0.3em 0.4em;
    border: 1px solid var(--_fk-field-border);
    border-radius: 999px;
    cursor: pointer;
  }
  .color input {
    position: absolute;
    opacity: 0;
    width: 1px;
    height: 1px;
    margin: 0;
  }
  .color:has(input:checked) {
    border-color: var(--_fk-accent);
    box-shadow: inset 0 0 0 2px var(--_fk-accent);
    font-weight: 600;
  }
  .color:has(input:focus-visible) {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .swatch {
    width: 28px;
    height: 28px;
    flex: none;
  }
  .swatch rect {
    stroke: var(--_fk-field-border);
    stroke-width: 1;
  }

  /* ── stage ───────────────────────────────────────────────────────────── */
  .stage {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }
  /* A column at its content's height, not the camera's 4:3. */
  .placeholder {
    display: flex;
    flex-direction: column;
    align-items: center;
    aspect-ratio: auto;
  }
  .file-stage {
    color: var(--_fk-muted);
  }
  .placeholder svg {
    max-width: 110px;
  }
  .guide .spec-outline {
    fill: none;
    stroke: var(--_fk-guide-idle);
    stroke-width: 3;
    vector-effect: non-scaling-stroke;
  }
  .guide .spec-outline.fits {
    stroke: var(--_fk-guide-good);
  }
  .guide .spec-outline.leaves {
    stroke: var(--_fk-guide-warn);
    stroke-dasharray: 10 6;
  }
  .guide .spec-band {
    stroke: var(--_fk-guide-idle);
    stroke-width: 2;
    stroke-dasharray: 4 4;
    vector-effect: non-scaling-stroke;
  }
  .preview img {
    max-height: 50vh;
  }

  /* ── result ──────────────────────────────────────────────────────────── */
  .result {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
    padding: var(--_fk-gap);
    border: 1px solid var(--_fk-border);
    border-radius: var(--_fk-radius);
    background: var(--_fk-bg);
  }
  .result:focus-visible {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .title {
    margin: 0;
    font-size: 1.1em;
    font-weight: 700;
  }
  .result-body {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_fk-gap);
    align-items: flex-start;
  }
  figure {
    margin: 0;
  }
  .photo img {
    display: block;
    width: 160px;
    height: auto;
    border: 1px solid var(--_fk-border);
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 0.75em;
    margin: 0;
    flex: 1 1 12em;
  }
  dt {
    color: var(--_fk-muted);
  }
  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .warnings ul {
    margin: 4px 0 0;
    padding-inline-start: 1.2em;
  }
  .warnings li {
    color: var(--_fk-warn);
  }
  .warnings .label {
    margin: 0;
    font-weight: 600;
  }
  .good {
    color: var(--_fk-good);
  }
  .sheet img {
    display: block;
    width: 100%;
    max-width: 360px;
    height: auto;
    border: 1px solid var(--_fk-border);
  }
  .sheet figcaption {
    margin-top: 4px;
  }
  a.button {
    text-decoration: none;
  }
  a.button:focus-visible {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
`;
