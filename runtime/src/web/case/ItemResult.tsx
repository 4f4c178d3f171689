/** A linked item's declared result (办理结果), field by field, as the server formats it (`3,125.40 元`). */
import type { CaseItem } from '../api/index';

export function ItemResult({ item }: { item: Pick<CaseItem, 'key' | 'resultFields'> }) {
  if (!item.resultFields?.length) return null;
  return (
    <dl className="lb-item-result" data-testid={`item-result-${item.key}`}>
      {item.resultFields.map((f) => (
        <div key={f.key} className="lb-item-result-row" data-field={f.key}>
          <dt>{f.title}：</dt>
          <dd>{f.text}</dd>
        </div>
      ))}
    </dl>
  );
}
