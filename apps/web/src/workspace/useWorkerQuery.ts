import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { selectAnalysisModel, useDerived } from '../store/index.ts';
import { analysisClient } from './analysisClients.ts';
import type { RequestBody } from './generationalClient.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { QueryRunner, type QueryState, type Question } from './queryRunner.ts';

const sameInputs = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * The one hook for asking a worker something: loading, error and stale state, stale replies
 * dropped. It asks again whenever one of `inputs` changes (compared by identity; pass the
 * question's own inputs, and the documents or model it depends on). Undefined `ask` asks nothing.
 */
export function useWorkerQuery<T>(
  ask: Question<T> | undefined,
  inputs: readonly unknown[],
  options: { debounceMs?: number } = {},
): QueryState<T> {
  const [runner] = useState(() => new QueryRunner<T>(options.debounceMs, ask !== undefined));
  const latest = useRef(ask);
  latest.current = ask;
  const askedWith = useRef<readonly unknown[] | undefined>(undefined);
  // Runs after every render and asks only when the inputs changed: `inputs` has no fixed length.
  useEffect(() => {
    const now = [latest.current !== undefined, ...inputs];
    if (askedWith.current && sameInputs(askedWith.current, now)) return;
    askedWith.current = now;
    runner.ask(latest.current);
  });
  useEffect(
    () => () => {
      // Unmounted (or StrictMode's rehearsal of it): the next mount asks afresh.
      askedWith.current = undefined;
      runner.dispose();
    },
    [runner],
  );
  return useSyncExternalStore(runner.subscribe, runner.get);
}

type Kind = 'findings' | 'whatIf' | 'explain' | 'adminDenials' | 'edgeTiers';
type Body<K extends Kind> = RequestBody<WorkerRequest, K>;

/**
 * Asks the analysis worker about the current analysis, again whenever the documents are
 * re-analysed; `key` stands for `body` (it changes when the question's own inputs change).
 */
export function useAnalysisQuery<K extends Kind>(
  type: K,
  body: Body<K> | undefined,
  key: string,
): QueryState<Extract<WorkerResponse, { type: K }>> {
  const model = useDerived(selectAnalysisModel);
  const ask =
    body && model
      ? () =>
          analysisClient().request(type, body) as Promise<Extract<WorkerResponse, { type: K }> | undefined>
      : undefined;
  return useWorkerQuery(ask, [type, key, model]);
}
