import type { FlowSource } from './streamFlowFile.ts';

/** A bundled flow capture, and the manifests it was recorded against. */
interface FlowSample {
  file: string;
  title: string;
  /** The sample id of the manifests it matches in the app, when the app bundles them. */
  sampleId: string | undefined;
}

// Loaded only when picked: a lazy chunk each, never part of the main bundle.
const texts = import.meta.glob<string>('../../../../public/flows/*', { query: '?raw', import: 'default' });

const TITLES: Record<string, Omit<FlowSample, 'file'>> = {
  'demo.hubble.jsonl': { title: 'Demo flows (Hubble)', sampleId: 'demo' },
  'onlineboutique.calico.jsonl': {
    title: 'Online Boutique flows (Calico flow logs)',
    sampleId: 'onlineboutique',
  },
};

/** The flow samples in `public/flows/`, the demo's first. */
export const FLOW_SAMPLES: readonly FlowSample[] = Object.keys(texts)
  .map((path) => path.slice(path.lastIndexOf('/') + 1))
  .map((file) => ({ file, ...(TITLES[file] ?? { title: file, sampleId: undefined }) }))
  .sort(
    (a, b) => Number(b.sampleId === 'demo') - Number(a.sampleId === 'demo') || a.file.localeCompare(b.file),
  );

/** A sample's text as a file to stream like any other. */
export async function flowSampleSource(file: string): Promise<FlowSource> {
  const load = Object.entries(texts).find(([path]) => path.endsWith(`/${file}`))?.[1];
  if (!load) throw new Error(`no flow sample named ${file}`);
  return new File([await load()], file);
}
