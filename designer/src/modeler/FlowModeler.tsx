/**
 * React host for the bpmn-js modeler: renders the canvas and the properties panel side by side
 * and hands the API to `onReady`. Department and field lists may change after mount; the
 * modeler is created once per mount and told about new lists.
 *
 *   <FlowModeler xml={xml} departments={departments} fields={fields} onReady={setApi} />
 */
import { useEffect, useRef } from 'react';
import type { Department, FormField } from './context/LianbanContext';
import { createLianbanModeler, type LianbanModelerApi } from './create-modeler';

export interface FlowModelerProps {
  /** The diagram to open first. Later changes are ignored: use `api.setXML`. */
  xml: string;
  departments: Department[];
  fields: FormField[];
  onReady?: (api: LianbanModelerApi) => void;
  onError?: (error: Error) => void;
}

/** The modeler canvas + properties panel. */
export function FlowModeler({ xml, departments, fields, onReady, onError }: FlowModelerProps) {
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const apiRef = useRef<LianbanModelerApi | null>(null);
  const latest = useRef({ departments, fields, onReady, onError });
  latest.current = { departments, fields, onReady, onError };

  useEffect(() => {
    let disposed = false;
    const { departments: d, fields: f } = latest.current;
    createLianbanModeler({ canvas: canvasRef.current!, panel: panelRef.current!, xml, departments: d, fields: f })
      .then((api) => {
        if (disposed) return api.destroy();
        apiRef.current = api;
        latest.current.onReady?.(api);
      })
      .catch((e: Error) => latest.current.onError?.(e));
    return () => {
      disposed = true;
      apiRef.current?.destroy();
      apiRef.current = null;
    };
    // Created once per mount: xml is the initial diagram only (see the props doc).
  }, []);

  useEffect(() => { apiRef.current?.setDepartments(departments); }, [departments]);
  useEffect(() => { apiRef.current?.setFields(fields); }, [fields]);

  return (
    <div className="lb-modeler">
      <div className="lb-modeler-canvas" ref={canvasRef} data-testid="modeler-canvas" />
      <div className="lb-modeler-panel" ref={panelRef} data-testid="modeler-panel" />
    </div>
  );
}
