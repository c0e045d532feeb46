import { css } from 'lit';

/**
 * Theme tokens of every facekit element.
 *
 * Pages theme the kit with the public `--facekit-*` custom properties, set on the element or on
 * any ancestor (they inherit). Inside, the elements only read the private `--_fk-*` copies,
 * which fall back to the light or dark defaults below, so a page that sets nothing still gets a
 * readable theme that follows `prefers-color-scheme`.
 *
 * Public tokens:
 * - `--facekit-font-family`, `--facekit-font-size`
 * - `--facekit-color-fg`, `--facekit-color-muted`, `--facekit-color-bg`, `--facekit-color-surface`,
 *   `--facekit-color-border` (panels), `--facekit-color-field-border` (fields: 3:1 on the background)
 * - `--facekit-color-accent`, `--facekit-color-accent-fg` (buttons, focus ring)
 * - `--facekit-color-good`, `--facekit-color-warn`, `--facekit-color-error`
 * - `--facekit-guide-dim` (the shade outside the oval), `--facekit-guide-idle`
 * - `--facekit-radius`, `--facekit-gap`, `--facekit-max-width`, `--facekit-duration`
 *
 * The attribute `color-scheme="light"` or `"dark"` on an element forces that theme whatever the
 * system's; the blocks below repeat the defaults for it (test/e2e/contrast.test.ts keeps them equal
 * and checks WCAG AA on every pair).
 */
export const tokens = css`
  :host {
    --_fk-font-family: var(
      --facekit-font-family,
      system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif
    );
    --_fk-font-size: var(--facekit-font-size, 1rem);
    --_fk-fg: var(--facekit-color-fg, #1c2024);
    --_fk-muted: var(--facekit-color-muted, #5b636b);
    --_fk-bg: var(--facekit-color-bg, #ffffff);
    --_fk-surface: var(--facekit-color-surface, #f3f5f7);
    --_fk-border: var(--facekit-color-border, #c9d0d6);
    --_fk-field-border: var(--facekit-color-field-border, #767f88);
    --_fk-accent: var(--facekit-color-accent, #0b63ce);
    --_fk-accent-fg: var(--facekit-color-accent-fg, #ffffff);
    --_fk-good: var(--facekit-color-good, #1a7f37);
    --_fk-warn: var(--facekit-color-warn, #875a00);
    --_fk-error: var(--facekit-color-error, #c62828);
    --_fk-guide-dim: var(--facekit-guide-dim, rgb(0 0 0 / 0.45));
    --_fk-guide-idle: var(--facekit-guide-idle, rgb(255 255 255 / 0.9));
    --_fk-guide-good: var(--facekit-color-good, #2ea043);
    --_fk-guide-warn: var(--facekit-color-warn, #e3a008);
    --_fk-radius: var(--facekit-radius, 12px);
    --_fk-gap: var(--facekit-gap, 12px);
    --_fk-max-width: var(--facekit-max-width, 480px);
    --_fk-duration: var(--facekit-duration, 180ms);
    color-scheme: light dark;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_fk-fg: var(--facekit-color-fg, #e6e8eb);
      --_fk-muted: var(--facekit-color-muted, #a3abb3);
      --_fk-bg: var(--facekit-color-bg, #15181b);
      --_fk-surface: var(--facekit-color-surface, #1f2428);
      --_fk-border: var(--facekit-color-border, #3d444b);
      --_fk-field-border: var(--facekit-color-field-border, #848d97);
      --_fk-accent: var(--facekit-color-accent, #4c9aff);
      --_fk-accent-fg: var(--facekit-color-accent-fg, #0b1220);
      --_fk-good: var(--facekit-color-good, #3fb950);
      --_fk-warn: var(--facekit-color-warn, #d29922);
      --_fk-error: var(--facekit-color-error, #ff6b6b);
    }
  }

  /* Forced themes: the page's own switch, whatever the system's (more specific than :host). */
  :host([color-scheme='light']) {
    color-scheme: light;
    --_fk-fg: var(--facekit-color-fg, #1c2024);
    --_fk-muted: var(--facekit-color-muted, #5b636b);
    --_fk-bg: var(--facekit-color-bg, #ffffff);
    --_fk-surface: var(--facekit-color-surface, #f3f5f7);
    --_fk-border: var(--facekit-color-border, #c9d0d6);
    --_fk-field-border: var(--facekit-color-field-border, #767f88);
    --_fk-accent: var(--facekit-color-accent, #0b63ce);
    --_fk-accent-fg: var(--facekit-color-accent-fg, #ffffff);
    --_fk-good: var(--facekit-color-good, #1a7f37);
    --_fk-warn: var(--facekit-color-warn, #875a00);
    --_fk-error: var(--facekit-color-error, #c62828);
  }
  :host([color-scheme='dark']) {
    color-scheme: dark;
    --_fk-fg: var(--facekit-color-fg, #e6e8eb);
    --_fk-muted: var(--facekit-color-muted, #a3abb3);
    --_fk-bg: var(--facekit-color-bg, #15181b);
    --_fk-surface: var(--facekit-color-surface, #1f2428);
    --_fk-border: var(--facekit-color-border, #3d444b);
    --_fk-field-border: var(--facekit-color-field-border, #848d97);
    --_fk-accent: var(--facekit-color-accent, #4c9aff);
    --_fk-accent-fg: var(--facekit-color-accent-fg, #0b1220);
    --_fk-good: var(--facekit-color-good, #3fb950);
    --_fk-warn: var(--facekit-color-warn, #d29922);
    --_fk-error: var(--facekit-color-error, #ff6b6b);
  }

  @media (prefers-reduced-motion: reduce) {
    :host {
      --_fk-duration: 0ms;
    }
  }
`;

/** Base layout, buttons, fields, error and status boxes shared by the elements. */
export const baseStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    max-width: var(--_fk-max-width);
    font-family: var(--_fk-font-family);
    font-size: var(--_fk-font-size);
    line-height: 1.5;
    color: var(--_fk-fg);
    background: var(--_fk-bg);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .visually-hidden {
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
  .stack {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }

  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 44px;
    padding: 0.5em 1.1em;
    border: 1px solid var(--_fk-accent);
    border-radius: calc(var(--_fk-radius) * 0.75);
    background: var(--_fk-accent);
    color: var(--_fk-accent-fg);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button:hover:not(:disabled),
  .button:hover {
    filter: brightness(1.08);
  }
  button.secondary,
  .button.secondary {
    background: transparent;
    color: var(--_fk-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  /* Tabbing into a date field focuses a part inside it: the field itself matches only :focus-within. */
  input[type='date']:focus-within {
    outline: 3px solid var(--_fk-accent);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_fk-gap) * 0.75);
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .field label,
  .label {
    font-weight: 600;
    font-size: 0.9em;
  }
  .note {
    margin: 0;
    color: var(--_fk-muted);
    font-size: 0.85em;
  }
  input:not([type='file']),
  select,
  textarea {
    min-height: 44px;
    padding: 0.45em 0.6em;
    border: 1px solid var(--_fk-field-border);
    border-radius: calc(var(--_fk-radius) * 0.5);
    background: var(--_fk-bg);
    color: var(--_fk-fg);
    font: inherit;
  }
  input[aria-invalid='true'] {
    border-color: var(--_fk-error);
  }

  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_fk-gap);
    margin: 0;
    padding: 0.6em 0.8em;
    border-left: 4px solid var(--_fk-error);
    border-radius: calc(var(--_fk-radius) * 0.5);
    background: var(--_fk-surface);
    color: var(--_fk-fg);
  }
  .error p {
    flex: 1 1 12em;
    margin: 0;
  }
  .status {
    margin: 0;
    color: var(--_fk-muted);
  }
`;
