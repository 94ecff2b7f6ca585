// What the command-line tool needs from the outside world, as one injectable object: the real
// process (see _runtime.ts) or a fake in tests.

/** One output stream (stdout or stderr). */
export interface CliStream {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** True when the stream is an interactive terminal. */
  readonly isTTY: boolean;
  /** The terminal width in columns, when known. */
  readonly columns?: number | undefined;
}

/** The process environment the CLI runs in. */
export interface CliIo {
  /** Standard output: results (human text or JSON). */
  readonly stdout: CliStream;
  /** Standard error: progress, warnings and the one-line error. */
  readonly stderr: CliStream;
  /** Reads one environment variable; undefined when unset. */
  env(name: string): string | undefined;
  /** Calls `handler` on Ctrl-C (SIGINT); returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  /** The fetch used for Atlas requests; defaults to the global fetch. */
  readonly fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Milliseconds clock for elapsed times; defaults to `Date.now`. */
  readonly now?: (() => number) | undefined;
}
