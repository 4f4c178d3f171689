/**
 * The design canvas: the form's sections and fields in the 4-column grid (`x-span`), each a
 * sortable card; sections and rows are drop containers. Drag ids: a field is its path joined
 * with '/', a container's drop zone is `container:<path>`.
 */
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, rectSortingStrategy, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { fieldType, orderedProperties, type FieldSchema } from '@lianban/runtime';
import { Tag } from 'antd';
import { childrenOf, isContainer, type NodePath } from '../model/form-document';

export const pathId = (path: NodePath) => path.join('/');
export const containerId = (path: NodePath) => `container:${path.join('/')}`;

interface Props {
  selected: NodePath | null;
  problemPaths: Set<string>;
  onSelect(path: NodePath): void;
}

function FieldCard({ path, node, ...props }: Props & { path: NodePath; node: FieldSchema }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: pathId(path) });
  const config = fieldType(node['x-field-type']);
  const container = isContainer(node);
  const span = container ? 4 : (node['x-span'] ?? config?.span ?? 1);
  const id = pathId(path);
  const isSelected = props.selected !== null && pathId(props.selected) === id;
  return (
    <div ref={setNodeRef} style={{ gridColumn: `span ${span}`, transform: CSS.Translate.toString(transform), transition, opacity: isDragging ? 0.4 : 1 }}
      className={`lb-fd-card${container ? ' is-container' : ''}${isSelected ? ' is-selected' : ''}${props.problemPaths.has(id) ? ' has-problem' : ''}`}
      data-path={id} onClick={(e) => { e.stopPropagation(); props.onSelect(path); }}>
      <div className="lb-fd-card-head" {...attributes} {...listeners}>
        <span className="lb-fd-card-title">{node.required ? <span className="lb-fd-required">*</span> : null}{node.title || path.at(-1)}</span>
        <span className="lb-fd-card-meta">
          {node['x-linked-item'] ? <Tag color="gold">关联事项</Tag> : null}
          {node['x-visible-when'] ? <Tag color="blue">条件显示</Tag> : null}
          {node['x-required-when'] ? <Tag color="volcano">条件必填</Tag> : null}
          {node['x-compute'] ? <Tag color="purple">自动计算</Tag> : null}
          {node['x-one-of'] ? <Tag color="cyan">必选其一</Tag> : null}
          {node['x-eligibility'] ? <Tag color="magenta">资格规则</Tag> : null}
          <Tag>{config?.label ?? node['x-field-type'] ?? '未知类型'}</Tag>
          <code>{path.at(-1)}</code>
        </span>
      </div>
      {container && <Container path={path} node={node} {...props} />}
      {!container && node.description ? <div className="lb-fd-card-help">{node.description}</div> : null}
    </div>
  );
}

/** A drop container (the form, a section, a rows field's columns) with its sortable children. */
export function Container({ path, node, ...props }: Props & { path: NodePath; node: FieldSchema }) {
  const { setNodeRef, isOver } = useDroppable({ id: containerId(path) });
  const children = orderedProperties(childrenOf(node));
  return (
    <SortableContext items={children.map(([k]) => pathId([...path, k]))} strategy={rectSortingStrategy}>
      <div ref={setNodeRef} className={`lb-fd-grid${isOver ? ' is-over' : ''}${path.length === 0 ? ' is-root' : ''}`} data-container={pathId(path)}>
        {children.map(([k, child]) => <FieldCard key={k} path={[...path, k]} node={child} {...props} />)}
        {children.length === 0 && <div className="lb-fd-empty">把左侧的字段拖到这里</div>}
      </div>
    </SortableContext>
  );
}
