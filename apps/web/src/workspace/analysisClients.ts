import { AnalysisClient } from './client.ts';

let client: AnalysisClient | undefined;
let layoutWorker: AnalysisClient | undefined;

/** The analysis worker (parse, analyse, explain), created on first use. */
export function analysisClient(): AnalysisClient {
  client ??= new AnalysisClient();
  return client;
}

/** A second worker for layout, so a slow layout never delays analysis or explanations. */
export function layoutClient(): AnalysisClient {
  layoutWorker ??= new AnalysisClient();
  return layoutWorker;
}
