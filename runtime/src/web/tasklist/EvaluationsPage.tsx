/**
 * /evaluations — 好差评 for staff and the city admin: the ratings (the admin's whole city, staff
 * those their departments answer for), the national levels, and the follow-ups of each 差评 —
 * 整改 recorded by the admin, 回访 by the department, both due in 5 working days.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Checkbox, Input, Modal, Space, Table, Tag, Typography, message } from 'antd';
import { POOR_SCORE } from '@lianban/runtime/contract';
import { ApiError, evaluations, type Evaluation, type EvaluationFollowUp } from '../api/index';
import { departmentLabel, formatTime } from '../case/index';
import { t } from '../i18n';
import { LoadState, Shell, useLoad, useSession } from '../shell/index';

const KIND = { rectify: '整改', revisit: '回访' } as const;
const CHANNEL = { portal: '网上', sms: '短信', window: '窗口' } as const;

export function EvaluationsPage() {
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const [poor, setPoor] = useState(false);
  const state = useLoad(() => evaluations.list({ open, poor }), [open, poor]);
  const [recording, setRecording] = useState<{ e: Evaluation; f: EvaluationFollowUp }>();
  const [note, setNote] = useState('');
  const isAdmin = !!me?.user.roles.includes('admin');
  const mayRecord = (f: EvaluationFollowUp) => f.state === 'open' && (isAdmin || (f.kind === 'revisit' && !!me?.user.departments.includes(f.department)));

  const record = async () => {
    if (!recording) return;
    try {
      await evaluations.followUp(recording.e.id, { kind: recording.f.kind, note });
      message.success(`${KIND[recording.f.kind]}已记录`);
      setRecording(undefined);
      setNote('');
      state.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : '记录失败，请重试');
    }
  };

  return (
    <Shell title={t('nav.evaluations')} wide>
      <Card className="lb-section-card">
        <Space wrap style={{ marginBottom: 12 }}>
          <Checkbox checked={open} onChange={(e) => setOpen(e.target.checked)} data-testid="filter-open">只看待整改/回访</Checkbox>
          <Checkbox checked={poor} onChange={(e) => setPoor(e.target.checked)}>只看差评</Checkbox>
        </Space>
        <LoadState state={state} />
        <Table<Evaluation>
          rowKey="id" size="small" dataSource={state.data ?? []} pagination={{ pageSize: 20 }} data-testid="evaluations"
          columns={[
            { title: '办件编号', dataIndex: 'caseNo', render: (no: string, e) => <Link to={`/cases/${e.caseId}`}>{no}</Link> },
            { title: '事项', render: (_, e) => e.itemTitle ? `${e.matterTitle} · ${e.itemTitle}` : e.matterTitle },
            { title: '评价', dataIndex: 'level', render: (level: string, e) => <Tag color={e.score <= POOR_SCORE ? 'red' : e.score >= 4 ? 'green' : 'default'}>{level}</Tag> },
            { title: '渠道', dataIndex: 'channel', render: (c: Evaluation['channel']) => CHANNEL[c] },
            { title: '部门', dataIndex: 'department', render: (d: string) => departmentLabel(d) },
            { title: '原因与意见', render: (_, e) => <Typography.Text>{[...e.reasons, e.comment].filter(Boolean).join('；') || '—'}</Typography.Text> },
            { title: '时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
            {
              title: '整改 / 回访', render: (_, e) => e.followUps.length ? (
                <Space direction="vertical" size={4}>
                  {e.followUps.map((f) => (
                    <Space key={f.kind} wrap data-testid={`follow-up-${f.kind}`}>
                      <Tag color={f.state === 'done' ? 'green' : new Date(f.dueAt) < new Date() ? 'red' : 'orange'}>
                        {KIND[f.kind]}{f.state === 'done' ? '已完成' : `待完成（${formatTime(f.dueAt)} 前）`}
                      </Tag>
                      {f.state === 'done' ? <Typography.Text type="secondary">{f.note}</Typography.Text> : null}
                      {mayRecord(f) ? <Button size="small" onClick={() => setRecording({ e, f })}>记录{KIND[f.kind]}</Button> : null}
                    </Space>
                  ))}
                </Space>
              ) : '—',
            },
          ]}
        />
      </Card>
      <Modal open={!!recording} title={recording ? `记录${KIND[recording.f.kind]}：${recording.e.caseNo}` : ''} okText="保存" cancelText="取消"
        okButtonProps={{ disabled: !note.trim() }} onOk={() => void record()} onCancel={() => setRecording(undefined)}>
        <Input.TextArea rows={4} maxLength={1000} showCount value={note} onChange={(e) => setNote(e.target.value)}
          aria-label={recording?.f.kind === 'rectify' ? '整改情况' : '回访结果'} placeholder={recording?.f.kind === 'rectify' ? '整改情况' : '回访结果（如：已电话回访，申请人认可）'} />
      </Modal>
    </Shell>
  );
}
