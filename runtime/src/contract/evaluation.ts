/**
 * 好差评 (国办发〔2019〕51号, docs/evaluation.md): an applicant rates a case once after it ends,
 * and optionally each linked item once, on five levels; a 差评 (不满意 or 非常不满意) opens
 * follow-up work: 整改 for the city admin and 回访 for the department, due in 5 working days.
 */

/** The five levels of the national rules, by score (5 = 非常满意 … 1 = 非常不满意). */
export const EVALUATION_LEVELS: Readonly<Record<1 | 2 | 3 | 4 | 5, string>> = {
  5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意',
};

/** A score at or below this is a 差评. */
export const POOR_SCORE = 2;

/** Working days the department has for the 回访 of a 差评. */
export const REVISIT_WORKDAYS = 5;

/** Where the rating was given (线上: portal and SMS link; 线下: at the window). */
export type EvaluationChannel = 'portal' | 'sms' | 'window';

/** The second-level indicators of the national rules: online (平台) and at the window (现场). */
export const EVALUATION_INDICATORS: Readonly<Record<'online' | 'window', readonly string[]>> = {
  online: ['办事效率', '办事指南精确度', '办事便捷度', '平台操作性'],
  window: ['服务效率', '服务水平', '服务态度'],
};

/** Reasons an applicant may tick with a 差评 (what went wrong). */
export const POOR_REASONS: readonly string[] = [
  '办理时间过长', '要求重复提交材料', '办事指南不清楚', '多次跑腿', '工作人员态度不好', '系统操作不便', '结果与预期不符', '其他',
];

/** `POST /cases/:id/evaluation` (and `POST /public/evaluation/:token`). */
export interface EvaluationBody {
  score: 1 | 2 | 3 | 4 | 5;
  /** Rate one linked item instead of the whole case (once per item, after it is done). */
  item?: string;
  /** Indicator → score 1..5 (names from `EVALUATION_INDICATORS`). */
  indicators?: Record<string, number>;
  /** With a 差评: from `POOR_REASONS`. */
  reasons?: string[];
  comment?: string;
  /** Window staff rating for a citizen at the counter: `window` (the default for them). */
  channel?: EvaluationChannel;
}

/** One follow-up of a 差评. */
export interface EvaluationFollowUp {
  kind: 'rectify' | 'revisit';
  /** 整改: `admin`; 回访: the department whose step was rated (or the last one that worked on the case). */
  department: string;
  state: 'open' | 'done';
  dueAt: string;
  doneAt?: string;
  doneBy?: string;
  note?: string;
}

/** A rating as staff and the applicant see it. */
export interface Evaluation {
  id: string;
  caseId: string;
  caseNo: string;
  matter: string;
  matterTitle: string;
  /** The linked item rated (none: the whole case). */
  item?: string;
  itemTitle?: string;
  score: number;
  level: string;
  indicators: Record<string, number>;
  reasons: string[];
  comment?: string;
  channel: EvaluationChannel;
  /** The department answerable for what was rated. */
  department: string;
  at: string;
  followUps: EvaluationFollowUp[];
}

/** `POST /evaluations/:id/follow-up` — record the 整改 or 回访 done. */
export interface FollowUpBody {
  kind: 'rectify' | 'revisit';
  note: string;
}

/** `GET /public/evaluation/:token`: what the SMS link shows before rating (nothing personal). */
export interface EvaluationInvite {
  caseNo: string;
  matterTitle: string;
  items: { key: string; title: string }[];
  /** Already rated: the case (and which items). */
  rated: { case: boolean; items: string[] };
}
