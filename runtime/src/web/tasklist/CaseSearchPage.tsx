/**
 * /cases — 办件查询: a citizen at the window asks about their case; staff find it by the number on
 * the receipt, the ID card, or the applicant's name, among the cases they may see (their
 * departments', those they filed, those copied to them; the whole city for an administrator).
 * Without a query: the department's latest cases. The query is in the address (`?q=`), so the
 * browser's back button returns to the results.
 */
import { useSearchParams } from 'react-router-dom';
import { Alert, Card, Input, Space } from 'antd';
import { api, type CaseSummary } from '../api/index';
import { departmentLabel } from '../case/labels';
import { t, tf } from '../i18n';
import { LoadState, Shell, useLoad } from '../shell/index';
import { CaseTable } from './CaseTable';
import './tasklist.css';

/** The steps under way: 「一窗受理（综合受理窗口）」. */
function currentSteps(c: CaseSummary): string {
  const open = (c.tasks ?? []).filter((task) => task.state === 'open' || task.state === 'claimed');
  return open.map((task) => `${task.name}（${departmentLabel(task.department)}）`).join('；') || '—';
}

export function CaseSearchPage() {
  const [params, setParams] = useSearchParams();
  const query = params.get('q')?.trim() ?? '';
  const state = useLoad(() => api.cases(query ? { search: query, limit: 200 } : { limit: 50 }), [query]);
  const cases = state.data ?? [];
  return (
    <Shell title={t('search.title')} wide>
      <Card size="small" className="lb-section-card">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.Search
            key={query}
            defaultValue={query}
            allowClear
            enterButton={t('search.button')}
            placeholder={t('search.placeholder')}
            aria-label={t('search.placeholder')}
            style={{ maxWidth: 520 }}
            onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})}
          />
          <span className="lb-muted">{t('search.hint')}</span>
        </Space>
      </Card>
      {query && state.error
        ? <Alert type="warning" showIcon data-testid="search-error" message={state.error} />
        : <LoadState state={state} />}
      {!state.error && state.data && (
        <Card size="small" className="lb-section-card" title={query ? tf('search.found', { q: query, n: cases.length }) : t('search.latest')}>
          <CaseTable
            cases={cases}
            testId="case-search"
            timeTitle="提交时间"
            empty={query ? t('search.none') : undefined}
            extra={[{ title: '当前环节', key: 'steps', render: (_v: unknown, c: CaseSummary) => currentSteps(c) }]}
          />
        </Card>
      )}
    </Shell>
  );
}
