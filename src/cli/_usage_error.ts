// The error for bad command lines: unknown commands or flags, missing or invalid values.

/** A command line the CLI cannot run; exit code 2. The message never contains a flag's value. */
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
