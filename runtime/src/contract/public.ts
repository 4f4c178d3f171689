/** What anyone may read: the server's health and the administrative divisions. */

/** `GET /health`. */
export interface Health {
  status: 'ok' | 'degraded';
  db: { mode: string; available: boolean; message?: string };
}

/** `GET /ready`: 200 `ready`, or 503 `not-ready` with why (Chinese). */
export interface Ready {
  status: 'ready' | 'not-ready';
  message?: string;
}

/** `GET /regions/:code/children`: one 街道 or 社区. */
export interface RegionNode { code: string; name: string }
