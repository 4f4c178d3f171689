/**
 * An error boundary around each field, section and help note of the form renderer: a component
 * that throws (a bad prop, unexpected data) replaces only its own cell by a short Chinese alert,
 * and the rest of the page keeps working.
 *
 *   <FieldBoundary label="出生日期"><DateInput … /></FieldBoundary>
 *   formComponents.FieldCell = withFieldBoundary(FieldCell)
 */
import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { FieldContext } from '@formily/react';
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

/** What stands in place of a field that failed to render. */
function FailedField({ label, error }: { label?: string; error: Error }) {
  return <div className="lb-field-failed lb-span-4" role="alert">{fieldFailureText(label, error)}</div>;
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
    if (this.state.error) return <FailedField label={this.props.label} error={this.state.error} />;
    return this.props.children ?? null;
  }
}

/** The field's title, else its path: what the alert names. */
function labelOf(field: GeneralField | null | undefined): string | undefined {
  const title = field?.title;
  return typeof title === 'string' && title ? title : field?.path?.toString();
}

/**
 * Wraps a field-level component (decorator, section, note) in an error boundary labelled by the
 * field's title. One class component per field, reading the field from formily's context only
 * when something failed (a wrapper component with a `useField` hook around a FieldBoundary cost
 * two extra components per field on every mount).
 */
export function withFieldBoundary<P extends object>(Inner: ComponentType<P>): ComponentType<P> {
  class Bounded extends Component<P, FieldBoundaryState> {
    static override contextType = FieldContext;
    static displayName = `WithFieldBoundary(${Inner.displayName ?? Inner.name ?? 'Component'})`;
    static getDerivedStateFromError = FieldBoundary.getDerivedStateFromError;
    override state: FieldBoundaryState = { error: null };

    override componentDidCatch(error: Error, info: ErrorInfo): void {
      console.error(`field "${labelOf(this.context as GeneralField | undefined) ?? ''}" failed to render`, error, info.componentStack);
    }

    override render(): ReactNode {
      if (this.state.error) return <FailedField label={labelOf(this.context as GeneralField | undefined)} error={this.state.error} />;
      return <Inner {...this.props} />;
    }
  }
  return Bounded;
}
