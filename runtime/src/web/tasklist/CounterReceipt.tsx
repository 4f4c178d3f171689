/**
 * /counter/:id/receipt — 受理回执: what the window hands the citizen on the spot, printed on A4
 * with the browser's print. Case number, matter, citizen, agent, the materials received, who
 * received them and when. (The signed PDF documents are another feature: GET /cases/:id/documents.)
 */
import { Link, useParams } from 'react-router-dom';
import { Button, Space } from 'antd';
import { materialNames } from '@lianban/runtime';
import { api, type CaseAttachment, type CaseView } from '../api/index';
import { formatTime, loadCaseWithForm } from '../case/index';
import { LoadState, useLoad, useSession } from '../shell/index';
import '../shell/shell.css';
import './counter.css';

async function loadReceipt(id: string): Promise<{ view: CaseView; files: CaseAttachment[]; names: Record<string, string> }> {
  // the form names the materials the files are
  const [{ view, schema }, files] = await Promise.all([loadCaseWithForm(id), api.caseAttachments(id)]);
  return { view, files, names: materialNames(schema) };
}

export function CounterReceipt() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const state = useLoad(() => loadReceipt(id), [id]);
  const c = state.data?.view;
  return (
    <main className="lb-receipt-page">
      <div className="lb-no-print lb-receipt-toolbar">
        <Space wrap>
          <Button type="primary" onClick={() => window.print()} autoInsertSpace={false}>打印回执</Button>
          <Link to="/counter">继续收件</Link>
          <Link to={`/cases/${id}`}>查看办件</Link>
          <Link to="/counter/cases">我受理的</Link>
        </Space>
      </div>
      <LoadState state={state} />
      {c ? (
        <article className="lb-receipt" aria-labelledby="lb-receipt-title">
          <h1 id="lb-receipt-title">{me?.tenant.name ?? ''}政务服务中心<br />受理回执</h1>
          <p className="lb-receipt-no">办件编号：<strong data-testid="receipt-no">{c.no}</strong></p>
          <table className="lb-receipt-table">
            <tbody>
              <tr><th scope="row">办理事项</th><td colSpan={3}>{c.matterTitle ?? c.matter}</td></tr>
              <tr><th scope="row">申请人</th><td>{c.onBehalfOf?.name ?? c.applicantName}</td><th scope="row">公民身份号码</th><td>{c.onBehalfOf?.idNumber ?? ''}</td></tr>
              <tr><th scope="row">联系电话</th><td colSpan={3}>{c.onBehalfOf?.phone ?? ''}</td></tr>
              {c.agent ? (
                <tr><th scope="row">代办人</th><td>{c.agent.name}（{c.agent.relation}）</td><th scope="row">公民身份号码</th><td>{c.agent.idNumber}</td></tr>
              ) : null}
              <tr><th scope="row">受理方式</th><td colSpan={3}>{c.channel === 'window' ? `窗口收件${c.agent ? '（帮办代办）' : '（本人办理）'}` : '网上申请'}</td></tr>
              <tr><th scope="row">联办事项</th><td colSpan={3}>{c.items.map((i) => i.title).join('、') || '—'}</td></tr>
              <tr>
                <th scope="row">收取材料</th>
                <td colSpan={3}>
                  {state.data!.files.length ? (
                    <ol className="lb-receipt-files">
                      {state.data!.files.map((f) => <li key={f.fileId}>{f.material && state.data!.names[f.material] ? `${state.data!.names[f.material]}：` : ''}{f.name}</li>)}
                    </ol>
                  ) : '—'}
                </td>
              </tr>
              <tr><th scope="row">受理时间</th><td>{formatTime(c.submittedAt)}</td><th scope="row">受理人</th><td>{c.filedBy?.name ?? c.filedBy?.username ?? ''}</td></tr>
            </tbody>
          </table>
          <p className="lb-receipt-note">
            您的申请已受理。各联办部门将依次办理，办理进度与结果将以短信及站内消息通知；
            凭本回执及办件编号可查询办理进度，使用本人身份证号码注册或登录后可在“我的办件”中查看。
          </p>
          <div className="lb-receipt-sign">
            <span>申请人（代办人）签字：</span>
            <span>窗口经办人签字：</span>
          </div>
        </article>
      ) : null}
    </main>
  );
}
