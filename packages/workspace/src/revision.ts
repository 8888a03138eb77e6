import {
  type Analysis,
  analyze,
  buildCluster,
  type Cluster,
  isFatal,
  isFatalUnder,
} from '@netpol-atlas/evaluator';
import type { Diagnostic, KubeObject, ParseResult, SourceFile } from '@netpol-atlas/manifests';
import { admittedObjects } from './admission.ts';
import type { Compiler, FileParse, FileParses } from './compiler.ts';

/** The validation diagnostics of one revision: the parser's, then the cluster build's. */
export interface Validation {
  revision: number;
  /** Diagnostics of reading and validating the documents. */
  parse: readonly Diagnostic[];
  /** Diagnostics of building the cluster (duplicates, unresolvable peers, tier ties...). */
  cluster: readonly Diagnostic[];
  /** `parse` then `cluster`. */
  all: readonly Diagnostic[];
  /**
   * True when a diagnostic makes the analysis untrustworthy (the evaluator's `isFatal`, under
   * the workspace's compat mode).
   */
  isFatal(diagnostic: Diagnostic): boolean;
  /** How many objects the admission rule left out of the cluster. */
  leftOut: number;
}

/**
 * Everything compiled for one revision of a workspace, each part computed on first use and then
 * kept: the parse, the admitted objects, the cluster, the analysis, and the answers derived from
 * them. Later revisions never change it, so an answer taken from it stays true of its revision.
 */
export class Revision {
  private fileParses: Map<string, FileParse> | undefined;
  private parsedResult: ParseResult | undefined;
  private admittedList: readonly KubeObject[] | undefined;
  private built: Cluster | undefined;
  private analysed: Analysis | undefined;
  private validation: Validation | undefined;
  private readonly answers = new Map<string, unknown>();

  constructor(
    /** The revision number: every answer names it. */
    readonly number: number,
    /** The documents, in order. */
    readonly files: readonly SourceFile[],
    private readonly compiler: Compiler,
  ) {}

  /** The parse of every file, by path (forks read the files they did not edit from it). */
  parses(): FileParses {
    this.fileParses ??= this.compiler.parse(this.number, this.files);
    return this.fileParses;
  }

  /** What the parser read, file by file in order. */
  parsed(): ParseResult {
    if (!this.parsedResult) {
      const parses = this.parses();
      const out: ParseResult = { objects: [], unanalysed: [], diagnostics: [] };
      for (const file of this.files) {
        const { result } = parses.get(file.path)!;
        out.objects.push(...result.objects);
        out.unanalysed.push(...result.unanalysed);
        out.diagnostics.push(...result.diagnostics);
      }
      this.parsedResult = out;
    }
    return this.parsedResult;
  }

  /** The objects the cluster is built from (see {@link Admission}). */
  admitted(): readonly KubeObject[] {
    if (!this.admittedList) {
      const { objects, diagnostics } = this.parsed();
      this.admittedList =
        this.compiler.options.admission === 'all'
          ? objects
          : admittedObjects(objects, diagnostics.filter(isFatal));
    }
    return this.admittedList;
  }

  /** The compiled cluster, built incrementally from the last one the workspace built. */
  cluster(): Cluster {
    if (!this.built) {
      const cluster = buildCluster(
        this.admitted(),
        this.compiler.options.cluster,
        this.compiler.previousCluster(),
      );
      this.compiler.lastBuilt = cluster;
      this.built = cluster;
    }
    return this.built;
  }

  /** The cluster if it was built already; never builds it. */
  peekCluster(): Cluster | undefined {
    return this.built;
  }

  /** The analysis if it was computed already; never computes it. */
  peekAnalysis(): Analysis | undefined {
    return this.analysed;
  }

  /** The connectivity of the cluster. */
  analysis(): Analysis {
    this.analysed ??= analyze(this.cluster());
    return this.analysed;
  }

  /** Parse and build diagnostics, with the fatality rule of the workspace's options. */
  diagnostics(): Validation {
    if (!this.validation) {
      const parse = this.parsed().diagnostics;
      const cluster = this.cluster().diagnostics;
      this.validation = {
        revision: this.number,
        parse,
        cluster,
        all: [...parse, ...cluster],
        isFatal: isFatalUnder(this.compiler.options.cluster),
        leftOut: this.parsed().objects.length - this.admitted().length,
      };
    }
    return this.validation;
  }

  /** The value kept under `key`, computed by `compute` the first time it is asked for. */
  memo<T>(key: string, compute: () => T): T {
    if (this.answers.has(key)) return this.answers.get(key) as T;
    const value = compute();
    this.answers.set(key, value);
    return value;
  }
}
