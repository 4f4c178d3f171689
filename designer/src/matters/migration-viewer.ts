/**
 * One read-only diagram of the migration preview (MigrationDiagram.tsx): bpmn-js's
 * NavigatedViewer loaded on demand, as the case page's flow-viewer does, with the marks of
 * `migrationMarks` drawn as markers (`lb-mig-now` on the old version, `lb-mig-after` on the new
 * one, `lb-mig-problem`) and badges (「现在」/「迁移后」/「3 件」, red 「问题」) whose tooltip says
 * the tasks, departments and problems.
 */
import type { ElementMark } from './model/migration-marks';
import { badgeText, tooltipText } from './model/migration-marks';

interface Canvas { addMarker(id: string, cls: string): void; removeMarker(id: string, cls: string): void; zoom(fit: 'fit-viewport', center?: 'auto'): void; resized(): void }
interface Registry { get(id: string): { businessObject?: { name?: string } } | undefined }
interface Overlays { add(id: string, type: string, overlay: { position: { top?: number; left?: number; right?: number; bottom?: number }; html: HTMLElement; scale?: false }): string; remove(filter: { type: string }): void }

const MARKERS = ['lb-mig-now', 'lb-mig-after', 'lb-mig-problem'];
const OVERLAY = 'lb-migration';

export interface MigrationView {
  has(id: string): boolean;
  /** The element's name on the diagram (its id when it has none). */
  name(id: string): string;
  /** Replaces the marks of the diagram. */
  show(marks: Record<string, ElementMark>, single: boolean): void;
  fit(): void;
  destroy(): void;
}

/** Renders `xml` into `container` for side `side` of the preview; resolves once it is drawn. */
export async function showMigrationDiagram(container: HTMLElement, xml: string, side: 'before' | 'after'): Promise<MigrationView> {
  const [{ default: NavigatedViewer }] = await Promise.all([
    import('bpmn-js/lib/NavigatedViewer'),
    import('bpmn-js/dist/assets/diagram-js.css'),
    import('bpmn-js/dist/assets/bpmn-js.css'),
  ]);
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<Registry>('elementRegistry');
  const overlays = viewer.get<Overlays>('overlays');
  let marked: string[] = [];
  canvas.zoom('fit-viewport', 'auto');
  return {
    has: (id) => !!registry.get(id),
    name: (id) => registry.get(id)?.businessObject?.name || id,
    show(marks, single) {
      for (const id of marked) for (const cls of MARKERS) canvas.removeMarker(id, cls);
      overlays.remove({ type: OVERLAY });
      marked = Object.keys(marks).filter((id) => registry.get(id));
      for (const id of marked) {
        const mark = marks[id]!;
        const name = registry.get(id)?.businessObject?.name;
        const tip = tooltipText(name, mark, side, single);
        if (mark.cases) canvas.addMarker(id, side === 'before' ? 'lb-mig-now' : 'lb-mig-after');
        if (mark.problems.length) canvas.addMarker(id, 'lb-mig-problem');
        const badges = document.createElement('div');
        badges.className = 'lb-mig-badges';
        badges.dataset.elementId = id;
        const text = badgeText(mark, side, single);
        if (text) badges.append(badge(text, `lb-mig-badge lb-mig-badge-${side}`, tip));
        if (mark.problems.length) badges.append(badge(single || !mark.problemCases ? '问题' : `${mark.problemCases} 件有问题`, 'lb-mig-badge lb-mig-badge-problem', tip));
        overlays.add(id, OVERLAY, { position: { top: -20, left: 0 }, html: badges, scale: false }); // readable at any zoom
      }
    },
    fit() { canvas.resized(); canvas.zoom('fit-viewport', 'auto'); },
    destroy: () => viewer.destroy(),
  };
}

function badge(text: string, className: string, title: string): HTMLElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  el.title = title;
  el.tabIndex = 0;
  el.setAttribute('aria-label', title.replace(/\n/g, '；'));
  return el;
}
