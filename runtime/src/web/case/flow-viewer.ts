/**
 * Shows a case's flow with bpmn-js's NavigatedViewer, loaded on demand (it is the heaviest
 * piece of the case page), and marks the elements the case went through (`lb-done`) and the
 * ones it waits in (`lb-active`).
 */
import type { CaseFlow } from '../api/index';

export interface FlowView { destroy(): void }

interface Canvas { addMarker(id: string, cls: string): void; zoom(fit: 'fit-viewport', center?: 'auto'): void }
interface Registry { get(id: string): unknown }

/** Renders `flow` into `container`; resolves once the diagram and its markers are in. */
export async function showFlow(container: HTMLElement, flow: CaseFlow): Promise<FlowView> {
  const [{ default: NavigatedViewer }] = await Promise.all([
    import('bpmn-js/lib/NavigatedViewer'),
    import('bpmn-js/dist/assets/diagram-js.css'),
    import('bpmn-js/dist/assets/bpmn-js.css'),
  ]);
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(flow.xml);
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<Registry>('elementRegistry');
  const mark = (ids: string[], cls: string) => {
    for (const id of ids) if (registry.get(id)) canvas.addMarker(id, cls);
  };
  mark(flow.done.filter((id) => !flow.active.includes(id)), 'lb-done');
  mark(flow.active, 'lb-active');
  canvas.zoom('fit-viewport', 'auto');
  return { destroy: () => viewer.destroy() };
}
