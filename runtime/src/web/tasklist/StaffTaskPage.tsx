/**
 * /tasks/:taskId — handle one task: the case (read-only form, materials, history, diagram)
 * and the completion panel. /cases/:id — the same case view without a task.
 */
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type Task } from '../api/index';
import { t } from '../i18n';
import { CaseEvaluation, loadCaseWithForm, type CaseWithForm } from '../case/index';
import { LoadState, Shell, useLoad, useSession } from '../shell/index';
import { CaseDetail } from './CaseDetail';
import { SuspendControls } from './SuspendControls';
import { CompletePanel } from './CompletePanel';
import { ReturnDialog } from './ReturnDialog';
import { TaskMoves } from './TaskMoves';
import { TaskCommentBox } from './TaskCommentBox';
import './tasklist.css';

interface TaskModel { task: Task; data: CaseWithForm }

async function loadTask(id: string): Promise<TaskModel> {
  const task = await api.task(id);
  if (!task) throw new Error('待办不存在，或不属于您所在的部门');
  return { task, data: await loadCaseWithForm(task.caseId) };
}

/** Keeps a loaded case replaceable (e.g. by its revealed version). */
function useCase(initial: CaseWithForm | undefined) {
  const [data, setData] = useState(initial);
  useEffect(() => setData(initial), [initial]);
  return [data, setData] as const;
}

export function StaffTaskPage() {
  const { taskId = '' } = useParams();
  const { me } = useSession();
  const navigate = useNavigate();
  const state = useLoad(() => loadTask(taskId), [taskId]);
  const [data, setData] = useCase(state.data?.data);
  const task = state.data?.task;
  const formSchema = task?.formKey ? data?.matter.forms.find((f) => f.key === task.formKey)?.schema : undefined;
  const open = task?.state === 'open' || task?.state === 'claimed';
  // a suspended case: nobody claims, completes or returns its tasks until it is resumed (the server
  // refuses them too), so the page says so at its top instead of offering them
  const suspended = data?.view.status === 'suspended';
  return (
    <Shell title={task ? `${task.name} · ${task.caseNo}` : undefined} wide>
      <p><Link to="/tasks">← {t('staff.backToTasks')}</Link></p>
      <LoadState state={state} />
      {task && data ? (
        <>
          {suspended ? <SuspendControls view={data.view} canAct={open} onChange={() => void loadCaseWithForm(data.view.id).then(setData, () => undefined)} /> : null}
          {/* the task's moves in one row, apart from the way back to the list */}
          <div className="lb-actions lb-task-toolbar">
            {task.kind === 'userTask' && open && !suspended ? (
              <ReturnDialog task={task} formSchema={data.schema} onDone={() => navigate('/tasks')} />
            ) : null}
            <TaskMoves task={task} username={me?.user.username ?? ''} departments={me?.user.departments ?? []} onMoved={state.reload} />
          </div>
          {suspended ? null : <CompletePanel task={task} username={me?.user.username ?? ''} formSchema={formSchema} onDone={() => navigate('/tasks')} onClaim={state.reload} />}
          {open ? <TaskCommentBox task={task} onAdded={state.reload} /> : null}
          <CaseDetail data={data} canReveal onChange={setData} canHold={open} showHold={!suspended} />
        </>
      ) : null}
    </Shell>
  );
}

export function StaffCasePage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const state = useLoad(() => loadCaseWithForm(id), [id]);
  const [data, setData] = useCase(state.data);
  return (
    <Shell title={data?.view.no ?? undefined} wide>
      <LoadState state={state} />
      {data ? <CaseDetail data={data} canReveal={!!me?.user.roles.includes('staff')} onChange={setData} canHold={!!me?.user.roles.includes('admin') || data.view.tasks.some((x) => (x.state === 'open' || x.state === 'claimed') && !!me?.user.departments.includes(x.department))} /> : null}
      {/* 现场评价: the window staff member who filed the case records the citizen's rating at the counter */}
      {data && data.view.channel === 'window' && data.view.filedBy?.username === me?.user.username ? <CaseEvaluation view={data.view} channel="window" /> : null}
    </Shell>
  );
}
