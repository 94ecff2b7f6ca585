// From the arguments after `service` to one typed service command. No request is made here.

import { parseArgs, suggest } from "./_args.ts";
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
  SERVICE_ALIASES,
  SERVICE_COMMANDS,
  SERVICE_GROUP,
  type ServiceVerb,
} from "./_service_specs.ts";
import type { CommandSpec } from "./_specs.ts";
import { CliUsageError } from "./_usage_error.ts";
import type {
  CloudProvider,
  CreateEndpointServiceInput,
  PrivateEndpointServiceRef,
} from "../../mod.ts";

/** A parsed `service` command line. */
export type ServiceCommand =
  & OperationOptions
  & (
    | {
      readonly kind: "service create" | "service ensure";
      readonly input: CreateEndpointServiceInput;
      /** `create --wait` (ensure always waits). */
      readonly wait: boolean;
    }
    | {
      readonly kind: "service list";
      readonly groupId: string;
      readonly cloudProvider: CloudProvider;
    }
    | {
      readonly kind: "service get" | "service wait" | "service endpoints" | "service delete";
      readonly ref: PrivateEndpointServiceRef;
      /** `delete --wait`: until it is gone. */
      readonly wait: boolean;
    }
  );

const VERBS = Object.keys(SERVICE_COMMANDS) as ServiceVerb[];

/**
 * Whether a parsed command is a `service` one.
 *
 * @param command A parsed command.
 * @returns True for `service <verb>`.
 */
export function isServiceCommand(command: { readonly kind: string }): command is ServiceCommand {
  return command.kind.startsWith("service ");
}

/** The verb typed, aliases resolved; a usage error with a hint for anything else. */
function verbOf(text: string | undefined): ServiceVerb {
  if (text === undefined) {
    throw new CliUsageError(`service needs a command: service <${VERBS.join("|")}>`, "service");
  }
  const verb = Object.hasOwn(SERVICE_ALIASES, text) ? SERVICE_ALIASES[text]! : text;
  if ((VERBS as string[]).includes(verb)) return verb as ServiceVerb;
  const hint = suggest(text, [...VERBS, ...Object.keys(SERVICE_ALIASES)]);
  throw new CliUsageError(
    `Unknown service command "${text}"${hint === undefined ? "" : ` (did you mean ${hint}?)`}`,
    "service",
  );
}

/** The service id: after the provider (as the Atlas CLI takes it) or as `--service`. */
function serviceId(args: ReturnType<typeof parseArgs>, rest: string[], spec: CommandSpec): string {
  const positional = rest.shift();
  if (positional !== undefined && stringFlag(args, "service") !== undefined) {
    throw new CliUsageError(
      "Give the service id once: either after the provider or as --service",
      spec.name,
    );
  }
  return positional?.trim() || required(args, spec, "service");
}

/**
 * Parses the arguments after `service`.
 *
 * @param argv The arguments after `service`.
 * @param env Reads an environment variable (for `MONGODB_ATLAS_PROJECT_ID`).
 * @returns The command, or help.
 * @throws {CliUsageError} On any usage error.
 */
export function parseService(
  argv: readonly string[],
  env: (name: string) => string | undefined,
): ServiceCommand | { readonly kind: "help"; readonly spec: CommandSpec } {
  const index = argv.findIndex((arg) => !arg.startsWith("-"));
  if (index === -1) {
    const args = parseArgs(argv, SERVICE_GROUP.flags, "service");
    if (args.flags.has("help")) return { kind: "help", spec: SERVICE_GROUP };
  }
  const verb = verbOf(argv[index]);
  const spec = SERVICE_COMMANDS[verb];
  const args = parseArgs(
    [...argv.slice(0, index), ...argv.slice(index + 1)],
    spec.flags,
    spec.name,
  );
  if (args.flags.has("help")) return { kind: "help", spec };
  const rest = [...args.positionals];
  const flagged = stringFlag(args, "provider");
  const providerText = flagged ?? rest.shift();
  if (providerText === undefined) {
    throw new CliUsageError(
      `${spec.name} needs a cloud provider: ${spec.name} <aws|azure|gcp> (or --provider)`,
      spec.name,
    );
  }
  const cloudProvider = providerOf(providerText, spec.name);
  const common = options(args, spec);
  if (verb === "create" || verb === "ensure") {
    noExtraPositionals(rest, spec);
    const remote = args.flags.get("remote-region");
    const portMapping = args.flags.get("port-mapping") === true;
    if (portMapping && cloudProvider !== "GCP") {
      throw new CliUsageError(`--port-mapping is for gcp only, not ${providerText}`, spec.name);
    }
    if (Array.isArray(remote) && cloudProvider !== "AWS") {
      throw new CliUsageError(`--remote-region is for aws only, not ${providerText}`, spec.name);
    }
    const input: CreateEndpointServiceInput = {
      groupId: groupOf(args, spec, env),
      cloudProvider,
      region: required(args, spec, "region"),
      ...(portMapping ? { portMappingEnabled: true } : {}),
      ...(Array.isArray(remote) ? { supportedRemoteRegions: remote } : {}),
    };
    return {
      kind: `service ${verb}`,
      input,
      wait: verb === "ensure" || args.flags.get("wait") === true,
      ...common,
    };
  }
  if (verb === "list") {
    noExtraPositionals(rest, spec);
    return { kind: "service list", groupId: groupOf(args, spec, env), cloudProvider, ...common };
  }
  const endpointServiceId = serviceId(args, rest, spec);
  noExtraPositionals(rest, spec);
  return {
    kind: `service ${verb}`,
    ref: { groupId: groupOf(args, spec, env), cloudProvider, endpointServiceId },
    wait: args.flags.get("wait") === true,
    ...common,
  };
}
