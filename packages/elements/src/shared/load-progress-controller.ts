import { nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { formatLoadProgress, onLoadProgress, type LoadProgressSnapshot } from '@facekit/core';
import { loadProgressView } from './camera-view.js';

/**
 * Follows the first load's download (core's `onLoadProgress`) while the host waits for the model:
 * re-renders the host with the bar and tells it each step (for `facekit-status`).
 */
export class LoadProgressController implements ReactiveController {
  progress: LoadProgressSnapshot | null = null;
  private stop: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onProgress: (progress: LoadProgressSnapshot) => void = () => {},
  ) {
    host.addController(this);
  }

  /** Starts following; the returned function stops and hides the bar. */
  track(): () => void {
    this.stop?.();
    const unsubscribe = onLoadProgress((progress) => {
      this.progress = progress;
      this.onProgress(progress);
      this.host.requestUpdate();
    });
    const stop = (): void => {
      unsubscribe();
      if (this.stop !== stop) return;
      this.stop = null;
      this.progress = null;
      this.host.requestUpdate();
    };
    this.stop = stop;
    return stop;
  }

  hostDisconnected(): void {
    this.stop?.();
  }

  /** The bar while something downloads, else nothing. */
  render(label: string, text: (amount: { loaded: string; total: string }) => string, locale?: string): TemplateResult | typeof nothing {
    const progress = this.progress;
    if (!progress || progress.total <= 0) return nothing;
    return loadProgressView({ loaded: progress.loaded, total: progress.total, label, text: text(formatLoadProgress(progress, locale)) });
  }
}
