/**
 * The 「更多」 menu of a task the staff member holds: 转办, 委派, 加签, 抄送 (docs/office-moves.md),
 * each a dialog picking colleagues from `GET /staff`; and what the task is waiting for (a
 * delegate, added signers) or, for a 加签 sub-task, what it is for.
 */
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Dropdown, Form, Input, Modal, Radio, Select } from 'antd';
import { ApiError, moves, type CountersignMode, type StaffMember, type Task } from '../api/index';
import { countersignModeLabel, departmentLabel, outcomeLabel } from '../case/labels';

type Move = 'transfer' | 'delegate' | 'add-signers' | 'cc';

const TITLES: Record<Move, string> = { transfer: '转办', delegate: '委派', 'add-signers': '加签', cc: '抄送' };
const HINTS: Record<Move, string> = {
  transfer: '转办后由所选同事认领并办理，您不再经手。',
  delegate: '被委派人办理后，待办交回您确认办结。',
  'add-signers': '所选人员须审批同意；任一人不同意，待办退回您处理。',
  cc: '抄送对象可查看本办件（只读），并收到通知。',
};

interface Props { task: Task; username: string; departments: string[]; onMoved(): void }

/** Whether the task waits for someone else (a delegate, signers), and what to tell the holder. */
function waiting(task: Task, username: string): string | undefined {
  if (task.kind === 'countersign') return `加签审批：经办人请您审批「${task.name.replace(/^加签审批：/, '')}」，请在下方选择办理结论。`;
  if (task.delegation === 'pending') return task.owner === username ? `已委派给 ${task.assignee} 办理，办理后交回您。` : `${task.owner} 委派您办理此待办，办理后将交回委派人确认。`;
  if (task.delegation === 'resolved' && task.owner === username) return '被委派人已办理完毕，请确认并办结。';
  if (task.held) return '您已办理，正在等待加签人审批。';
  if (task.countersign) return `${countersignModeLabel(task.countersign.mode)}：${task.countersign.signers.join('、')}${task.countersign.mode === 'before' ? '，须等加签人审批同意后再办理' : ''}。`;
  return undefined;
}

export function TaskMoves({ task, username, departments, onMoved }: Props) {
  const { message } = AntApp.useApp();
  const [move, setMove] = useState<Move>();
  const note = waiting(task, username);
  const mine = task.state === 'claimed' && task.claimedBy === username;
  const free = task.kind !== 'countersign' && task.kind !== 'promise' && !task.countersign && !task.held && task.delegation !== 'pending';
  const canTransfer = free && (mine || task.state === 'open');
  const items = [
    { key: 'transfer', label: '转办', disabled: !canTransfer },
    { key: 'delegate', label: '委派', disabled: !(free && mine) },
    { key: 'add-signers', label: '加签', disabled: !(free && mine) },
    { key: 'cc', label: '抄送', disabled: !mine },
  ];
  if (task.state === 'done' || task.state === 'cancelled') return null;
  return (
    <div className="lb-task-moves" data-testid="task-moves">
      {note ? <Alert className="lb-task-waiting" type="info" showIcon message={note} data-testid="task-waiting" /> : null}
      <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => setMove(key as Move) }}>
        <Button data-testid="more-moves">更多 ▾</Button>
      </Dropdown>
      {move ? (
        <MoveDialog move={move} task={task} username={username} departments={departments}
          onClose={() => setMove(undefined)}
          onDone={(text) => { setMove(undefined); void message.success(text); onMoved(); }} />
      ) : null}
    </div>
  );
}

function MoveDialog({ move, task, username, departments, onClose, onDone }: { move: Move; task: Task; username: string; departments: string[]; onClose(): void; onDone(text: string): void }) {
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [users, setUsers] = useState<string[]>([]);
  const [ccDepartments, setCcDepartments] = useState<string[]>([]);
  const [mode, setMode] = useState<CountersignMode>('before');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const single = move === 'transfer' || move === 'delegate';
  useEffect(() => {
    // 转办/委派: colleagues of the task's department; 加签/抄送: the city's staff.
    moves.staff(single ? task.department : undefined).then((all) => setStaff(all.filter((s) => s.username !== username)), (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [single, task.department, username]);
  const allDepartments = [...new Set(staff.flatMap((s) => s.departments).concat(departments))];
  const submit = async () => {
    if (!users.length && !(move === 'cc' && ccDepartments.length)) { setError(single ? '请选择同事' : '请选择人员'); return; }
    setBusy(true);
    setError(undefined);
    try {
      const r = reason.trim() || undefined;
      if (move === 'transfer') await moves.transfer(task.id, { to: users[0]!, reason: r });
      else if (move === 'delegate') await moves.delegate(task.id, { to: users[0]!, reason: r });
      else if (move === 'add-signers') await moves.addSigners(task.id, { users, mode });
      else await moves.cc(task.id, { users, departments: ccDepartments });
      onDone(`${TITLES[move]}成功`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  const options = staff.map((s) => ({ value: s.username, label: `${s.name}（${s.username} · ${s.departments.map(departmentLabel).join('、')}）` }));
  return (
    <Modal open title={TITLES[move]} onCancel={onClose} onOk={() => void submit()} okText="确定" cancelText="取消" confirmLoading={busy} data-testid={`move-${move}`}>
      <p className="lb-muted">{HINTS[move]}</p>
      {error ? <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 12 }} /> : null}
      <Form layout="vertical">
        <Form.Item label={single ? '同事' : '人员'} required={move !== 'cc'}>
          <Select aria-label={single ? '同事' : '人员'} mode={single ? undefined : 'multiple'} showSearch optionFilterProp="label" options={options}
            value={single ? users[0] : users} onChange={(v: string | string[]) => setUsers(Array.isArray(v) ? v : v ? [v] : [])} placeholder="输入姓名或用户名查找" />
        </Form.Item>
        {move === 'cc' ? (
          <Form.Item label="部门">
            <Select aria-label="部门" mode="multiple" options={allDepartments.map((d) => ({ value: d, label: departmentLabel(d) }))} value={ccDepartments} onChange={setCcDepartments} />
          </Form.Item>
        ) : null}
        {move === 'add-signers' ? (
          <Form.Item label="加签方式">
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as CountersignMode)}>
              <Radio value="before">前加签（加签人先审批）</Radio>
              <Radio value="after">后加签（您办理后再由加签人审批）</Radio>
              <Radio value="parallel">并行加签（同时审批）</Radio>
            </Radio.Group>
          </Form.Item>
        ) : null}
        {single ? (
          <Form.Item label="说明（可选）">
            <Input.TextArea aria-label="说明" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

/** Claim or complete the selected tasks of the queue with one outcome; reports each failure. */
export function BatchBar({ selected, onDone }: { selected: Task[]; onDone(): void }) {
  const { message, modal } = AntApp.useApp();
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Only outcomes every selected task offers can be given to all of them.
  const common = selected.reduce<string[] | undefined>((acc, t) => (acc ? acc.filter((o) => (t.outcomes ?? []).includes(o)) : [...(t.outcomes ?? [])]), undefined) ?? [];
  const run = async (action: 'claim' | 'complete') => {
    if (action === 'complete' && common.length && !outcome) { void message.warning('请选择办理结论'); return; }
    setBusy(true);
    try {
      const { results } = await moves.batch({ action, ids: selected.slice(0, 50).map((t) => t.id), ...(action === 'complete' && outcome ? { outcome } : {}) });
      const failed = results.filter((r) => !r.ok);
      const verb = action === 'claim' ? '认领' : '办理';
      if (!failed.length) void message.success(`已${verb} ${results.length} 件`);
      else {
        const byId = new Map(selected.map((t) => [t.id, t]));
        modal.warning({
          title: `${results.length - failed.length} 件已${verb}，${failed.length} 件未成功`,
          content: <ul>{failed.map((f) => <li key={f.id}>{byId.get(f.id)?.caseNo ?? f.id}：{f.error?.message}</li>)}</ul>,
        });
      }
      onDone();
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  if (!selected.length) return null;
  return (
    <div className="lb-batch-bar" data-testid="batch-bar" role="region" aria-label="批量处理" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', margin: '8px 0' }}>
      <span>已选 {selected.length} 件{selected.length > 50 ? '（一次最多处理 50 件）' : ''}</span>
      <Button onClick={() => void run('claim')} loading={busy}>批量认领</Button>
      {common.length ? (
        <Select aria-label="办理结论" style={{ width: 200 }} placeholder="办理结论" value={outcome} onChange={setOutcome}
          options={common.map((o) => ({ value: o, label: outcomeLabel(o) }))} />
      ) : null}
      <Button type="primary" onClick={() => void run('complete')} loading={busy}>批量办理</Button>
    </div>
  );
}

