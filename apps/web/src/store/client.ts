import { AnalysisClient } from '../worker/client.ts';

let client: AnalysisClient | undefined;

/** The app's single analysis worker client, created on first use. */
export function analysisClient(): AnalysisClient {
  client ??= new AnalysisClient();
  return client;
}
