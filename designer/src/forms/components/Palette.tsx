/** The palette: our field types from the runtime's table (`fieldTypes()`), dragged onto the canvas or clicked to add. */
import { useDraggable } from '@dnd-kit/core';
import { fieldTypes, type FieldGroup, type FieldTypeConfig } from '@lianban/runtime';
import { Typography } from 'antd';

const GROUP_LABELS: Record<FieldGroup, string> = { input: '输入', choice: '选择', identity: '证件与联系方式', composite: '组合', layout: '布局' };

function PaletteItem({ type, onAdd }: { type: FieldTypeConfig; onAdd(type: string): void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `palette:${type.type}`, data: { paletteType: type.type } });
  return (
    <button type="button" ref={setNodeRef} {...attributes} {...listeners} className={`lb-fd-palette-item${isDragging ? ' is-dragging' : ''}`}
      onClick={() => onAdd(type.type)} title={`拖到表单中，或点击添加到所选分组：${type.label}`} data-type={type.type}>
      {type.label}
    </button>
  );
}

export function Palette({ onAdd }: { onAdd(type: string): void }) {
  const groups = new Map<FieldGroup, FieldTypeConfig[]>();
  for (const t of fieldTypes()) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  return (
    <div className="lb-fd-palette" data-testid="form-palette">
      {[...groups].map(([group, types]) => (
        <div key={group}>
          <Typography.Text type="secondary" className="lb-fd-palette-group">{GROUP_LABELS[group] ?? group}</Typography.Text>
          <div className="lb-fd-palette-grid">{types.map((t) => <PaletteItem key={t.type} type={t} onAdd={onAdd} />)}</div>
        </div>
      ))}
    </div>
  );
}
