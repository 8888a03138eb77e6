import { useEffect, useState } from 'react';
import { useDerived } from '../store/index.ts';
import { analysisClient } from './analysisClients.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

type Kind = 'findings' | 'whatIf';
type Body<K extends Kind> = Omit<Extract<WorkerRequest, { type: K }>, 'type' | 'generation'>;

/**
 * Asks the analysis worker a question about the current documents, again whenever they are
 * re-analysed; `key` changes when the question's own inputs change.
 */
export function useWorkerQuery<K extends Kind>(
  type: K,
  body: Body<K> | undefined,
  key: string,
): { reply: Extract<WorkerResponse, { type: K }> | undefined; loading: boolean; error: string | undefined } {
  const model = useDerived((d) => d.analysis.model);
  const [state, setState] = useState<{
    reply: Extract<WorkerResponse, { type: K }> | undefined;
    loading: boolean;
    error: string | undefined;
  }>({ reply: undefined, loading: false, error: undefined });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `body`; `model` re-asks after re-analysis
  useEffect(() => {
    if (!body || !model) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    analysisClient()
      .request(type, body)
      .then(
        (reply) => {
          if (live && reply)
            setState({
              reply: reply as Extract<WorkerResponse, { type: K }>,
              loading: false,
              error: undefined,
            });
        },
        (error: unknown) => {
          if (live) setState({ reply: undefined, loading: false, error: String(error) });
        },
      );
    return () => {
      live = false;
    };
  }, [type, key, model]);
  return state;
}
