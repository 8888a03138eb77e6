import { AnalysisClient, layoutWorker } from './client.ts';

let client: AnalysisClient | undefined;
let layout: AnalysisClient | undefined;

/** The analysis worker (parse, analyse, explain), created on first use. */
export function analysisClient(): AnalysisClient {
  client ??= new AnalysisClient();
  return client;
}

/** A second worker for layout, so a slow layout never delays analysis or explanations. */
export function layoutClient(): AnalysisClient {
  layout ??= new AnalysisClient(layoutWorker);
  return layout;
}
