import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { MessageOverrides, Phase, PrefetchMode } from '@facekit/core';
import type { CaptureController } from './capture-controller.js';

/**
 * The properties every facekit element has: the signing endpoint and its tickets, the language,
 * where the models are served and when they are fetched, text overrides, and the current phase of
 * its capture flow. Each element extends it directly.
 */
export abstract class FacekitElement extends LitElement {
  /** The element's capture flow (phases, errors, the camera, uploads); `currentPhase` reads its phase. */
  protected abstract readonly flow: CaptureController;

  /** Base URL of the signing endpoint (`POST <endpoint>/v1/ops/<op>`). */
  @property({ attribute: 'endpoint' }) endpoint = '';

  /**
   * A ticket minted by the site's backend with the scopes of the element's ops. Prefer
   * `ticketProvider` when tickets are single-use (a billable op spends the ticket's nonce; one
   * liveness attempt makes up to three calls).
   */
  @property({ attribute: 'ticket' }) ticket = '';

  /** Called for a fresh ticket before each endpoint call; wins over `ticket`. Property only. */
  @property({ attribute: false }) ticketProvider?: () => Promise<string>;

  /** Language of the text: `zh-CN` (default) or `en`. Unset, the closest `lang` ancestor decides. */
  @property({ attribute: 'lang', reflect: true }) override lang!: string;

  /** Where the wasm and models are served (default: `assets/` next to the script). */
  @property({ attribute: 'assets-base' }) assetsBase = '';

  /** When to download the wasm and models before `start()`: `auto` (visible or idle), `visible`, `idle` or `none`. */
  @property({ attribute: 'prefetch' }) prefetch: PrefetchMode = 'auto';

  /**
   * Text overrides, in any language: by message key (`{ 'action.submit': 'Register' }`) or, for the
   * message of a kit code, as `code.<CODE>` (`{ 'code.NO_FACE': '…' }`). Property only.
   */
  @property({ attribute: false }) messages?: MessageOverrides;

  /** The current phase. */
  get currentPhase(): Phase {
    return this.flow.phase;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Reflect `lang` before render(): the localize controller reads the attribute.
    if (changed.has('lang')) {
      if (this.lang) this.setAttribute('lang', this.lang);
      else if (changed.get('lang')) this.removeAttribute('lang');
    }
  }
}
