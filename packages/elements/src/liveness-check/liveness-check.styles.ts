import { css } from 'lit';

/**
 * Styles of `<liveness-check>` on top of `tokens`, `baseStyles` and `cameraViewStyles`.
 *
 * Motion: each action's pictogram shows its movement twice (slow cycles of 1.6 s, a few pixels,
 * no change of brightness, so nothing flashes), only under `prefers-reduced-motion: no-preference`.
 * Colours change with `--_fk-duration`, which is 0 with reduced motion.
 */
export const livenessCheckStyles = css`
  .root {
    display: flex;
    flex-direction: column;
    gap: var(--_fk-gap);
  }
  .identity {
    overflow-wrap: anywhere;
  }
  .stage {
    display: flex;
    flex-direction: column;
  }
  .placeholder {
    color: var(--_fk-border);
  }
  @media (prefers-reduced-motion: no-preference) {
    .placeholder.busy .oval {
      animation: fk-liveness-dash 1.6s linear infinite;
    }
  }
  @keyframes fk-liveness-dash {
    to {
      stroke-dashoffset: -22;
    }
  }

  .hint {
    font-size: 1.15em;
  }

  .prompt {
    display: grid;
    grid-template-columns: auto 1fr auto;
    align-items: center;
    gap: calc(var(--_fk-gap) * 0.75);
    padding: calc(var(--_fk-gap) * 0.75);
    border: 1px solid var(--_fk-border);
    border-radius: var(--_fk-radius);
    background: var(--_fk-surface);
  }
  .prompt .icon {
    display: grid;
    place-items: center;
    width: 3.5em;
    height: 3.5em;
    color: var(--_fk-accent);
  }
  .prompt .icon svg {
    width: 100%;
    height: 100%;
    overflow: visible;
  }
  /*
   * The pictogram shows the movement twice when its action starts, then rests. The oval keeps its
   * colour without the shared pulse, and the time bar steps without a transition: on a software
   * compositor (headless, or a device without GPU compositing) any of them repaints on the main
   * thread at every display frame, throughout the session.
   */
  .camera.tone-good .guide .oval {
    animation: none;
  }
  @media (prefers-reduced-motion: no-preference) {
    .icon.action-nod {
      animation: fk-liveness-nod 1.6s ease-in-out 2;
    }
    .icon.action-shake {
      animation: fk-liveness-shake 1.6s ease-in-out 2;
    }
    .icon.action-turn-left {
      animation: fk-liveness-turn-left 1.6s ease-in-out 2;
    }
    .icon.action-turn-right {
      animation: fk-liveness-turn-right 1.6s ease-in-out 2;
    }
  }
  @keyframes fk-liveness-nod {
    50% {
      transform: translateY(3px);
    }
  }
  @keyframes fk-liveness-shake {
    25% {
      transform: translateX(-3px);
    }
    75% {
      transform: translateX(3px);
    }
  }
  @keyframes fk-liveness-turn-left {
    50% {
      transform: translateX(-3px);
    }
  }
  @keyframes fk-liveness-turn-right {
    50% {
      transform: translateX(3px);
    }
  }
  .prompt-body {
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
  }
  .prompt .step {
    margin: 0;
    font-weight: 600;
    font-size: 0.9em;
  }
  .steps {
    display: flex;
    gap: 6px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .steps li {
    width: 0.7em;
    height: 0.7em;
    border: 2px solid var(--_fk-accent);
    border-radius: 50%;
  }
  .steps li.done {
    background: var(--_fk-accent);
  }
  .steps li.current {
    background: var(--_fk-surface);
    box-shadow: 0 0 0 2px var(--_fk-surface), 0 0 0 4px var(--_fk-accent);
  }
  progress {
    width: 100%;
    height: 0.6em;
    accent-color: var(--_fk-accent);
  }
  .action-time {
    display: block;
    width: 100%;
    height: 4px;
    border-radius: 2px;
  }
  .action-time .track {
    fill: var(--_fk-border);
  }
  .action-time .left {
    fill: var(--_fk-muted);
  }
  .action-time.late .left {
    fill: var(--_fk-guide-warn);
  }
  .countdown {
    margin: 0;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    white-space: nowrap;
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
    display: flex;
    align-items: center;
    gap: 0.4em;
    margin: 0 0 0.5em;
    font-size: 1.15em;
    font-weight: 700;
  }
  .result .title.good {
    color: var(--_fk-good);
  }
  .result .title.bad {
    color: var(--_fk-error);
  }
  .result .verdict-icon {
    display: inline-flex;
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
  .result .note {
    margin-top: 0.6em;
  }
`;
