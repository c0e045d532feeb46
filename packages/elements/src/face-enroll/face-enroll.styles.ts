import { css } from 'lit';

/** Styles of `<face-enroll>` on top of `tokens`, `baseStyles` and `cameraViewStyles`. */
export const faceEnrollStyles = css`
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

  form fieldset {
    margin: 0;
    padding: var(--_fk-gap);
    border: 1px solid var(--_fk-border);
    border-radius: var(--_fk-radius);
  }
  form legend {
    padding: 0 0.3em;
    font-weight: 700;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: var(--_fk-gap);
    margin-top: calc(var(--_fk-gap) * 0.5);
  }
  .grid .wide {
    grid-column: 1 / -1;
  }
  textarea {
    resize: vertical;
    min-height: 4.5em;
  }
  .with-toggle {
    display: flex;
    gap: 6px;
  }
  .with-toggle input {
    flex: 1 1 auto;
    min-width: 0;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.04em;
  }
  .with-toggle button {
    flex: none;
    padding-inline: 0.7em;
    font-weight: 500;
  }
  .with-toggle button[aria-pressed='true'] {
    background: var(--_fk-accent);
    color: var(--_fk-accent-fg);
  }

  .result {
    padding: var(--_fk-gap);
    border: 1px solid var(--_fk-border);
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
  }
  .result:focus {
    outline: none;
  }
  .result:focus-visible {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .result .title {
    margin: 0 0 0.5em;
    font-size: 1.1em;
    font-weight: 700;
  }
  .result .title.good {
    color: var(--_fk-good);
  }
  .result .title.bad {
    color: var(--_fk-error);
  }
  .result .title.neutral {
    color: var(--_fk-fg);
  }
  .result dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25em 1em;
    margin: 0;
  }
  .result dt {
    color: var(--_fk-muted);
  }
  .result dd {
    margin: 0;
    overflow-wrap: anywhere;
    font-variant-numeric: tabular-nums;
  }
  .result img {
    display: block;
    max-width: 160px;
    margin-top: var(--_fk-gap);
    border-radius: calc(var(--_fk-radius) * 0.5);
  }
  .result meter {
    width: 100%;
    margin-top: 0.5em;
  }
`;
