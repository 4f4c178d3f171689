/** /my/cases/:id/print — the submitted application in the official table layout, for A4 printing. */
import { Link, useParams } from 'react-router-dom';
import { Button, Space } from 'antd';
import { FormRenderer } from '../forms/index';
import { t } from '../i18n';
import { loadCaseWithForm } from '../case/index';
import { LoadState, useLoad } from '../shell/index';
import '../shell/shell.css';
import './portal.css';

export function PrintPage() {
  const { id = '' } = useParams();
  const state = useLoad(() => loadCaseWithForm(id), [id]);
  const c = state.data;
  return (
    <main className="lb-print-page">
      <div className="lb-no-print lb-actions" style={{ padding: '12px 16px', margin: 0 }}>
        <Space wrap>
          <Button type="primary" onClick={() => window.print()} autoInsertSpace={false}>{t('common.print')}</Button>
          <Link to={`/my/cases/${id}`}>{t('common.back')}</Link>
          {c ? <span>{t('case.no')}：{c.view.no}</span> : null}
        </Space>
      </div>
      <LoadState state={state} />
      {c?.schema ? <FormRenderer schema={c.schema} value={c.view.data} readOnly /> : null}
    </main>
  );
}
