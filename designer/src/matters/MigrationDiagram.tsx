/**
 * The migration preview on the diagrams (issue #21, docs/migration.md): the old version's flow
 * (where the cases stand now) above the new version's (where they would stand after), for one
 * case or all, problems in red; side by side or one at a time. A thin view over
 * `migrationMarks` (model/migration-marks.ts) drawn by migration-viewer.ts.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Segmented, Space, Spin, Typography } from 'antd';
import type { MigrationPreview } from '@lianban/runtime/contract';
import { migrationMarks, type MigrationMarks } from './model/migration-marks';
import type { MigrationView } from './migration-viewer';
import './migration.css';

type Layout = 'both' | 'before' | 'after';

export function MigrationDiagram({ preview, caseId, departments }: { preview: MigrationPreview; caseId: string | null; departments: Record<string, string> }) {
  const beforeRef = useRef<HTMLDivElement>(null);
  const afterRef = useRef<HTMLDivElement>(null);
  const [views, setViews] = useState<{ before: MigrationView; after: MigrationView } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [layout, setLayout] = useState<Layout>('both');

  useEffect(() => {
    let cancelled = false;
    let made: MigrationView[] = [];
    setViews(null); setError(null);
    (async () => {
      const { showMigrationDiagram } = await import('./migration-viewer');
      if (cancelled || !beforeRef.current || !afterRef.current) return;
      beforeRef.current.replaceChildren(); afterRef.current.replaceChildren();
      const [before, after] = await Promise.all([
        showMigrationDiagram(beforeRef.current, preview.diagrams.from, 'before'),
        showMigrationDiagram(afterRef.current, preview.diagrams.to, 'after'),
      ]);
      made = [before, after];
      if (cancelled) made.forEach((v) => v.destroy());
      else setViews({ before, after });
    })().catch((e: Error) => { if (!cancelled) setError(`流程图加载失败：${e.message}`); });
    return () => { cancelled = true; made.forEach((v) => v.destroy()); };
  }, [preview.diagrams.from, preview.diagrams.to]);

  const marks: MigrationMarks | null = useMemo(() => views && migrationMarks(preview, {
    caseId, departments, onBefore: (id) => views.before.has(id), onAfter: (id) => views.after.has(id),
  }), [views, preview, caseId, departments]);

  useEffect(() => {
    if (!views || !marks) return;
    const single = marks.cases === 1;
    views.before.show(marks.before, single);
    views.after.show(marks.after, single);
  }, [views, marks]);

  useEffect(() => { views?.before.fit(); views?.after.fit(); }, [views, layout]);

  const shown = caseId ? preview.cases.find((c) => c.id === caseId) : undefined;
  const problemLines = marks && views ? [
    ...Object.entries(marks.before).flatMap(([id, m]) => m.problems.map((p) => `第 ${preview.from} 版「${views.before.name(id)}」：${p}`)),
    ...Object.entries(marks.after).flatMap(([id, m]) => m.problems.map((p) => `第 ${preview.to} 版「${views.after.name(id)}」：${p}`)),
    ...marks.general,
  ] : [];

  return (
    <div className="lb-mig" data-testid="migration-diagram" data-state={views ? 'ready' : error ? 'error' : 'loading'} data-case={caseId ?? 'all'}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{shown ? `办件 ${shown.no ?? shown.id}（${shown.applicantName}）` : `全部 ${preview.cases.length} 件`}</Typography.Text>
        <Segmented<Layout> size="small" value={layout} onChange={setLayout} aria-label="流程图显示"
          options={[{ value: 'both', label: '前后对照' }, { value: 'before', label: `只看第 ${preview.from} 版` }, { value: 'after', label: `只看第 ${preview.to} 版` }]} />
      </Space>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <div className="lb-mig-pair">
        <figure className="lb-mig-side" hidden={layout === 'after'}>
          <figcaption>第 {preview.from} 版（现在）</figcaption>
          <div ref={beforeRef} className="lb-mig-canvas" data-side="before" role="img" aria-label={`第 ${preview.from} 版流程图：办件现在所在的环节`} />
        </figure>
        <div className="lb-mig-arrow" aria-hidden hidden={layout !== 'both'}>↓ 迁移</div>
        <figure className="lb-mig-side" hidden={layout === 'before'}>
          <figcaption>第 {preview.to} 版（迁移后）</figcaption>
          <div ref={afterRef} className="lb-mig-canvas" data-side="after" role="img" aria-label={`第 ${preview.to} 版流程图：迁移后所在的环节`} />
        </figure>
        {!views && !error && <Spin className="lb-mig-spin" />}
      </div>
      <div className="lb-mig-legend" aria-label="图例">
        <span><i className="lb-mig-swatch lb-mig-swatch-now" />办件现在所在的环节（原版本）</span>
        <span><i className="lb-mig-swatch lb-mig-swatch-after" />迁移后所在的环节（新版本）</span>
        <span><i className="lb-mig-swatch lb-mig-swatch-problem" />有问题的环节（办件不能迁移）</span>
        <span>{caseId ? '标签「现在」「迁移后」' : '标签「3 件」：停在该环节的办件数'}；鼠标移到标签上看环节、办理部门和问题。点表格中的一行只看该办件。</span>
      </div>
      {problemLines.length > 0 && (
        <ul className="lb-mig-problems" aria-label="问题">
          {problemLines.map((p, i) => <li key={i}>{p}</li>)}
        </ul>
      )}
    </div>
  );
}
