/**
 * Migration of running cases onto another version of their matter (issue #21, docs/migration.md):
 * `POST /admin/matters/:key/migration-preview` and `POST /admin/matters/:key/migrate` (admin of the city).
 */

/** The body of both: the versions, an optional mapping of renamed elements (old id → new id), the chosen cases. */
export interface MigrationRequest {
  from: number;
  to: number;
  mapping?: Record<string, string>;
  /** Only `/migrate`: the case ids to move (default: every running case of `from`). */
  cases?: string[];
}

/** Where a case stands on one version. */
export interface MigrationStand {
  elements: string[];
  tasks: { element: string; name?: string; kind: string; groups?: string[]; department?: string; dueAt?: string }[];
  timers: { element: string; dueAt?: string; attachedTo?: string }[];
  items: Record<string, string>;
}

export interface MigrationProblemView {
  /** no-counterpart, wait-kind-changed, scope-changed, join-cannot-fire, invalid-mapping, missing-field, not-active, case-suspended, form-missing */
  code: string;
  element?: string;
  message: string;
}

export interface MigrationPreviewCase {
  id: string;
  no: string | null;
  applicantName: string;
  status: string;
  before: MigrationStand;
  after: MigrationStand;
  problems: MigrationProblemView[];
}

/** `POST /admin/matters/:key/migration-preview`. */
export interface MigrationPreview {
  key: string;
  from: number;
  to: number;
  /** Running cases of `from` (at most `limit` listed). */
  total: number;
  cases: MigrationPreviewCase[];
  /** The BPMN XML of both versions' flows (the designer draws the preview on them). */
  diagrams: { from: string; to: string };
}

/** `POST /admin/matters/:key/migrate`. */
export interface MigrationResult {
  migrated: number;
  /** Ids of the cases moved. */
  ids: string[];
  skipped: { id: string; no?: string | null; reason: string }[];
}

/** `GET /admin/matters/:key/running`: running cases per version (publish-time impact). */
export interface RunningByVersion {
  key: string;
  latest: number | null;
  versions: { version: number; running: number }[];
}
