/** What the CLI needs from its environment; tests pass an in-memory implementation. */
export interface CliIO {
  /**
   * Writes to standard output. A promise means the stream is full: wait for it before writing
   * more (backpressure), so a large output never piles up in memory.
   */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
  /** Reads standard input to the end. */
  readStdin(): Promise<string>;
  /** 'file', 'directory' or undefined when the path does not exist. */
  stat(path: string): 'file' | 'directory' | undefined;
  readFile(path: string): string;
  /** Entry names of a directory. */
  readDir(path: string): string[];
  writeFile(path: string, text: string): void;
  /** Creates (or empties) a file to be written piece by piece. */
  createFile(path: string): FileSink;
  /** Creates a directory and its missing parents (nothing when it exists). */
  makeDir(path: string): void;
  /** Joins path segments with the platform separator. */
  join(...parts: string[]): string;
  /**
   * `netpol ui`: serves the app until stopped, returning the exit code. Only a program that
   * bundles the proxy (the npm package) provides it.
   */
  serveUi?(argv: readonly string[]): Promise<number>;
}

/** A file being written piece by piece. */
export interface FileSink {
  write(text: string): void;
  close(): void;
}
