// How the page exports the connections table: it asks the worker for the file a slice of rows at
// a time and only collects the slices (Blobs the worker wrote), so the page never holds the text
// and stays responsive however many rows there are. A model the worker did not send is written
// here by the same function, yielding between slices.

import { type GraphModel, revisionOf } from '../model/index.ts';
import { analysisClient } from './analysisClients.ts';
import { type ConnectionsCsvQuery, type CsvBlobSlice, connectionsCsvBlob } from './connectionsCsv.ts';
import { tableSourceOf } from './tableSource.ts';

/** Rows per slice: a few hundred milliseconds of the worker's time at most, even on a busy machine. */
const CSV_SLICE_ROWS = 50_000;

/** Where an export stands: `done` of `rows` records written. */
export interface ExportProgress {
  done: number;
  rows: number;
}

/**
 * The connections table of `model` as a CSV file, its rows as `query` orders them; undefined when
 * `signal` aborts it or the worker moves on to a newer model before it ends. `progress` hears of
 * every slice written.
 */
export async function exportConnectionsCsv(
  model: GraphModel,
  query: ConnectionsCsvQuery,
  progress: (at: ExportProgress) => void,
  signal: AbortSignal,
): Promise<Blob | undefined> {
  const revision = revisionOf(model);
  const slice =
    revision === undefined
      ? async (from: number): Promise<CsvBlobSlice> => {
          // On the page: let it paint and handle input between slices.
          if (from > 0) await new Promise((resolve) => setTimeout(resolve, 0));
          return connectionsCsvBlob(tableSourceOf(model), query, from, CSV_SLICE_ROWS);
        }
      : async (from: number): Promise<CsvBlobSlice | undefined> =>
          (
            await analysisClient().request('connectionsCsv', {
              revision,
              query,
              from,
              count: CSV_SLICE_ROWS,
            })
          )?.slice;
  const parts: Blob[] = [];
  let from = 0;
  for (;;) {
    const written = await slice(from);
    if (!written || signal.aborted) return undefined;
    parts.push(written.blob);
    from = written.end;
    progress({ done: from, rows: written.rows });
    if (from >= written.rows) return new Blob(parts, { type: 'text/csv' });
  }
}
