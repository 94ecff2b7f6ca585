// The real process behind the CLI, for Deno, Node and Bun, found through `globalThis` so that no
// runtime's type definitions (Deno's or @types/node) are needed to compile this file: the npm
// build type-checks it with `"types": []`.

import type { CliIo, CliStream } from "./_io.ts";

interface DenoWriter {
  writeSync(data: Uint8Array): number;
  isTerminal(): boolean;
}
interface DenoLike {
  readonly args: string[];
  readonly stdout: DenoWriter;
  readonly stderr: DenoWriter;
  readonly env: { get(name: string): string | undefined };
  consoleSize(): { columns: number; rows: number };
  addSignalListener(signal: "SIGINT", handler: () => void): void;
  removeSignalListener(signal: "SIGINT", handler: () => void): void;
  exit(code: number): never;
}
interface NodeWritable {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string, callback?: (error?: unknown) => void): boolean;
}
interface NodeProcessLike {
  readonly argv: string[];
  readonly env: Record<string, string | undefined>;
  readonly stdout: NodeWritable;
  readonly stderr: NodeWritable;
  on(signal: "SIGINT", handler: () => void): unknown;
  off(signal: "SIGINT", handler: () => void): unknown;
  exit(code: number): never;
}

/** The running process: its arguments, its I/O, and how to end it. */
export interface CliProcess {
  /** The command-line arguments after the program name. */
  readonly args: string[];
  /** Streams, environment and signals for {@linkcode runCli}. */
  readonly io: CliIo;
  /** Waits until everything written has been handed to the OS, then exits with `code`. */
  exit(code: number): Promise<never>;
}

const encoder = new TextEncoder();

function denoStream(deno: DenoLike, writer: DenoWriter): CliStream {
  const isTTY = writer.isTerminal();
  return {
    isTTY,
    get columns(): number | undefined {
      if (!isTTY) return undefined;
      try {
        return deno.consoleSize().columns || undefined; // 0 on some pseudo-terminals
      } catch {
        return undefined;
      }
    },
    write(text: string): void {
      let bytes = encoder.encode(text);
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writer.writeSync(bytes));
        } catch {
          return; // e.g. a closed pipe (`| head`): nothing more can be shown on this stream
        }
      }
    },
  };
}

function nodeStream(stream: NodeWritable): CliStream {
  return {
    isTTY: stream.isTTY === true,
    get columns(): number | undefined {
      return stream.isTTY === true ? stream.columns || undefined : undefined;
    },
    write(text: string): void {
      stream.write(text);
    },
  };
}

function flushNode(stream: NodeWritable): Promise<void> {
  return new Promise((resolve) => {
    try {
      stream.write("", () => resolve());
    } catch {
      resolve();
    }
  });
}

/**
 * Finds the current runtime (Deno first, since Deno also defines `process`; then Node or Bun).
 *
 * @returns The process, or throws when neither `Deno` nor `process` exists.
 */
export function currentProcess(): CliProcess {
  const g = globalThis as { Deno?: DenoLike; process?: NodeProcessLike };
  const deno = g.Deno;
  if (deno !== undefined && typeof deno.addSignalListener === "function") {
    return {
      args: [...deno.args],
      io: {
        stdout: denoStream(deno, deno.stdout),
        stderr: denoStream(deno, deno.stderr),
        env: (name) => {
          try {
            return deno.env.get(name);
          } catch {
            return undefined; // no --allow-env for this name
          }
        },
        onInterrupt(handler: () => void): () => void {
          deno.addSignalListener("SIGINT", handler);
          return () => deno.removeSignalListener("SIGINT", handler);
        },
      },
      exit: (code) => Promise.resolve(deno.exit(code)),
    };
  }
  const process = g.process;
  if (process !== undefined) {
    return {
      args: process.argv.slice(2),
      io: {
        stdout: nodeStream(process.stdout),
        stderr: nodeStream(process.stderr),
        env: (name) => process.env[name],
        onInterrupt(handler: () => void): () => void {
          process.on("SIGINT", handler);
          return () => process.off("SIGINT", handler);
        },
      },
      async exit(code: number): Promise<never> {
        await Promise.all([flushNode(process.stdout), flushNode(process.stderr)]);
        return process.exit(code);
      },
    };
  }
  throw new Error("Unsupported runtime: neither Deno nor process is defined");
}
