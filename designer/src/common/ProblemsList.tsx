/** Publish problems `{element?, field?, message}` as a list; each one is a link to its culprit. */
import { Alert, Typography } from 'antd';
import type { PublishProblem } from '../api/client';

interface Props {
  problems: PublishProblem[];
  title?: string;
  onOpen(problem: PublishProblem): void;
  onClose?(): void;
}

export function ProblemsList({ problems, title, onOpen, onClose }: Props) {
  if (!problems.length) return null;
  return (
    <Alert type="error" showIcon closable={!!onClose} onClose={onClose} style={{ marginBottom: 12 }} data-testid="publish-problems"
      message={title ?? `发布前检查发现 ${problems.length} 个问题，点击问题可定位到流程环节或表单字段`}
      description={(
        <ol style={{ margin: 0, paddingLeft: 20 }}>
          {problems.map((p, i) => (
            <li key={i}>
              {p.element || p.field
                ? <Typography.Link onClick={() => onOpen(p)}>{p.message}</Typography.Link>
                : <span>{p.message}</span>}
              {p.element && <Typography.Text type="secondary">（流程环节 {p.element}）</Typography.Text>}
              {p.field && <Typography.Text type="secondary">（{p.field}）</Typography.Text>}
            </li>
          ))}
        </ol>
      )} />
  );
}
