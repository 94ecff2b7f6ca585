// The error for bad command lines: unknown commands or flags, missing or invalid values.

/**
 * A value the user typed (never a secret: secret-looking flags are refused unread), as quoted
 * back in a usage error: control characters shown as `?`, cut to 40 characters.
 *
 * @param value The value.
 * @returns The text to put between quotes.
 */
export function shown(value: string): string {
  const line = [...value].map((c) => (c < " " || c === "\x7f" ? "?" : c)).join("");
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

/**
 * A command line the CLI cannot run; exit code 2. The message never contains a secret; it may
 * quote a non-secret value (through {@linkcode shown}).
 */
export class CliUsageError extends Error {
  /** Always `"CliUsageError"`. */
  override readonly name: "CliUsageError" = "CliUsageError" as const;
  /** The command whose help explains the fix (e.g. `"create aws"`), or undefined for the top level. */
  readonly command: string | undefined;

  /**
   * @param message What is wrong, in sentence case, without the value of any flag.
   * @param command The command whose `--help` to point to.
   */
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
