/** `/designer/matters`: the city's matters (一件事) with their published version. */
import { Alert, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { MatterSummary } from '../api/types';
import { useList } from '../admin/useList';
import { NewMatter } from './NewMatter';
import { DeriveFromTemplate } from './DeriveFromTemplate';
import { formatTime } from '@lianban/runtime/web';

export function MattersListPage() {
  const { data, error, loading } = useList<MatterSummary>('/admin/matters');
  return (
    <div>
      <Typography.Title level={3}>事项</Typography.Title>
      {!loading && <NewMatter taken={data.map((m) => m.key)} />}
      {!loading && <DeriveFromTemplate taken={data.map((m) => m.key)} />}
      {error && <Alert type="error" showIcon message={error} />}
      <Table<MatterSummary> rowKey="key" loading={loading} dataSource={data} pagination={false} columns={[
        { title: '事项名称', dataIndex: 'title', render: (t: string, m) => <Link to={`/matters/${m.key}`}>{t}</Link> },
        { title: '标识', dataIndex: 'key', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
        { title: '流程', dataIndex: 'flow', render: (f: string) => <Link to={`/flows/${f}`}>{f}</Link> },
        { title: '表单', dataIndex: 'forms', render: (fs: string[]) => fs.map((f) => <Link key={f} to={`/forms/${f}`} style={{ marginRight: 8 }}>{f}</Link>) },
        { title: '已发布版本', dataIndex: 'version', render: (v: number | null) => (v ? <Tag color="green">第 {v} 版</Tag> : <Tag>未发布</Tag>) },
        { title: '最近修改', dataIndex: 'updatedAt', render: (t: string, m) => `${formatTime(t)} ${m.updatedBy ?? ''}` },
      ]} />
    </div>
  );
}
