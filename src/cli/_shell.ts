// Quoting for command lines the CLI prints (resume hints, the demo's echo), POSIX sh rules.

/**
 * `word` as one POSIX shell word: unchanged when it holds only safe characters, else in single
 * quotes, with embedded single quotes written as `'\''`.
 *
 * @param word Any text.
 * @returns Text a shell reads back as exactly `word`.
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
