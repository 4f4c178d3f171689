/**
 * The cards of a case that the applicant's page (portal/CasePage) and the staff's case detail
 * (tasklist/CaseDetail) share: the head (case number, status, … as each page lists them) and
 * the progress — linked items beside the history, then the flow diagram with the path taken.
 */
import { Fragment, type ReactNode } from 'react';
import { Card, Col, Row } from 'antd';
import type { CaseView } from '../api/index';
import { t } from '../i18n';
import { CaseTimeline, ItemsTable } from './CasePieces';
import { FlowDiagram } from './FlowDiagram';

/** One line of the case head: a label and its value (`testId` marks the value for tests). */
export interface CaseHeadRow { label: string; value: ReactNode; testId?: string }

/** The case head: its key facts as a list of label and value, with links or buttons below. */
export function CaseHead({ rows, children }: { rows: CaseHeadRow[]; children?: ReactNode }) {
  return (
    <Card className="lb-section-card" data-testid="case-head">
      <dl className="lb-kv">
        {rows.map((row) => (
          <Fragment key={row.label}>
            <dt>{row.label}</dt><dd data-testid={row.testId}>{row.value}</dd>
          </Fragment>
        ))}
      </dl>
      {children}
    </Card>
  );
}

/**
 * Where the case stands: the linked items (with `children` below them, e.g. the staff's list
 * of materials) beside the history, then the flow diagram.
 */
export function CaseProgress({ view, children }: { view: CaseView; children?: ReactNode }) {
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('case.items')} className="lb-section-card"><ItemsTable items={view.items} /></Card>
          {children}
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('case.timeline')} className="lb-section-card lb-timeline-card"><CaseTimeline entries={view.timeline} people={view.people} /></Card>
        </Col>
      </Row>
      <Card title={t('case.diagram')} className="lb-section-card"><FlowDiagram caseId={view.id} revision={view.timeline.length} /></Card>
    </>
  );
}
