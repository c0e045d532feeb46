import { css } from 'lit';

/** Styles of `radarChart()`, `scoreRing()` and `barList()`. Needs `tokens` and `baseStyles` first. */
export const chartStyles = css`
  .chart {
    margin: 0;
  }
  .radar svg {
    display: block;
    width: 100%;
    max-width: 420px;
    height: auto;
    margin-inline: auto;
    overflow: visible;
  }
  .radar-grid polygon,
  .radar-grid line {
    fill: none;
    stroke: var(--_fk-border);
    stroke-width: 1;
  }
  .radar-current {
    fill: color-mix(in srgb, var(--_fk-accent) 22%, transparent);
    stroke: var(--_fk-accent);
    stroke-width: 2.5;
    stroke-linejoin: round;
  }
  .radar-previous {
    fill: none;
    stroke: var(--_fk-muted);
    stroke-width: 2;
    stroke-dasharray: 5 4;
  }
  .radar-dot {
    fill: var(--_fk-accent);
  }
  .radar-label {
    fill: var(--_fk-fg);
    font-size: 13px;
  }
  .radar-value {
    fill: var(--_fk-muted);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    color: var(--_fk-muted);
    font-size: 0.85em;
  }
  .legend .key {
    display: inline-block;
    width: 1.6em;
    height: 0;
    border-top: 3px solid var(--_fk-accent);
  }
  .legend .key.previous {
    margin-inline-start: 0.8em;
    border-top: 2px dashed var(--_fk-muted);
  }

  .score-ring {
    display: block;
    width: 100%;
    height: auto;
  }
  .ring-track {
    fill: none;
    stroke: var(--_fk-border);
    stroke-width: 10;
  }
  .ring-value {
    fill: none;
    stroke: var(--_fk-accent);
    stroke-width: 10;
    stroke-linecap: round;
    transition: stroke-dasharray var(--_fk-duration);
  }
  .score-ring.tone-good .ring-value {
    stroke: var(--_fk-good);
  }
  .score-ring.tone-fair .ring-value {
    stroke: var(--_fk-warn);
  }
  .score-ring.tone-attention .ring-value {
    stroke: var(--_fk-error);
  }
  .ring-number {
    fill: var(--_fk-fg);
    font-size: 34px;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .ring-unit {
    fill: var(--_fk-muted);
    font-size: 13px;
  }

  .bar-list {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  .bar-list caption {
    padding-bottom: 0.3em;
    font-weight: 700;
    text-align: start;
  }
  .bar-list th {
    width: 40%;
    padding: 0.2em 0.6em 0.2em 0;
    font-weight: 400;
    text-align: start;
    color: var(--_fk-muted);
  }
  .bar-list td {
    padding: 0.2em 0;
  }
  .bar-cell {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .bar {
    flex: 1 1 auto;
    height: 0.6em;
    border-radius: 999px;
    background: var(--_fk-border);
    overflow: hidden;
  }
  .bar > span {
    display: block;
    height: 100%;
    border-radius: inherit;
    background: var(--_fk-accent);
  }
  .bar-value {
    flex: none;
    min-width: 4ch;
    text-align: end;
  }
`;
