import { ref } from 'lit/directives/ref.js';

/**
 * Sets style properties (custom properties included) on the element through the CSSOM. A strict
 * Content Security Policy refuses `style="…"` attributes written by script, but allows this.
 * Use it instead of a bound `style` attribute or lit's styleMap, which writes the attribute on
 * first render.
 */
export const cssProps = (properties: Record<string, string>) =>
  ref((element) => {
    if (!(element instanceof HTMLElement || element instanceof SVGElement)) return;
    for (const [name, value] of Object.entries(properties)) element.style.setProperty(name, value);
  });
