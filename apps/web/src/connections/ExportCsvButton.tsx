import './exportCsv.css';
import { useEffect, useRef, useState } from 'react';
import type { GraphFilters } from '../graph/index.ts';
import type { GraphModel } from '../model/index.ts';
import { downloadFile } from '../ui/index.ts';
import { type ConnectionSort, type ExportProgress, exportConnectionsCsv } from '../workspace/index.ts';
import { CONNECTION_COLUMNS } from './connectionRows.ts';

/** What the table shows, to export: its model, the graph's filters, its order and search. */
interface ExportCsvButtonProps {
  model: GraphModel | undefined;
  filters: GraphFilters;
  sort: ConnectionSort;
  query: string;
  /** False while the table waits for the rows of what it was asked for. */
  ready: boolean;
}

/**
 * Exports the table's rows as CSV. The worker writes the file slice by slice (a million rows take
 * seconds): meanwhile a progress bar says how far it is and the export can be cancelled.
 */
export function ExportCsvButton({ model, filters, sort, query, ready }: ExportCsvButtonProps) {
  const [progress, setProgress] = useState<ExportProgress>();
  const [note, setNote] = useState<string>();
  const running = useRef<AbortController | undefined>(undefined);
  // Leaving the table ends an export under way.
  useEffect(() => () => running.current?.abort(), []);

  const start = async () => {
    if (!model || running.current) return;
    const controller = new AbortController();
    running.current = controller;
    setNote(undefined);
    try {
      const file = await exportConnectionsCsv(
        model,
        { filters, sort, query, columns: CONNECTION_COLUMNS },
        // A bar only once there is more than one slice: a small table is exported at once.
        (at) => setProgress(at.done < at.rows ? at : undefined),
        controller.signal,
      );
      if (file) downloadFile('connections.csv', file, 'text/csv');
      else if (!controller.signal.aborted) setNote('The workspace changed during the export: export again.');
    } catch (error) {
      setNote(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running.current = undefined;
      setProgress(undefined);
    }
  };

  if (progress) {
    const percent = Math.floor((100 * progress.done) / progress.rows);
    return (
      <span className="export-progress">
        <progress
          max={progress.rows}
          value={progress.done}
          aria-label="Exporting CSV"
          aria-valuetext={`${percent}%`}
        />
        <span>
          {progress.done.toLocaleString('en')} of {progress.rows.toLocaleString('en')} rows
        </span>
        <button type="button" onClick={() => running.current?.abort()}>
          Cancel export
        </button>
      </span>
    );
  }
  return (
    <>
      {/* What is exported is what the filter asks for: wait for its rows. */}
      <button type="button" disabled={!ready || !model} onClick={() => void start()}>
        Export CSV
      </button>
      {note && (
        <span className="error" role="alert">
          {note}
        </span>
      )}
    </>
  );
}
