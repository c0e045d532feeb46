// The event log of the demo pages (`#log`, cleared by `#clear-log`): every facekit-* event of the
// page, newest first, and an "empty" line in the page's language.
//
// For end-to-end tests it exposes `window.facekitEvents`: every facekit-* event of the page, in
// order, as `{ type, detail, time }` with the details whole (result details keep their Blobs).

import { pageLang, type Lang } from './page-lang.ts';

export interface RecordedFacekitEvent {
  type: 'facekit-status' | 'facekit-result' | 'facekit-error';
  detail: unknown;
  /** Milliseconds since the log started. */
  time: number;
}

declare global {
  interface Window {
    facekitEvents: RecordedFacekitEvent[];
  }
}

export interface EventLogOptions {
  /** The "no events yet" text in a language. */
  emptyText: (lang: Lang) => string;
  /** What the visible log shows of an event (default: its detail); `facekitEvents` keeps it whole. */
  summary?: (event: RecordedFacekitEvent) => unknown;
}

export interface EventLog {
  /** Shows the "no events yet" line when the log is empty. */
  renderEmpty(): void;
  /** Words the "no events yet" line again, after the page's language changed. */
  relabel(): void;
}

const EVENT_TYPES = ['facekit-status', 'facekit-result', 'facekit-error'] as const;
/** Lines kept in the visible log. */
const MAX_LINES = 200;

/** Blobs are shown by type and size, long strings shortened, in the visible log only. */
export function shorten(value: unknown): unknown {
  const text = JSON.stringify(value ?? null, (_key, item: unknown) =>
    item instanceof Blob ? `Blob(${item.type}, ${item.size} bytes)` : item,
  );
  return JSON.parse(text, (_key, item: unknown) =>
    typeof item === 'string' && item.length > 120 ? `${item.slice(0, 60)}… (${item.length} chars)` : item,
  );
}

/** Records every facekit event of the page in `window.facekitEvents`, and hands it to `onEvent`. */
export function recordFacekitEvents(onEvent?: (event: RecordedFacekitEvent) => void): void {
  const started = performance.now();
  window.facekitEvents = [];
  for (const type of EVENT_TYPES) {
    // On the document: the events bubble and are composed, as a page would listen to them.
    document.addEventListener(type, (event) => {
      const recorded: RecordedFacekitEvent = { type, detail: event.detail, time: Math.round(performance.now() - started) };
      window.facekitEvents.push(recorded);
      onEvent?.(recorded);
    });
  }
}

/** Starts recording the page's facekit events into `window.facekitEvents` and the visible log. */
export function startEventLog({ emptyText, summary = (event) => event.detail }: EventLogOptions): EventLog {
  const log = document.querySelector<HTMLOListElement>('#log')!;
  const clearButton = document.querySelector<HTMLButtonElement>('#clear-log')!;
  const renderEmpty = (): void => {
    if (log.children.length > 0) return;
    const item = document.createElement('li');
    item.className = 'empty';
    item.textContent = emptyText(pageLang());
    log.append(item);
  };

  const show = (event: RecordedFacekitEvent): void => {
    log.querySelector('li.empty')?.remove();
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = `${(event.time / 1000).toFixed(2)} s`;
    const type = document.createElement('span');
    type.className = `type type-${event.type}`;
    type.textContent = event.type;
    const detail = document.createElement('div');
    detail.textContent = JSON.stringify(shorten(summary(event)));
    item.append(time, type, detail);
    log.prepend(item);
    while (log.children.length > MAX_LINES) log.lastElementChild?.remove();
  };

  recordFacekitEvents(show);

  clearButton.addEventListener('click', () => {
    log.replaceChildren();
    renderEmpty();
  });

  return {
    renderEmpty,
    relabel: () => {
      const empty = log.querySelector('li.empty');
      if (empty) empty.textContent = emptyText(pageLang());
    },
  };
}
