/**
 * `GET /admin/stats` (a city's figures), `GET /platform/stats` (every city's, for the province's
 * operators) and `GET /admin/stats.xlsx` (the same figures as a workbook). Definitions and
 * limits: docs/stats.md. Durations are milliseconds; dates are ISO strings.
 */

/** Counts by status (`CaseStatus` for cases, the item's own status for linked items). */
export type StatusCounts = Record<string, number>;

/** 好差评: how many evaluations, their average score (1–5, null without any) and how many gave each score. */
export interface EvaluationFigures {
  count: number;
  average: number | null;
  /** Evaluations by score: index 0 is score 1 … index 4 is score 5. */
  distribution: [number, number, number, number, number];
}

/** Handling time of finished tasks (opened → completed). */
export interface DurationFigures {
  count: number;
  medianMs: number;
  p90Ms: number;
}

export interface CaseStats {
  tenant: string;
  /** The period of submission the figures cover: [from, to). */
  from: string;
  to: string;
  matter: string | null;
  generatedAt: string;
  /**
   * Every case change up to this instant is in the figures (server-side rollups, docs/stats.md):
   * the request time, or — when more cases changed than a request folds itself — the rollups' watermark.
   */
  asOf?: string;
  /** Cases submitted in the period (收件). */
  received: number;
  byStatus: StatusCounts;
  byChannel: { online: number; window: number };
  byMatter: { key: string; title: string; received: number; byStatus: StatusCounts }[];
  /** Linked items (联办事项) of those cases by the item's status. */
  items: { key: string; title: string; department: string; total: number; byStatus: StatusCounts }[];
  /** Per step (BPMN element) of the departments' finished tasks. */
  steps: ({ elementId: string; name: string; department: string } & DurationFigures)[];
  /** Per department, all its finished tasks. */
  departments: ({ department: string } & DurationFigures)[];
  /** 补正: cases returned to the applicant for correction at least once, and their share of `received`. */
  corrections: { cases: number; rate: number | null };
  /**
   * Open department tasks now (not limited to the period; cases suspended or waiting for 补正
   * have their clock stopped and are left out): 超期 (due date passed) and 即将超期 (due within 24 h).
   */
  deadlines: { open: number; overdue: number; dueSoon: number; byDepartment: { department: string; open: number; overdue: number; dueSoon: number }[] };
  /** 承诺时限 of the open cases now, per matter (title): with a deadline, 即将超期, 超期, paused (补正, 挂起) — docs/deadlines.md. */
  caseDeadlines: { matter: string; withDeadline: number; soon: number; overdue: number; paused: number }[];
  /** 好差评 of the cases and of their linked items. */
  evaluations: {
    overall: EvaluationFigures;
    byMatter: ({ key: string; title: string } & EvaluationFigures)[];
    byItem: ({ key: string; title: string } & EvaluationFigures)[];
    /** By the department of the case's last department task. */
    byDepartment: ({ department: string } & EvaluationFigures)[];
  };
}

/** `GET /platform/stats`: the same figures for every city. */
export interface PlatformStats {
  from: string;
  to: string;
  generatedAt: string;
  cities: ({ name: string } & CaseStats)[];
}
