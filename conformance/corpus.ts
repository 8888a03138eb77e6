import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the netpol-analyzer corpus lives: ../shared beside the repository (read in place, never
 * copied), or NETPOL_CONFORMANCE_DIR.
 */
export const CORPUS_DIR =
  process.env.NETPOL_CONFORMANCE_DIR ??
  fileURLToPath(new URL('../../shared/conformance/netpol-analyzer/', import.meta.url));

export interface CorpusCase {
  name: string;
  command: 'list' | 'diff' | 'eval-connections-map' | 'list-from-parsed-resources' | 'list-fatal-error';
  inputDir: string | null;
  inputDir2?: string;
  flags: {
    outputFormat?: string;
    focusWorkload?: string[];
    focusWorkloadPeer?: string[];
    focusDirection?: string | null;
    focusConn?: string | null;
    exposure?: boolean;
    explain?: boolean;
    explainOnly?: 'allow' | 'deny' | null;
    refNames?: [string, string];
    cliArgs?: string[];
    allConnections?: boolean;
    protocol?: string | null;
    port?: string | null;
  };
  expectedOutput: string | null;
  expectedError?: { containsResolved?: string[] };
  categories: string[];
  plainNetworkPolicyOnly?: boolean;
  /** False for the case whose input directory deliberately does not exist. */
  inputPresent?: boolean;
}

/** The corpus index, or undefined when the corpus is not there. */
export function loadCases(): CorpusCase[] | undefined {
  const index = `${CORPUS_DIR}cases.json`;
  if (!existsSync(index)) return undefined;
  return (JSON.parse(readFileSync(index, 'utf8')) as { cases: CorpusCase[] }).cases;
}

/** Upstream compares outputs with every line break removed. */
export function normalise(text: string): string {
  return text.replace(/[\r\n]/g, '');
}
