/** What anyone may read: the server's health, the administrative divisions and a case's public progress. */

/** `GET /health`. */
export interface Health {
  status: 'ok' | 'degraded';
  db: { mode: string; available: boolean; message?: string };
}

/** `GET /ready`: 200 `ready`, or 503 `not-ready` with why (Chinese). */
export interface Ready {
  status: 'ready' | 'not-ready';
  message?: string;
  /** When 统一身份认证 is configured: whether the identity platform's metadata could be read (it does not decide readiness). */
  oidc?: { available: boolean; message?: string };
}

/** `GET /regions/:code/children`: one 街道 or 社区. */
export interface RegionNode { code: string; name: string }

/**
 * `GET /public/progress?no=&id4=`: where a case stands, for anyone holding its number and the last
 * four characters of the applicant's ID number — nothing personal (no name, ID number or data).
 */
export interface PublicProgress {
  no: string;
  matterTitle: string;
  status: string;
  /** The status in words (已提交, 办理中, 已办结, …). */
  statusLabel: string;
  /** Dates only (China time, `YYYY-MM-DD`). */
  submittedOn: string | null;
  endedOn: string | null;
  items: { title: string; status: string; statusLabel: string }[];
}
