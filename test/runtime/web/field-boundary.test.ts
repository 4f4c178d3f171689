/**
 * Issue 17, finding 10: a field that fails to render must not blank the page. The unit project
 * has no DOM (React's error boundaries only run in a client render), so this checks the
 * boundary's two halves: React's hook turns the error into state, and that state renders the
 * Chinese alert in place of the field while a healthy field renders its children.
 */
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FieldBoundary, formComponents } from '@lianban/runtime/web';

describe('FieldBoundary (one failing field keeps the rest of the form)', () => {
  it('should render a healthy field unchanged', () => {
    expect(renderToStaticMarkup(createElement(FieldBoundary, { label: '姓名' }, createElement('input', { id: 'x' })))).toBe('<input id="x"/>');
  });

  it('should show in Chinese, as an alert, which field failed and why', () => {
    const boundary = new FieldBoundary({ label: '出生日期' });
    boundary.state = FieldBoundary.getDerivedStateFromError(new TypeError('format.split is not a function'));
    const html = renderToStaticMarkup(boundary.render() as ReactElement);
    expect(html).toContain('role="alert"');
    expect(html).toContain('此字段无法显示：「出生日期」（format.split is not a function）');
  });

  it('should wrap every field decorator, section and note of the renderer', () => {
    for (const name of ['FieldCell', 'RowCell', 'Section', 'HelpText'] as const) {
      expect((formComponents[name] as { displayName?: string }).displayName).toMatch(/^WithFieldBoundary\(/);
    }
  });

  it('should name the failing field by its title from formily, else by its path', () => {
    type Bounded = { new (props: object): { context: unknown; state: unknown; render(): unknown }; getDerivedStateFromError(e: unknown): unknown };
    const Cell = formComponents.FieldCell as unknown as Bounded;
    const failed = (field: unknown) => {
      const b = new Cell({});
      b.context = field;
      b.state = Cell.getDerivedStateFromError(new Error('boom'));
      return renderToStaticMarkup(b.render() as ReactElement);
    };
    expect(failed({ title: '出生日期', path: { toString: () => 'birthDate' } })).toContain('此字段无法显示：「出生日期」（boom）');
    expect(failed({ title: '', path: { toString: () => 'applicant.birthDate' } })).toContain('「applicant.birthDate」');
  });
});
