// A small command-line parser: `--flag value`, `--flag=value`, boolean flags, repeatable flags,
// `-h`, `--` and positionals; camelCase flags (`--gcpProjectId`, as the Atlas CLI spells them)
// are read as kebab-case. Unknown flags get a suggestion; flags that look like secrets are refused
// without echoing their value.

import { CliUsageError } from "./_usage_error.ts";

/** One flag a command accepts. */
export interface FlagSpec {
  /** The canonical name without dashes, kebab-case: `"gcp-project-id"`. */
  readonly name: string;
  /** Other accepted names (kebab-case, without dashes). */
  readonly aliases?: readonly string[];
  /** A one-letter short form, e.g. `"h"`. */
  readonly short?: string;
  /** `boolean` takes no value; `string` takes one; `list` may repeat (and splits on commas). */
  readonly kind: "boolean" | "string" | "list";
  /** The value's placeholder in help, e.g. `"<vpce-id>"`. */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
}

/** The parsed command line. */
export interface ParsedArgs {
  /** Flag values by canonical name: `true` for booleans, strings, or string arrays for lists. */
  readonly flags: ReadonlyMap<string, string | true | string[]>;
  /** The arguments that are not flags, in order. */
  readonly positionals: string[];
}

const SECRET_FLAG =
  /(^|-)(private|public)(-api)?-key$|^(api-?)?key$|secret|passw(or)?d|token|credential|^digest/;

/** Converts `gcpProjectId` to `gcp-project-id`. */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest of `candidates` to `word`, when it is close enough to be a likely typo.
 *
 * @param word What the user typed.
 * @param candidates The valid words.
 * @returns The suggestion, or undefined.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = candidate.startsWith(word) && word.length >= 3 ? 1 : distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = word.length <= 2 ? 0 : Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * True when a flag name looks like it carries an API key, password or token.
 *
 * @param name The flag name, without dashes, any case.
 * @returns Whether the CLI must refuse it.
 */
export function isSecretFlag(name: string): boolean {
  return SECRET_FLAG.test(kebab(name));
}

/**
 * Whether the boolean flag `--name` is on in `argv`, read as {@linkcode parseArgs} reads it
 * (`--name`, `--name=true`, `--name=false`, the last one wins, nothing after `--`), for use before
 * (or without) a successful parse, e.g. to answer a usage error in JSON.
 *
 * @param argv The arguments.
 * @param name The flag name, without dashes.
 * @returns Whether it is on.
 */
export function booleanFlag(argv: readonly string[], name: string): boolean {
  let on = false;
  for (const arg of argv) {
    if (arg === "--") break;
    if (arg === `--${name}` || arg === `--${name}=true`) on = true;
    else if (arg === `--${name}=false`) on = false;
  }
  return on;
}

/**
 * Parses `argv` against `specs`.
 *
 * @param argv The arguments (without the program and command names).
 * @param specs The accepted flags.
 * @param command The command name, for error messages and the help pointer.
 * @returns The flags and positionals.
 * @throws {CliUsageError} On an unknown, repeated or secret flag, or a missing value.
 */
export function parseArgs(
  argv: readonly string[],
  specs: readonly FlagSpec[],
  command?: string,
): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) {
    byName.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) byName.set(alias, spec);
    if (spec.short !== undefined) byName.set(`-${spec.short}`, spec);
  }
  const flags = new Map<string, string | true | string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = arg.indexOf("=");
    const rawName = eq === -1 ? arg.slice(long ? 2 : 1) : arg.slice(long ? 2 : 1, eq);
    const shown = `${long ? "--" : "-"}${rawName}`;
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const name = long ? kebab(rawName) : `-${rawName}`;
    const spec = byName.get(name);
    if (spec === undefined) {
      if (isSecretFlag(rawName)) {
        throw new CliUsageError(
          `${shown} is not accepted: API keys are read only from the environment ` +
            "(MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, or a service " +
            "account's MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET), " +
            "never from the command line",
          command,
        );
      }
      const names = specs.flatMap((s) => [s.name, ...(s.aliases ?? [])]);
      const hint = long ? suggest(name, names) : undefined;
      throw new CliUsageError(
        `Unknown flag ${shown}${hint === undefined ? "" : ` (did you mean --${hint}?)`}`,
        command,
      );
    }
    if (spec.kind === "boolean") {
      if (inline !== undefined && inline !== "true" && inline !== "false") {
        throw new CliUsageError(`--${spec.name} takes no value`, command);
      }
      if (inline === "false") flags.delete(spec.name);
      else flags.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new CliUsageError(`--${spec.name} needs a value ${spec.value ?? ""}`.trim(), command);
      }
      value = next;
      i++;
    }
    if (spec.kind === "list") {
      const list = flags.get(spec.name);
      const parts = value.split(",").map((part) => part.trim()).filter((part) => part !== "");
      flags.set(spec.name, [...(Array.isArray(list) ? list : []), ...parts]);
    } else if (flags.has(spec.name)) {
      throw new CliUsageError(`--${spec.name} is given more than once`, command);
    } else {
      flags.set(spec.name, value);
    }
  }
  return { flags, positionals };
}
