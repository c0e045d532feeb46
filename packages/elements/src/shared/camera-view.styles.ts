import { css } from 'lit';

/** Styles of `cameraView()`, `hintRegion()` and `filePicker()`. Needs `tokens` first. */
export const cameraViewStyles = css`
  .camera {
    position: relative;
    width: 100%;
    overflow: hidden;
    border-radius: var(--_fk-radius);
    background: #000;
    isolation: isolate;
  }
  .camera video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .camera.mirrored video,
  .camera.mirrored .guide {
    transform: scaleX(-1);
  }
  .guide {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
  }
  .guide .shade {
    fill: var(--_fk-guide-dim);
  }
  .guide .oval {
    fill: none;
    stroke: var(--_fk-guide-idle);
    stroke-width: 4;
    vector-effect: non-scaling-stroke;
    stroke-dasharray: 10 8;
    transition: stroke var(--_fk-duration);
  }
  .tone-warn .guide .oval {
    stroke: var(--_fk-guide-warn);
  }
  .tone-good .guide .oval {
    stroke: var(--_fk-guide-good);
    stroke-width: 6;
    stroke-dasharray: none;
  }
  @media (prefers-reduced-motion: no-preference) {
    .tone-good .guide .oval {
      animation: fk-pulse 1.2s ease-in-out infinite;
    }
    .busy .guide .oval {
      animation: fk-spin 1.6s linear infinite;
    }
  }
  @keyframes fk-pulse {
    50% {
      stroke-opacity: 0.6;
    }
  }
  @keyframes fk-spin {
    to {
      stroke-dashoffset: -36;
    }
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    padding: var(--_fk-gap);
    background: rgb(0 0 0 / 0.35);
  }

  .hint {
    min-height: 1.5em;
    margin: 0;
    padding: 0.35em 0.75em;
    border-radius: 999px;
    text-align: center;
    font-weight: 600;
    background: var(--_fk-surface);
    color: var(--_fk-fg);
    transition: background-color var(--_fk-duration);
  }
  .hint:empty {
    visibility: hidden;
  }
  .hint.tone-good {
    color: var(--_fk-good);
  }
  .hint.tone-warn {
    color: var(--_fk-warn);
  }
  .hint.tone-error {
    color: var(--_fk-error);
  }

  .file-picker {
    position: relative;
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 6px;
  }
  .file-picker .file-input {
    /* Visually hidden but focusable; the label shows the focus ring via :focus-within. */
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .file-picker:focus-within label.button {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .file-picker:has(.file-input:disabled) label.button {
    border-color: var(--_fk-border);
    color: var(--_fk-muted);
    cursor: progress;
  }

  .load-progress {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 4px;
    width: min(100%, 18em);
    font-size: 0.875em;
    font-variant-numeric: tabular-nums;
  }
  .load-progress progress {
    width: 100%;
    accent-color: var(--_fk-accent);
  }

  /* What stands in the camera's place: the placeholder, the file chooser's stage, the photo taken. */
  .placeholder {
    display: grid;
    place-items: center;
    gap: var(--_fk-gap);
    aspect-ratio: 4 / 3;
    padding: var(--_fk-gap);
    border: 2px dashed var(--_fk-border);
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
    color: var(--_fk-muted);
    text-align: center;
  }
  .placeholder svg {
    width: 30%;
    max-width: 120px;
    height: auto;
    color: var(--_fk-border);
  }
  .file-stage {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
    padding: var(--_fk-gap);
    border: 2px dashed var(--_fk-border);
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
  }
  .preview {
    margin: 0;
  }
  .preview img {
    display: block;
    width: 100%;
    max-height: 60vh;
    object-fit: contain;
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
  }
`;
