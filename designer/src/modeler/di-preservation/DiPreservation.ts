/**
 * Keeps diagram interchange (DI) that bpmn-js would change or drop on save, so a diagram made
 * in another tool comes back as it went in (the MIWG round-trip procedure):
 *
 * - DI the canvas could not show (e.g. the shapes of a called process drawn inside an expanded
 *   call activity): bpmn-js' `BpmnDiOrdering` rewrites each plane from the rendered elements
 *   on `saveXML.start` and loses them. We put them back right after it.
 * - `isMarkerVisible` on exclusive gateways: bpmn-js sets it to true on import when absent.
 *   We drop it again while saving when the file had none (and restore it for rendering).
 * - Empty diagrams bpmn-js creates for every collapsed sub-process (drill-down planes) are
 *   left out of the saved file while they stay empty.
 */
import type EventBus from 'diagram-js/lib/core/EventBus';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';

interface Moddle { $type: string; $parent?: Moddle | null; [key: string]: unknown; get(name: string): unknown; set(name: string, value: unknown): void }

const AFTER_DI_ORDERING = 1500; // BpmnDiOrdering runs at 2000
const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** True while `bo` is still part of the model (not deleted by the user). */
function attached(bo: Moddle | undefined): boolean {
  let node: Moddle | null | undefined = bo;
  while (node && node.$type !== 'bpmn:Definitions') node = node.$parent;
  return !!node;
}

export default class DiPreservation {
  static $inject = ['eventBus', 'elementRegistry', 'bpmnjs'];

  private definitions: Moddle | undefined;
  private originalDiagrams = new Set<Moddle>();
  private markerless = new Set<Moddle>();
  private unrendered = new Map<Moddle, Moddle[]>();
  private hiddenDiagrams: Moddle[] = [];

  constructor(eventBus: EventBus, elementRegistry: ElementRegistry, bpmnjs: { getDefinitions(): Moddle | undefined }) {
    eventBus.on('import.parse.complete', (e: { definitions?: Moddle }) => this.parsed(e.definitions));
    eventBus.on('import.done', () => this.rendered(bpmnjs.getDefinitions(), elementRegistry));
    eventBus.on('saveXML.start', AFTER_DI_ORDERING, () => this.beforeSave());
    eventBus.on('saveXML.done', () => this.afterSave());
  }

  private diagrams(): Moddle[] {
    return (this.definitions?.get('diagrams') as Moddle[] | undefined) ?? [];
  }

  private parsed(definitions: Moddle | undefined): void {
    this.definitions = definitions;
    this.originalDiagrams = new Set(this.diagrams());
    this.markerless.clear();
    this.unrendered.clear();
    for (const diagram of this.diagrams()) {
      const plane = diagram.plane as Moddle | undefined;
      for (const di of (plane?.planeElement as Moddle[] | undefined) ?? []) {
        const bo = di.bpmnElement as Moddle | undefined;
        if (bo?.$type === 'bpmn:ExclusiveGateway' && !own(di, 'isMarkerVisible')) this.markerless.add(di);
      }
    }
  }

  private rendered(definitions: Moddle | undefined, registry: ElementRegistry): void {
    if (!definitions) return; // the import failed
    this.definitions = definitions;
    const shown = new Set(registry.getAll().map((e) => (e as unknown as { di?: Moddle }).di));
    for (const diagram of this.diagrams()) {
      const plane = diagram.plane as Moddle | undefined;
      const lost = ((plane?.planeElement as Moddle[] | undefined) ?? []).filter((di) => !shown.has(di));
      if (plane && lost.length) this.unrendered.set(plane, lost);
    }
  }

  private beforeSave(): void {
    for (const [plane, lost] of this.unrendered) {
      const current = plane.get('planeElement') as Moddle[];
      for (const di of lost) {
        // DI-only elements (no bpmnElement, e.g. a connector between two shapes) are kept too.
        const bo = di.bpmnElement as Moddle | undefined;
        if (!current.includes(di) && (!bo || attached(bo))) current.push(di);
      }
    }
    for (const di of this.markerless) if (di.isMarkerVisible === true) di.isMarkerVisible = undefined;
    const diagrams = this.diagrams();
    this.hiddenDiagrams = diagrams.filter((d) => !this.originalDiagrams.has(d) && !((d.plane as Moddle | undefined)?.planeElement as Moddle[] | undefined)?.length);
    for (const d of this.hiddenDiagrams) diagrams.splice(diagrams.indexOf(d), 1);
  }

  private afterSave(): void {
    for (const di of this.markerless) if (di.isMarkerVisible === undefined) di.isMarkerVisible = true;
    this.diagrams().push(...this.hiddenDiagrams);
    this.hiddenDiagrams = [];
  }
}
