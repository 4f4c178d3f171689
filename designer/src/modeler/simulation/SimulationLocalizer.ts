/**
 * bpmn-js-token-simulation writes its toggle label and button titles in English, outside
 * `translate`. This service rewrites them through our translate whenever the simulation mode
 * changes (its controls are created or re-rendered then).
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import type Canvas from 'diagram-js/lib/core/Canvas';

type Translate = (template: string) => string;

/** The event token simulation fires when its mode is switched. */
export const TOGGLE_MODE_EVENT = 'tokenSimulation.toggleMode';

export default class SimulationLocalizer {
  static $inject = ['eventBus', 'canvas', 'translate'];

  constructor(eventBus: EventBus, canvas: Canvas, translate: Translate) {
    const localize = () => {
      const container = canvas.getContainer();
      const toggle = container.querySelector('.bts-toggle-mode');
      const label = toggle?.firstChild;
      if (label && label.nodeType === 3 /* text */) label.textContent = translate('Token Simulation') + ' ';
      container.querySelectorAll<HTMLElement>('[class*="bts-"][title]').forEach((el) => {
        el.title = translate(el.title.trim());
      });
    };
    eventBus.on('import.done', localize);
    // After the simulation's own listener has re-rendered its controls.
    eventBus.on(TOGGLE_MODE_EVENT, 500, () => queueMicrotask(localize));
  }
}
