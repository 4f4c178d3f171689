/**
 * An error boundary around each field, section and help note of the form renderer: a component
 * that throws (a bad prop, unexpected data) replaces only its own cell by a short Chinese alert,
 * and the rest of the page keeps working.
 *
 *   <FieldBoundary label="出生日期"><DateInput … /></FieldBoundary>
 *   formComponents.FieldCell = withFieldBoundary(FieldCell)
 */
import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { useField } from '@formily/react';
import type { GeneralField } from '@formily/core';

export interface FieldBoundaryProps {
  /** What the field is called on the page (its title, else its path). */
  label?: string;
  children?: ReactNode;
}

interface FieldBoundaryState {
  error: Error | null;
}

/** The alert text for a field that failed to render. */
export function fieldFailureText(label: string | undefined, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `此字段无法显示：${label ? `「${label}」` : ''}${reason ? `（${reason.slice(0, 120)}）` : ''}，请刷新页面或联系管理员`;
}

export class FieldBoundary extends Component<FieldBoundaryProps, FieldBoundaryState> {
  override state: FieldBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): FieldBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`field "${this.props.label ?? ''}" failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return <div className="lb-field-failed lb-span-4" role="alert">{fieldFailureText(this.props.label, this.state.error)}</div>;
    }
    return this.props.children ?? null;
  }
}

/** Wraps a field-level component (decorator, section, note) in a FieldBoundary labelled by the field's title. */
export function withFieldBoundary<P extends object>(Inner: ComponentType<P>): ComponentType<P> {
  function Bounded(props: P) {
    const field = useField<GeneralField>();
    const title = field?.title;
    const label = typeof title === 'string' && title ? title : field?.path?.toString();
    return <FieldBoundary label={label}><Inner {...props} /></FieldBoundary>;
  }
  Bounded.displayName = `WithFieldBoundary(${Inner.displayName ?? Inner.name ?? 'Component'})`;
  return Bounded;
}
