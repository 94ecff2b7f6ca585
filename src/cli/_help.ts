// Help texts, built from the command specs: usage, options, environment, exit codes, examples.

import type { FlagSpec } from "./_args.ts";
import { EXIT, EXIT_CODE_TABLE } from "./_exit_codes.ts";
import {
  type CommandSpec,
  CREATE,
  PROGRAM,
  PROVIDERS,
  REF_COMMANDS,
  SIMULATE,
  TOP,
} from "./_specs.ts";
import { SERVICE_COMMANDS, SERVICE_GROUP } from "./_service_specs.ts";
import { VERSION } from "../../mod.ts";

function flagLabel(flag: FlagSpec): string {
  const short = flag.short === undefined ? "    " : `-${flag.short}, `;
  return `${short}--${flag.name}${flag.value === undefined ? "" : ` ${flag.value}`}`;
}

function table(rows: readonly (readonly [string, string])[], indent = "  "): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`).join("\n");
}

const ENVIRONMENT: readonly (readonly [string, string])[] = [
  ["MONGODB_ATLAS_CLIENT_ID", "service account client id (used first when both are set)"],
  ["MONGODB_ATLAS_CLIENT_SECRET", "service account client secret"],
  ["MONGODB_ATLAS_PUBLIC_API_KEY", "API public key (also read: MONGODB_ATLAS_PUBLIC_KEY)"],
  ["MONGODB_ATLAS_PRIVATE_API_KEY", "API private key (also read: MONGODB_ATLAS_PRIVATE_KEY)"],
  ["MONGODB_ATLAS_API_VERSION", "v1.0 (default) or 2023-01-01 (the v2 API); --api-version wins"],
  ["MONGODB_ATLAS_BASE_URL", "API base URL [default: https://cloud.mongodb.com/api/atlas/v1.0]"],
  ["MONGODB_ATLAS_PROJECT_ID", "default for --group"],
  ["NO_COLOR", "set to turn colors off"],
];

/** The simulator sends no request and serves until Ctrl-C: only these codes can end it. */
const SIMULATE_EXIT_CODES: readonly number[] = [EXIT.INTERNAL, EXIT.USAGE, EXIT.INTERRUPTED];

function exitCodes(spec: CommandSpec): typeof EXIT_CODE_TABLE {
  return spec === SIMULATE
    ? EXIT_CODE_TABLE.filter(([code]) => SIMULATE_EXIT_CODES.includes(code))
    : EXIT_CODE_TABLE;
}

function sections(spec: CommandSpec, extra: readonly string[]): string {
  const aliases = spec.flags.filter((f) => (f.aliases ?? []).length > 0).map((f) =>
    `--${f.name}: ${f.aliases!.map((a) => `--${a}`).join(", ")}`
  );
  const parts = [
    spec.description,
    `Usage:\n  ${PROGRAM} ${spec.usage}`,
    ...extra,
    `Options:\n${table(spec.flags.map((f) => [flagLabel(f), f.help]))}`,
    ...(aliases.length > 0 ? [`Aliases:\n  ${aliases.join("\n  ")}`] : []),
    `Examples:\n${
      spec.examples.map(([line, comment]) => `  # ${comment}\n  ${PROGRAM} ${line}`).join("\n")
    }`,
    // The simulator reads no environment: it serves its own keys.
    ...(spec === SIMULATE ? [] : [
      `Environment:\n${table(ENVIRONMENT)}\n  Credentials are never accepted on the command line.`,
    ]),
    `Exit codes:\n${table(exitCodes(spec).map(([code, text]) => [String(code), text]))}`,
  ];
  return `${parts.join("\n\n")}\n`;
}

/** One row per `service` command, with its provider argument. */
function serviceRows(): [string, string][] {
  return Object.values(SERVICE_COMMANDS).map((c) => [`${c.name} <provider>`, c.summary]);
}

/**
 * The help text of one command level.
 *
 * @param spec The command.
 * @returns The text, ending with a newline.
 */
export function helpText(spec: CommandSpec): string {
  if (spec === TOP) {
    const commands: [string, string][] = [
      ["create <provider>", "Create a private endpoint on an Atlas endpoint service (--wait)"],
      ...Object.values(REF_COMMANDS).map((
        c,
      ): [string, string] => [`${c.name} <provider>`, c.summary]),
      ...serviceRows(),
      [SIMULATE.name, SIMULATE.summary],
    ];
    return `${PROGRAM} ${VERSION}\n\n` +
      sections(spec, [
        `Commands:\n${
          table(commands)
        }\n\n  Run '${PROGRAM} <command> --help' for a command's options.`,
      ]);
  }
  if (spec === SERVICE_GROUP) {
    return sections(spec, [`Commands:\n${table(serviceRows())}`]);
  }
  if (spec.name === "create") {
    const providers = PROVIDERS.map((p): [string, string] => [`create ${p}`, CREATE[p].summary]);
    return sections(spec, [`Providers:\n${table(providers)}`]);
  }
  return sections(spec, []);
}
