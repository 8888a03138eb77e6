import { type RefObject, useEffect, useRef, useState } from 'react';
import './flows.css';
import { SAMPLES, selectSampleId, useStore } from '../store/index.ts';
import { FLOW_SAMPLES, flowSampleSource } from './flowSamples.ts';
import { selectFlowsReading } from './flowsSelectors.ts';
import { importFlows, useFlows } from './flowsStore.ts';

/** Which manifests a flow sample was recorded against, as its menu entry's tooltip says. */
function recordedAgainst(sampleId: string | undefined): string {
  const sample = SAMPLES.find((s) => s.id === sampleId);
  return sample
    ? `Recorded against the ${sample.title} sample (in Samples)`
    : 'Recorded against manifests the app does not bundle';
}

/** Streams picked or dropped flow files in, one after the other (the last one stays). */
export function importFlowFiles(files: readonly File[]): void {
  void (async () => {
    for (const file of files) await importFlows(file);
  })();
}

/** What "Import flows…" offers, as plain actions (for the toolbar's "More" menu). */
export function flowImportActions(pickFile: () => void): { label: string; run: () => void }[] {
  return [
    { label: 'Flows from a file (Hubble, Calico, CSV)…', run: pickFile },
    ...FLOW_SAMPLES.map((s) => ({
      label: `Flows sample: ${s.title}`,
      run: () => {
        void flowSampleSource(s.file).then(importFlows);
      },
    })),
  ];
}

/**
 * "Import flows…": a flow file from disk (Hubble JSON, Calico flow logs or CSV, up to 1 GB,
 * streamed) or one of the bundled samples, overlaid on the graph. `rootProps` marks it as a
 * toolbar unit that may leave for the "More" menu; `inputRef` lets that menu pick a file.
 */
export function ImportFlowsButton({
  rootProps,
  inputRef,
}: {
  rootProps?: Record<string, string | undefined>;
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  const [open, setOpen] = useState(false);
  const ownInput = useRef<HTMLInputElement>(null);
  const input = inputRef ?? ownInput;
  const menu = useRef<HTMLDivElement>(null);
  const sampleId = useStore(selectSampleId);
  const reading = useFlows(selectFlowsReading);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const run = (action: () => void) => {
    setOpen(false);
    action();
  };
  return (
    <div {...rootProps} className={`flows-menu ${rootProps?.className ?? ''}`} ref={menu}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={reading}
        title="Overlay observed traffic: Hubble, Calico flow logs or CSV"
        onClick={() => setOpen(!open)}
      >
        Import flows…
      </button>
      {open && (
        <div className="flows-menu-list" role="menu" aria-label="Import flows">
          <button type="button" role="menuitem" onClick={() => run(() => input.current?.click())}>
            From a file (Hubble, Calico, CSV)…
          </button>
          {FLOW_SAMPLES.map((s) => (
            <button
              key={s.file}
              type="button"
              role="menuitem"
              title={recordedAgainst(s.sampleId)}
              onClick={() =>
                run(() => {
                  void flowSampleSource(s.file).then(importFlows);
                })
              }
            >
              Sample: {s.title}
              {s.sampleId !== undefined && s.sampleId === sampleId ? ' (for this sample)' : ''}
            </button>
          ))}
        </div>
      )}
      <input
        ref={input}
        type="file"
        hidden
        accept=".json,.jsonl,.ndjson,.csv,.log,.txt"
        data-testid="import.flows"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          importFlowFiles(files);
        }}
      />
    </div>
  );
}
