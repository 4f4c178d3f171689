/**
 * Background work goes between requests (#24, latency). The statistics folder, the notification
 * dispatcher, the SMS sender and the scheduler's sweeps each run every few seconds; at 100 req/s a
 * burst of their round trips put a request's every hop (server → database → server, five or six
 * per submission) in a queue behind them, so the requests arriving at the start of a burst waited
 * for most of it (open-loop p99 100–300 ms against 40 ms without the jobs). Each job now awaits
 * `betweenRequests()` before each of its round trips or batches: it resolves at once when this
 * process is answering no request, else when the last one in progress is answered, or after
 * `maxWaitMs` at the latest — so a job is slowed by a busy process, never stopped by it.
 *
 *   server.ts:   requestStarted(); res.on('close', requestEnded);
 *   a job:       for (…) { await betweenRequests(); await oneRoundTrip(); }
 *
 * Per process: in a process that serves no HTTP (tests, the benchmarks' in-process folds) the gate
 * is always open.
 */

/** How long a job waits for a quiet moment at most (ms): at any load it still makes progress. */
export const MAX_WAIT_MS = 50;

let inFlight = 0;
const waiting = new Set<() => void>();

/** An HTTP request has started in this process. */
export function requestStarted(): void {
  inFlight++;
}

/** A request has been answered (or its connection closed). */
export function requestEnded(): void {
  inFlight = Math.max(0, inFlight - 1);
  if (inFlight === 0 && waiting.size) {
    const now = [...waiting];
    waiting.clear();
    for (const go of now) go();
  }
}

/** Resolves when no request is in progress in this process, or after `maxWaitMs`. */
export function betweenRequests(maxWaitMs = MAX_WAIT_MS): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const go = () => {
      clearTimeout(timer);
      waiting.delete(go);
      resolve();
    };
    const timer = setTimeout(go, maxWaitMs);
    waiting.add(go);
  });
}

/** Requests in progress (tests). */
export function requestsInFlight(): number {
  return inFlight;
}
