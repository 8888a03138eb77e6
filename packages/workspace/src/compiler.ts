import type { Cluster } from '@netpol-atlas/evaluator';
import { ManifestCache, type ParseResult, parseFile, type SourceFile } from '@netpol-atlas/manifests';
import { type ResolvedOptions, sameParsing } from './options.ts';

/** A file's text and what parsing it gave. */
export interface FileParse {
  text: string;
  result: ParseResult;
}

/** Per path, the parse of the file's text at some revision. */
export type FileParses = ReadonlyMap<string, FileParse>;

/** What a fork's compiler reads from the revision it forked from. */
export interface CompilerSeed {
  /** The parse of every file (computed when asked for). */
  parses: () => FileParses | undefined;
  /** The cluster, when one was built (never builds it). */
  cluster: () => Cluster | undefined;
}

/**
 * What the revisions of one workspace share: the options, the incremental parse cache, the
 * latest parse of every file and the latest cluster built (the start of the next incremental
 * build). A fork gets its own, seeded from the revision it forked from.
 *
 * Only the head revision parses through the {@link ManifestCache}: its objects have live
 * positions that follow their document when an edit moves it, so parsing an older text through
 * it would move the head's objects back. Older revisions parse the files whose text the head
 * does not share with plain `parseFile`.
 */
export class Compiler {
  private cache: ManifestCache | undefined;
  /** The parse of each file's latest text parsed for a head revision. */
  private readonly latest: Map<string, FileParse>;
  /** The revision that is the head now: only it may use the cache. */
  head = 0;
  /** The last cluster built: the next build starts from it. */
  lastBuilt: Cluster | undefined;

  /** Where a fork finds what its compiler has not computed itself: the revision it forked from. */
  private seed: CompilerSeed | undefined;

  constructor(
    readonly options: ResolvedOptions,
    seed?: CompilerSeed,
  ) {
    this.latest = new Map();
    this.seed = seed;
  }

  /**
   * A compiler for other options. It keeps the parse cache and the latest parses when the new
   * options read text alike, and never the last cluster: a build under new options starts afresh.
   */
  reconfigured(options: ResolvedOptions): Compiler {
    const next = new Compiler(options);
    if (sameParsing(this.options.parse, options.parse)) {
      next.cache = this.cache;
      if (this.seed) next.seed = { parses: this.seed.parses, cluster: () => undefined };
      for (const [path, parse] of this.latest) next.latest.set(path, parse);
    }
    return next;
  }

  /** The cluster the next build may start from (the seed's when this compiler built none yet). */
  previousCluster(): Cluster | undefined {
    return this.lastBuilt ?? this.seed?.cluster();
  }

  /**
   * Parses the files of revision `revision`: a file whose text was parsed before keeps its
   * result (the same objects), any other is parsed, through the cache when `revision` is the head.
   */
  parse(revision: number, files: readonly SourceFile[]): Map<string, FileParse> {
    const head = revision === this.head;
    const seeded = this.seed?.parses();
    const out = new Map<string, FileParse>();
    for (const file of files) {
      const known = this.latest.get(file.path) ?? seeded?.get(file.path);
      let parse: FileParse;
      if (known?.text === file.text) parse = known;
      else if (head) {
        this.cache ??= new ManifestCache(this.options.parse);
        parse = { text: file.text, result: this.cache.parseFile(file) };
      } else parse = { text: file.text, result: parseFile(file, this.options.parse) };
      out.set(file.path, parse);
    }
    if (head) {
      this.latest.clear();
      for (const [path, parse] of out) this.latest.set(path, parse);
      this.cache?.retain(out.keys());
    }
    return out;
  }
}
