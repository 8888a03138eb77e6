// Fault injection of the stub API server: the faults a test switches on (all off by default).
// The stub consults them where each one bites: authentication, lists, watches and access reviews.

/** Faults a test can switch on; all off by default. */
export interface StubFaults {
  /** Every request gets 401 (e.g. an expired token). */
  unauthorized: boolean;
  /** `verb:plural` (e.g. `list:networkpolicies`, `watch:pods`) answered with 403. */
  forbidden: Set<string>;
  /** Delay before any answer. */
  slowMs: number;
  /** The next N watches get an ERROR event with a 410 Status (as a compacted etcd does). */
  goneWatches: number;
  /** The next N watches get a plain HTTP 410 instead (as some API server versions do). */
  goneWatchesHttp: number;
  /** The next N requests with a `continue` token get 410 Expired, as after a compaction. */
  goneContinue: number;
  /** Every watch response holds its headers back (never opens). */
  hangWatches: boolean;
  /** Lists ignore `limit` when false (to send one big page). */
  paginate: boolean;
}

/** No faults: the stub answers like a healthy API server. */
export function noFaults(): StubFaults {
  return {
    unauthorized: false,
    forbidden: new Set(),
    slowMs: 0,
    goneWatches: 0,
    goneWatchesHttp: 0,
    goneContinue: 0,
    hangWatches: false,
    paginate: true,
  };
}
