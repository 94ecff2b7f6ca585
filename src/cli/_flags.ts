// Reading one command's flags: the provider, required values, the project (flag or
// environment), and the options every operation shares (output, time limits, API version).

import { type FlagSpec, type ParsedArgs, suggest } from "./_args.ts";
import { parseDuration } from "./_duration.ts";
import { PROJECT_ID_VAR } from "./_env.ts";
import { type CommandSpec, type ProviderArg, PROVIDERS } from "./_specs.ts";
import { CliUsageError, shown } from "./_usage_error.ts";
import type { CloudProvider } from "../../mod.ts";

/** Output and timing options shared by the operations. */
export interface OperationOptions {
  /** Machine output on stdout. */
  readonly json: boolean;
  /** The whole command's time limit, when given. */
  readonly timeoutMs: number | undefined;
  /** The polling interval while waiting, when given. */
  readonly pollIntervalMs: number | undefined;
  /** `--api-version`, when given (it wins over `MONGODB_ATLAS_API_VERSION`). */
  readonly apiVersion: string | undefined;
}

const API_PROVIDER: Readonly<Record<ProviderArg, CloudProvider>> = {
  aws: "AWS",
  azure: "AZURE",
  gcp: "GCP",
};

/** The API name of a provider typed on the command line; a usage error (with a hint) otherwise. */
export function providerOf(text: string, command: string): CloudProvider {
  const key = text.toLowerCase() as ProviderArg;
  if (PROVIDERS.includes(key)) return API_PROVIDER[key];
  const hint = suggest(key, PROVIDERS);
  throw new CliUsageError(
    `Unknown cloud provider "${text}": use aws, azure or gcp${
      hint === undefined ? "" : ` (did you mean ${hint}?)`
    }`,
    command,
  );
}

/** A string flag's value, trimmed; undefined when not given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (typeof value !== "string") return undefined;
  return value.trim();
}

/** A string flag that `spec` requires; a usage error naming it when missing or blank. */
export function required(args: ParsedArgs, spec: CommandSpec, name: string): string {
  const value = stringFlag(args, name);
  if (value === undefined || value === "") {
    const flag = spec.flags.find((f) => f.name === name) as FlagSpec;
    throw new CliUsageError(
      `${spec.name} needs --${name}${flag.value === undefined ? "" : ` ${flag.value}`}`,
      spec.name,
    );
  }
  return value;
}

/** `--group`, or `MONGODB_ATLAS_PROJECT_ID` when the flag is not given. */
export function groupOf(
  args: ParsedArgs,
  spec: CommandSpec,
  env: (name: string) => string | undefined,
): string {
  const fromEnv = env(PROJECT_ID_VAR)?.trim();
  if (stringFlag(args, "group") === undefined && fromEnv !== undefined && fromEnv !== "") {
    return fromEnv;
  }
  return required(args, spec, "group");
}

const API_VERSIONS = ["v1.0", "2023-01-01", "v2"];

/** {@linkcode parseDuration}, pointing a usage error to `spec`'s help. */
function duration(text: string, flag: string, spec: CommandSpec): number {
  try {
    return parseDuration(text, flag);
  } catch (error) {
    if (error instanceof CliUsageError) throw new CliUsageError(error.message, spec.name);
    throw error;
  }
}

/** The options every operation shares: `--json`, `--timeout`, `--poll-interval`, `--api-version`. */
export function options(args: ParsedArgs, spec: CommandSpec): OperationOptions {
  const timeout = stringFlag(args, "timeout");
  const poll = stringFlag(args, "poll-interval");
  const apiVersion = stringFlag(args, "api-version");
  if (apiVersion !== undefined && !API_VERSIONS.includes(apiVersion)) {
    throw new CliUsageError(
      `--api-version must be v1.0 or 2023-01-01 (v2) (got "${shown(apiVersion)}")`,
      spec.name,
    );
  }
  return {
    apiVersion,
    json: args.flags.get("json") === true,
    timeoutMs: timeout === undefined ? undefined : duration(timeout, "timeout", spec),
    pollIntervalMs: poll === undefined ? undefined : duration(poll, "poll-interval", spec),
  };
}

/** A usage error for the first positional argument left over, if any. */
export function noExtraPositionals(positionals: readonly string[], spec: CommandSpec): void {
  if (positionals.length > 0) {
    throw new CliUsageError(`Unexpected argument "${positionals[0]}" for ${spec.name}`, spec.name);
  }
}
