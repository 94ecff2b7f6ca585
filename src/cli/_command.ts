// From argv to one typed command: which operation, its input, and the output options. No
// request is made here; every usage error is found before any.

import { type FlagSpec, parseArgs, type ParsedArgs, suggest } from "./_args.ts";
import {
  groupOf,
  noExtraPositionals,
  type OperationOptions,
  options,
  providerOf,
  required,
  stringFlag,
} from "./_flags.ts";
import {
  type CommandSpec,
  CREATE,
  CREATE_GROUP,
  type ProviderArg,
  PROVIDERS,
  REF_COMMANDS,
  SIMULATE,
  TOP,
} from "./_specs.ts";
import { parseService, type ServiceCommand } from "./_service_command.ts";
import { SERVICE_ALIASES, SERVICE_COMMANDS, SERVICE_GROUP } from "./_service_specs.ts";
import { CliUsageError, shown } from "./_usage_error.ts";
import type { CreatePrivateEndpointInput, PrivateEndpointRef } from "../../mod.ts";

export type { OperationOptions } from "./_flags.ts";

/** A parsed command line. */
export type Command =
  | { readonly kind: "help"; readonly spec: CommandSpec }
  | { readonly kind: "version" }
  | (OperationOptions & {
    readonly kind: "create";
    readonly input: CreatePrivateEndpointInput;
    readonly wait: boolean;
  })
  | (OperationOptions & {
    readonly kind: "get" | "wait";
    readonly ref: PrivateEndpointRef;
    /** `wait`: every endpoint given (`ref` is the first). */
    readonly refs?: readonly PrivateEndpointRef[] | undefined;
  })
  | (OperationOptions & {
    readonly kind: "delete";
    readonly ref: PrivateEndpointRef;
    /** Wait until the endpoint is gone. */
    readonly wait: boolean;
  })
  | ServiceCommand
  | SimulateCommand;

/** `simulate`: serve the Atlas simulator on a loopback port. */
export interface SimulateCommand {
  readonly kind: "simulate";
  /** The port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** The simulator's `timeScale`. */
  readonly timeScale: number;
  /** The project's id, when given. */
  readonly groupId: string | undefined;
  /** Add one ready endpoint service per provider. */
  readonly seed: boolean;
  /** Print the settings as JSON. */
  readonly json: boolean;
}

/** Parses `name@ip` forwarding rules. */
function gcpEndpoints(list: readonly string[]): { endpointName: string; ipAddress: string }[] {
  return list.map((item) => {
    const at = item.lastIndexOf("@");
    const endpointName = item.slice(0, at).trim();
    const ipAddress = item.slice(at + 1).trim();
    if (at === -1 || endpointName === "" || ipAddress === "") {
      throw new CliUsageError(
        `--endpoint must be name@ip, e.g. atlas-psc-0@10.128.0.10 (got "${item}")`,
        "create gcp",
      );
    }
    return { endpointName, ipAddress };
  });
}

/** Every provider's create flags, one entry per name (aliases merged), to read any create line. */
const ALL_CREATE_FLAGS: readonly FlagSpec[] = (() => {
  const byName = new Map<string, FlagSpec>();
  for (const spec of PROVIDERS.map((p) => CREATE[p])) {
    for (const flag of spec.flags) {
      const known = byName.get(flag.name);
      const aliases = [...new Set([...(known?.aliases ?? []), ...(flag.aliases ?? [])])];
      byName.set(flag.name, { ...flag, aliases });
    }
  }
  return [...byName.values()];
})();

/** Refuses a flag that only another provider's create takes, naming that provider. */
function noForeignFlags(argv: readonly string[], spec: CommandSpec): void {
  let all: ParsedArgs;
  try {
    all = parseArgs(argv, ALL_CREATE_FLAGS, spec.name);
  } catch {
    return; // the provider's own parse says what is wrong
  }
  for (const name of all.flags.keys()) {
    if (spec.flags.some((f) => f.name === name)) continue;
    const owners = PROVIDERS.filter((p) => CREATE[p].flags.some((f) => f.name === name));
    throw new CliUsageError(
      `--${name} belongs to ${owners.map((p) => `create ${p}`).join(" and ")}, not ${spec.name}`,
      spec.name,
    );
  }
}

function parseCreate(argv: readonly string[], env: (name: string) => string | undefined): Command {
  // The provider normally follows `create`; a flag's value is never taken for it.
  const first = argv.findIndex((arg) => PROVIDERS.includes(arg.toLowerCase() as ProviderArg));
  if (first === -1) {
    const args = parseArgs(argv, ALL_CREATE_FLAGS, "create");
    if (args.flags.has("help")) return { kind: "help", spec: CREATE_GROUP };
    const typed = args.positionals[0];
    if (typed !== undefined) providerOf(typed, "create"); // throws: not a provider
    throw new CliUsageError("create needs a cloud provider: create <aws|azure|gcp>", "create");
  }
  const provider = providerOf(argv[first]!, "create");
  const spec = CREATE[provider.toLowerCase() as ProviderArg];
  const rest = [...argv.slice(0, first), ...argv.slice(first + 1)];
  noForeignFlags(rest, spec);
  const args = parseArgs(rest, spec.flags, spec.name);
  if (args.flags.has("help")) return { kind: "help", spec };
  noExtraPositionals(args.positionals, spec);
  const ref = {
    groupId: groupOf(args, spec, env),
    endpointServiceId: required(args, spec, "service"),
  };
  let input: CreatePrivateEndpointInput;
  if (provider === "AWS") {
    input = { ...ref, cloudProvider: "AWS", id: required(args, spec, "id") };
  } else if (provider === "AZURE") {
    input = {
      ...ref,
      cloudProvider: "AZURE",
      id: required(args, spec, "id"),
      privateEndpointIPAddress: required(args, spec, "ip"),
    };
  } else {
    const list = args.flags.get("endpoint");
    const endpoints = Array.isArray(list) ? gcpEndpoints(list) : undefined;
    // On a port-mapped service Atlas requires endpointGroupName but ignores it, and the one
    // rule's name is the id (the library refuses any other count of rules): default to it.
    const portMapped = args.flags.get("port-mapping") === true;
    const rule = portMapped ? endpoints?.[0]?.endpointName : undefined;
    input = {
      ...ref,
      cloudProvider: "GCP",
      endpointGroupName: rule !== undefined && stringFlag(args, "endpoint-group-name") === undefined
        ? rule
        : required(args, spec, "endpoint-group-name"),
      gcpProjectId: required(args, spec, "gcp-project-id"),
      ...(endpoints ? { endpoints } : {}),
      ...(portMapped ? { portMappingEnabled: true } : {}),
    };
  }
  return { kind: "create", input, wait: args.flags.get("wait") === true, ...options(args, spec) };
}

function parseRef(
  name: "get" | "wait" | "delete",
  argv: readonly string[],
  env: (name: string) => string | undefined,
): Command {
  const spec = REF_COMMANDS[name];
  const args = parseArgs(argv, spec.flags, name);
  if (args.flags.has("help")) return { kind: "help", spec };
  const positionals = [...args.positionals];
  const flagged = stringFlag(args, "provider");
  if (flagged !== undefined && positionals.length > 0) {
    throw new CliUsageError(
      `Give the cloud provider once: either as an argument or as --provider`,
      name,
    );
  }
  const providerText = flagged ?? positionals.shift();
  if (providerText === undefined) {
    throw new CliUsageError(
      `${name} needs a cloud provider: ${name} <aws|azure|gcp> (or --provider)`,
      name,
    );
  }
  const cloudProvider = providerOf(providerText, name);
  noExtraPositionals(positionals, spec);
  const service = {
    groupId: groupOf(args, spec, env),
    endpointServiceId: required(args, spec, "service"),
    cloudProvider,
  };
  const list = args.flags.get("endpoint");
  if (Array.isArray(list)) {
    // wait: several endpoints (a list flag), each once.
    const ids = list.filter((id) => id !== "");
    if (ids.length === 0) throw new CliUsageError(`${name} needs --endpoint <endpoint-id>`, name);
    const refs = [...new Set(ids)].map((endpointId) => ({ ...service, endpointId }));
    return { kind: "wait", ref: refs[0]!, refs, ...options(args, spec) };
  }
  const ref = { ...service, endpointId: required(args, spec, "endpoint") };
  if (name === "delete") {
    return { kind: name, ref, wait: args.flags.get("wait") === true, ...options(args, spec) };
  }
  return { kind: name, ref, ...options(args, spec) };
}

function parseSimulate(argv: readonly string[]): Command {
  const args = parseArgs(argv, SIMULATE.flags, SIMULATE.name);
  if (args.flags.has("help")) return { kind: "help", spec: SIMULATE };
  noExtraPositionals(args.positionals, SIMULATE);
  const portText = stringFlag(args, "port") ?? "0";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new CliUsageError(
      `--port must be a whole number from 0 to 65535 (got "${shown(portText)}")`,
      SIMULATE.name,
    );
  }
  const scaleText = stringFlag(args, "time-scale") ?? "1";
  const timeScale = Number(scaleText);
  if (scaleText === "" || !Number.isFinite(timeScale) || timeScale < 0) {
    throw new CliUsageError(
      `--time-scale must be a number of 0 or more, e.g. 0.01 (got "${shown(scaleText)}")`,
      SIMULATE.name,
    );
  }
  const groupId = stringFlag(args, "group");
  if (groupId !== undefined && !/^[0-9a-f]{24}$/.test(groupId)) {
    throw new CliUsageError(
      `--group must be 24 lowercase hexadecimal characters (got "${shown(groupId)}")`,
      SIMULATE.name,
    );
  }
  return {
    kind: "simulate",
    port,
    timeScale,
    groupId,
    seed: args.flags.get("seed") === true,
    json: args.flags.get("json") === true,
  };
}

const COMMANDS = ["create", "get", "wait", "delete", "service", "simulate", "help"];

/**
 * Parses a whole command line.
 *
 * @param argv The arguments after the program name.
 * @param env Reads an environment variable (for `MONGODB_ATLAS_PROJECT_ID`).
 * @returns The command to run.
 * @throws {CliUsageError} On any usage error.
 */
export function parseCommand(
  argv: readonly string[],
  env: (name: string) => string | undefined,
): Command {
  const index = argv.findIndex((arg) => !arg.startsWith("-"));
  if (index === -1) {
    const args = parseArgs(argv, TOP.flags);
    if (args.flags.has("version")) return { kind: "version" };
    return { kind: "help", spec: TOP };
  }
  const name = argv[index]!;
  const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
  switch (name) {
    case "create":
      return parseCreate(rest, env);
    case "get":
    case "wait":
    case "delete":
      return parseRef(name, rest, env);
    case "simulate":
      return parseSimulate(rest);
    case "service":
      return parseService(rest, env);
    case "help": {
      // `help`, `help create`, `help create aws`, `help get`
      const [topic, provider] = rest;
      if (topic === "create" && provider !== undefined) {
        return {
          kind: "help",
          spec: CREATE[providerOf(provider, "create").toLowerCase() as ProviderArg],
        };
      }
      if (topic === "create") return { kind: "help", spec: CREATE_GROUP };
      if (topic === "get" || topic === "wait" || topic === "delete") {
        return { kind: "help", spec: REF_COMMANDS[topic] };
      }
      if (topic === "simulate") return { kind: "help", spec: SIMULATE };
      if (topic === "service") {
        const verb = provider !== undefined && Object.hasOwn(SERVICE_ALIASES, provider)
          ? SERVICE_ALIASES[provider]!
          : provider ?? "";
        return {
          kind: "help",
          spec: Object.hasOwn(SERVICE_COMMANDS, verb)
            ? SERVICE_COMMANDS[verb as keyof typeof SERVICE_COMMANDS]
            : SERVICE_GROUP,
        };
      }
      return { kind: "help", spec: TOP };
    }
    default: {
      // A flag before the command that takes a value (none at the top level) is not a command.
      parseArgs(argv.slice(0, index), TOP.flags);
      const hint = suggest(name, COMMANDS);
      throw new CliUsageError(
        `Unknown command "${name}"${hint === undefined ? "" : ` (did you mean ${hint}?)`}`,
      );
    }
  }
}
