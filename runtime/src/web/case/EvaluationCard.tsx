/**
 * 好差评 (docs/evaluation.md): after a case ends its applicant rates it — the whole case once and
 * each done linked item once — on the five national levels, with the indicators of the channel
 * and, for a 差评, what went wrong. Shared by the applicant's case page (`portal`), the SMS link
 * page (`sms`, no sign-in) and the window's case view (`window`: the citizen rates at the counter).
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Rate, Select, Space, Tag, Typography } from 'antd';
import { EVALUATION_INDICATORS, EVALUATION_LEVELS, POOR_REASONS, POOR_SCORE } from '@lianban/runtime/contract';
import { ApiError, evaluations, type CaseView, type Evaluation, type EvaluationBody } from '../api/index';
import { useLoad } from '../shell/index';
import { t } from '../i18n';

const LEVELS = [1, 2, 3, 4, 5].map((s) => EVALUATION_LEVELS[s as 1]);

export interface EvaluationTarget { key: string; title: string }

interface Props {
  channel: 'portal' | 'sms' | 'window';
  /** What may be rated: `case` (the whole case) and the done items not yet rated. */
  targets: EvaluationTarget[];
  /** Ratings given so far (shown read-only). */
  given: Evaluation[];
  submit: (body: EvaluationBody) => Promise<unknown>;
  onDone: () => void;
}

interface Values { target: string; score: number; indicators: Record<string, number>; reasons: string[]; comment?: string }

export function EvaluationCard({ channel, targets, given, submit, onDone }: Props) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [thanks, setThanks] = useState(false);
  const score = Form.useWatch('score', form) ?? 0;
  const indicators = channel === 'window' ? EVALUATION_INDICATORS.window : EVALUATION_INDICATORS.online;
  const poor = score > 0 && score <= POOR_SCORE;
  const initial = useMemo(() => ({ target: targets[0]?.key, score: 0, indicators: {}, reasons: [] }), [targets]);

  const send = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const marks = Object.fromEntries(Object.entries(v.indicators ?? {}).filter(([, n]) => n > 0));
      await submit({
        score: v.score as EvaluationBody['score'],
        ...(v.target && v.target !== 'case' ? { item: v.target } : {}),
        ...(Object.keys(marks).length ? { indicators: marks } : {}),
        ...(poor && v.reasons?.length ? { reasons: v.reasons } : {}),
        ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}),
      });
      setThanks(true);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('evaluation.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('evaluation.title')} className="lb-section-card" data-testid="evaluation">
      {given.map((g) => (
        <p key={g.id} data-testid="evaluation-given">
          <Space wrap>
            <span>{g.itemTitle ?? t('evaluation.wholeCase')}：</span>
            <Rate disabled value={g.score} count={5} aria-label={g.level} />
            <Tag color={g.score <= POOR_SCORE ? 'red' : 'green'}>{g.level}</Tag>
            {g.comment ? <Typography.Text type="secondary">{g.comment}</Typography.Text> : null}
          </Space>
        </p>
      ))}
      {thanks ? <Alert type="success" showIcon message={t('evaluation.thanks')} style={{ marginBottom: 12 }} /> : null}
      {targets.length ? (
        // remounted when what is left to rate changes: the picker never offers what was just rated
        <Form key={targets.map((x) => x.key).join()} form={form} layout="vertical" initialValues={initial} onFinish={(v) => void send(v)} requiredMark={false}>
          {channel === 'window' ? <Alert type="info" showIcon message={t('evaluation.window')} style={{ marginBottom: 12 }} /> : null}
          {targets.length > 1 ? (
            <Form.Item name="target" label={t('evaluation.target')}>
              <Select options={targets.map((x) => ({ value: x.key, label: x.title }))} style={{ maxWidth: 360 }} />
            </Form.Item>
          ) : null}
          <Form.Item name="score" label={t('evaluation.score')} rules={[{ validator: (_, v) => (v > 0 ? Promise.resolve() : Promise.reject(new Error(t('evaluation.pickScore')))) }]}
            extra={score ? <span data-testid="evaluation-level">{EVALUATION_LEVELS[score as 1]}</span> : null}>
            <Rate tooltips={LEVELS} count={5} aria-label={t('evaluation.score')} />
          </Form.Item>
          <Space wrap size="large">
            {indicators.map((name) => (
              <Form.Item key={name} name={['indicators', name]} label={name} style={{ marginBottom: 8 }}>
                <Rate count={5} tooltips={LEVELS} aria-label={name} style={{ fontSize: 16 }} />
              </Form.Item>
            ))}
          </Space>
          {poor ? (
            <Form.Item name="reasons" label={t('evaluation.reasons')}>
              <Checkbox.Group options={POOR_REASONS.map((r) => ({ value: r, label: r }))} />
            </Form.Item>
          ) : null}
          <Form.Item name="comment" label={poor ? t('evaluation.commentPoor') : t('evaluation.comment')}>
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
          {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
          <Button type="primary" htmlType="submit" loading={busy}>{t('evaluation.submit')}</Button>
        </Form>
      ) : given.length ? null : <Typography.Text type="secondary">{t('evaluation.notYet')}</Typography.Text>}
    </Card>
  );
}

/** What is left to rate: the whole case (if not rated) and the done items not rated. */
export function evaluationTargets(
  ended: boolean,
  items: { key: string; title: string; status: string }[],
  given: { item?: string }[],
): EvaluationTarget[] {
  const rated = new Set(given.map((g) => g.item ?? 'case'));
  const out: EvaluationTarget[] = !ended || rated.has('case') ? [] : [{ key: 'case', title: t('evaluation.wholeCase') }];
  for (const i of items) if (i.status === 'done' && !rated.has(i.key)) out.push({ key: i.key, title: i.title });
  return out;
}

/** The rating card of a case for its applicant (`portal`) or the window staff who filed it (`window`); nothing before anything can be rated. */
export function CaseEvaluation({ view, channel }: { view: Pick<CaseView, 'id' | 'status' | 'items'>; channel: 'portal' | 'window' }) {
  const ended = view.status === 'completed' || view.status === 'rejected';
  const state = useLoad(() => evaluations.ofCase(view.id), [view.id, view.status]);
  const given = state.data ?? [];
  const targets = evaluationTargets(ended, view.items ?? [], given);
  if (!state.data || (!targets.length && !given.length)) return null;
  return <EvaluationCard channel={channel} targets={targets} given={given} submit={(body) => evaluations.rate(view.id, body)} onDone={state.reload} />;
}
