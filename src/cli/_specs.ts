// What each command accepts: flags, a summary and examples, for parsing and for help.

import type { FlagSpec } from "./_args.ts";

/** The program name, as installed by npm (`bin`). */
export const PROGRAM = "atlas-private-endpoint";

/** A cloud provider as typed on the command line. */
export type ProviderArg = "aws" | "azure" | "gcp";
/** The providers, in help order. */
export const PROVIDERS: readonly ProviderArg[] = ["aws", "azure", "gcp"];

/** One command's description. */
export interface CommandSpec {
  /** E.g. `"create aws"`, `"get"`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Longer text under the usage line. */
  readonly description: string;
  /** The usage line after the program name. */
  readonly usage: string;
  /** Accepted flags. */
  readonly flags: readonly FlagSpec[];
  /** Example command lines (after the program name), each with a comment. */
  readonly examples: readonly (readonly [string, string])[];
}

/** The shared `help` flag. */
export const HELP: FlagSpec = { name: "help", short: "h", kind: "boolean", help: "Show this help" };
/** The shared `json` flag. */
export const JSON_FLAG: FlagSpec = {
  name: "json",
  kind: "boolean",
  help: "Print the result as JSON (progress and errors go to stderr)",
};
/** The shared `group` flag. */
export const GROUP: FlagSpec = {
  name: "group",
  aliases: ["group-id", "project", "project-id"],
  kind: "string",
  value: "<project-id>",
  help: "Atlas project (group) id [default: $MONGODB_ATLAS_PROJECT_ID]",
};
/** The shared `service` flag. */
export const SERVICE: FlagSpec = {
  name: "service",
  aliases: ["service-id", "endpoint-service", "endpoint-service-id"],
  kind: "string",
  value: "<service-id>",
  help: "Atlas endpoint service id, 24 hex characters",
};
/** The shared `timeout` flag. */
export const TIMEOUT: FlagSpec = {
  name: "timeout",
  kind: "string",
  value: "<duration>",
  help: "Time limit: 90s, 30m, 1h30m, or seconds [default: 1h waiting, else 2m]",
};
/** The shared `poll-interval` flag. */
export const POLL: FlagSpec = {
  name: "poll-interval",
  kind: "string",
  value: "<duration>",
  help: "First pause between polls, backing off to 1m [default: 5s]",
};
/** The shared `api-version` flag. */
export const API_VERSION: FlagSpec = {
  name: "api-version",
  kind: "string",
  value: "<version>",
  help: "v1.0 or 2023-01-01 (v2); wins over $MONGODB_ATLAS_API_VERSION [default: v1.0]",
};
const WAIT: FlagSpec = {
  name: "wait",
  kind: "boolean",
  help: "Wait until it is AVAILABLE or has failed, showing progress",
};
/** `--wait` of the delete commands: until it is gone. */
export const WAIT_GONE: FlagSpec = {
  name: "wait",
  kind: "boolean",
  help: "Wait until it is gone (Atlas answers 404; one gone already is not an error)",
};
/** The shared `provider` flag. */
export const PROVIDER: FlagSpec = {
  name: "provider",
  aliases: ["cloud-provider"],
  kind: "string",
  value: "<aws|azure|gcp>",
  help: "Cloud provider (or give it as the first argument)",
};
const ENDPOINT_ID: FlagSpec = {
  name: "endpoint",
  aliases: ["endpoint-id", "id"],
  kind: "string",
  value: "<endpoint-id>",
  help:
    "AWS: the vpce id; Azure: the resource id; GCP: the endpoint group name (port-mapped: the forwarding rule's)",
};

const ENDPOINT_IDS: FlagSpec = {
  ...ENDPOINT_ID,
  kind: "list",
  help: ENDPOINT_ID.help + "; repeat it to wait for several",
};

/** `--json` of `create`: the endpoint, and whether this run created it. */
const CREATE_JSON: FlagSpec = {
  ...JSON_FLAG,
  help: 'Print the endpoint as JSON, with "outcome": "created" or "reused" (it existed already)',
};

/** A project id for examples. */
export const G = "5f4b0c1d2e3f4a5b6c7d8e9f";
/** A service id for examples. */
export const S = "6a1b2c3d4e5f6a7b8c9d0e1f";
const AZ_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe-atlas";

const AWS: CommandSpec = {
  name: "create aws",
  summary: "Create an AWS PrivateLink interface endpoint connection",
  description:
    "Registers the interface endpoint you created in your VPC (vpce-...) with an Atlas endpoint\n" +
    "service. Atlas then accepts it: PENDING_ACCEPTANCE, PENDING, then AVAILABLE (or REJECTED).",
  usage:
    "create aws --group <project-id> --service <service-id> --id <vpce-id>\n      [--wait] [--json]",
  flags: [
    GROUP,
    SERVICE,
    {
      name: "id",
      aliases: ["private-endpoint-id", "vpce-id"],
      kind: "string",
      value: "<vpce-id>",
      help: "The interface endpoint id in your VPC, e.g. vpce-0123456789abcdef0",
    },
    WAIT,
    TIMEOUT,
    POLL,
    API_VERSION,
    CREATE_JSON,
    HELP,
  ],
  examples: [
    [
      `create aws --group ${G} \\\n      --service ${S} --id vpce-0123456789abcdef0 --wait`,
      "create, wait",
    ],
    [
      `create aws --group ${G} \\\n      --service ${S} --id vpce-0123456789abcdef0 --json`,
      "create, print JSON, do not wait",
    ],
  ],
};

const AZURE: CommandSpec = {
  name: "create azure",
  summary: "Create an Azure Private Link private endpoint connection",
  description:
    "Registers the private endpoint you created in your VNet with an Atlas endpoint service.\n" +
    "Atlas then moves it from INITIATING to AVAILABLE (or FAILED).",
  usage:
    "create azure --group <project-id> --service <service-id>\n      --id <resource-id> --ip <address> [--wait] [--json]",
  flags: [
    GROUP,
    SERVICE,
    {
      name: "id",
      aliases: ["private-endpoint-id", "resource-id"],
      kind: "string",
      value: "<resource-id>",
      help: "Resource id: /subscriptions/.../privateEndpoints/<name>",
    },
    {
      name: "ip",
      aliases: ["private-endpoint-ip-address", "private-endpoint-ip"],
      kind: "string",
      value: "<address>",
      help: "The private endpoint's IP address in your VNet",
    },
    WAIT,
    TIMEOUT,
    POLL,
    API_VERSION,
    CREATE_JSON,
    HELP,
  ],
  examples: [
    [
      `create azure --group ${G} --service ${S} \\\n      --id ${AZ_ID} \\\n      --ip 10.0.0.4 --wait`,
      "create, wait",
    ],
  ],
};

const GCP: CommandSpec = {
  name: "create gcp",
  summary: "Create a GCP Private Service Connect endpoint group",
  description:
    "Registers your forwarding rules (one endpoint per Atlas service attachment, or exactly one\n" +
    "on a port-mapped service) with an Atlas endpoint service. Atlas then moves the group from\n" +
    "INITIATING through VERIFIED to AVAILABLE (or FAILED).",
  usage: "create gcp --group <project-id> --service <service-id> --endpoint-group-name <name>\n" +
    "      --gcp-project-id <id> --endpoint <name@ip> [--endpoint <name@ip> ...] [--wait]\n" +
    `  ${PROGRAM} create gcp --group <project-id> --service <service-id> --port-mapping\n` +
    "      --gcp-project-id <id> --endpoint <name@ip> [--wait]",
  flags: [
    GROUP,
    SERVICE,
    {
      name: "endpoint-group-name",
      aliases: ["endpoint-group", "endpoint-group-id"],
      kind: "string",
      value: "<name>",
      help: "Endpoint group name (port-mapped: the forwarding rule's name)",
    },
    {
      name: "gcp-project-id",
      kind: "string",
      value: "<id>",
      help: "Your Google Cloud project id",
    },
    {
      name: "endpoint",
      aliases: ["endpoints"],
      kind: "list",
      value: "<name@ip>",
      help: "A forwarding rule as name@ip; repeat it, or separate with commas",
    },
    {
      name: "port-mapping",
      aliases: ["port-mapping-enabled"],
      kind: "boolean",
      help: "The service is port-mapped: exactly one --endpoint, whose name becomes the id " +
        "(--endpoint-group-name then defaults to it; Atlas ignores that name)",
    },
    WAIT,
    TIMEOUT,
    POLL,
    API_VERSION,
    CREATE_JSON,
    HELP,
  ],
  examples: [
    [
      `create gcp --group ${G} --service ${S} \\\n` +
      "      --port-mapping --gcp-project-id my-gcp-project \\\n" +
      "      --endpoint atlas-psc-0@10.128.0.10 --wait",
      "port-mapped service: one forwarding rule, which names the endpoint",
    ],
    [
      `create gcp --group ${G} --service ${S} \\\n` +
      "      --endpoint-group-name atlas-psc --gcp-project-id my-gcp-project \\\n" +
      "      --endpoint atlas-psc-0@10.128.0.10,atlas-psc-1@10.128.0.11",
      "legacy service: one rule per service attachment",
    ],
  ],
};

/** `create <provider>` by provider. */
export const CREATE: Readonly<Record<ProviderArg, CommandSpec>> = {
  aws: AWS,
  azure: AZURE,
  gcp: GCP,
};

/** The `create` level itself (only `--help`). */
export const CREATE_GROUP: CommandSpec = {
  name: "create",
  summary: "Create a private endpoint on an Atlas endpoint service (add --wait to wait)",
  description:
    "Creates a private endpoint for one cloud provider. Run `create <provider> --help` for the\n" +
    "provider's flags.",
  usage: "create <aws|azure|gcp> [options]",
  flags: [HELP],
  examples: [...AWS.examples.slice(0, 1), ...AZURE.examples, ...GCP.examples.slice(0, 1)],
};

const refUsage =
  "<aws|azure|gcp> --group <project-id> --service <service-id>\n      --endpoint <id>";

/** `get`, `wait` and `delete`. */
export const REF_COMMANDS: Readonly<Record<"get" | "wait" | "delete", CommandSpec>> = {
  get: {
    name: "get",
    summary: "Show one private endpoint and its status",
    description: "Reads one private endpoint. Exits 0 whatever its status; see `wait` to wait.",
    usage: `get ${refUsage} [--json]`,
    flags: [PROVIDER, GROUP, SERVICE, ENDPOINT_ID, TIMEOUT, API_VERSION, JSON_FLAG, HELP],
    examples: [
      [
        `get aws --group ${G} \\\n      --service ${S} --endpoint vpce-0123456789abcdef0`,
        "show status",
      ],
      [
        `get gcp --group ${G} \\\n      --service ${S} --endpoint atlas-psc --json`,
        "GCP: the endpoint is the endpoint group name",
      ],
    ],
  },
  wait: {
    name: "wait",
    summary: "Wait until private endpoints are AVAILABLE, or have failed",
    description:
      "Polls one private endpoint, showing each status change, until it is AVAILABLE (exit 0),\n" +
      "REJECTED or FAILED, being deleted, or reporting an error message (exit 4), or --timeout\n" +
      "elapses (exit 5). With several --endpoint, waits for all of them at once within the\n" +
      "project's rate limit, one line per status change and one result line per endpoint; the\n" +
      "exit code is that of the first endpoint that did not become AVAILABLE.",
    usage: `wait ${refUsage} [--endpoint <id> ...] [--timeout <duration>]`,
    flags: [PROVIDER, GROUP, SERVICE, ENDPOINT_IDS, TIMEOUT, POLL, API_VERSION, JSON_FLAG, HELP],
    examples: [
      [
        `wait aws --group ${G} \\\n      --service ${S} --endpoint vpce-0123456789abcdef0 --timeout 30m`,
        "wait up to 30 minutes",
      ],
      [
        `wait aws --group ${G} --service ${S} \\\n      --endpoint vpce-0123456789abcdef0 --endpoint vpce-0123456789abcdef1`,
        "wait for two endpoints",
      ],
    ],
  },
  delete: {
    name: "delete",
    summary: "Delete a private endpoint (--wait: until it is gone)",
    description:
      "Asks Atlas to delete one private endpoint; Atlas removes it in the background (DELETING).\n" +
      "With --wait, reads it until it is gone (exit 0) or --timeout elapses (exit 5); an\n" +
      "endpoint that is gone already (404) ends it at once (exit 0), so a resumed run succeeds.\n" +
      "Deleting a service's last endpoint also removes the endpoint service.",
    usage: `delete ${refUsage} [--wait] [--json]`,
    flags: [
      PROVIDER,
      GROUP,
      SERVICE,
      ENDPOINT_ID,
      WAIT_GONE,
      TIMEOUT,
      POLL,
      API_VERSION,
      JSON_FLAG,
      HELP,
    ],
    examples: [
      [
        `delete azure --group ${G} --service ${S} \\\n      --endpoint ${AZ_ID}`,
        "Azure: the endpoint is the raw resource id",
      ],
      [
        `delete aws --group ${G} \\\n      --service ${S} --endpoint vpce-0123456789abcdef0 --wait`,
        "delete, wait until it is gone",
      ],
    ],
  },
};

/** `simulate`: the Atlas simulator on a loopback port, for other tools. */
export const SIMULATE: CommandSpec = {
  name: "simulate",
  summary: "Serve the embedded Atlas simulator on a loopback port, until Ctrl-C",
  description:
    "Starts the Atlas simulator (strict Digest, endpoint services and endpoints with their life\n" +
    "cycles, Atlas's error bodies) on 127.0.0.1 and prints, as shell exports, the base URL, the\n" +
    "simulator's API keys (not secrets) and a project id, for curl, scripts, this CLI, the Atlas\n" +
    "CLI or Terraform. The v2 API is served under /api/atlas/v2. Requests are logged on stderr.\n" +
    "Runs until Ctrl-C (SIGINT), then exits 130.",
  usage: "simulate [--port <port>] [--time-scale <factor>] [--group <project-id>] [--seed]",
  flags: [
    {
      name: "port",
      kind: "string",
      value: "<port>",
      help: "Port on 127.0.0.1; 0 picks a free one [default: 0]",
    },
    {
      name: "time-scale",
      kind: "string",
      value: "<factor>",
      help: "Multiplies every life-cycle duration: 0.1 is 10 times faster, 0 instant [default: 1]",
    },
    {
      name: "group",
      aliases: ["group-id", "project", "project-id"],
      kind: "string",
      value: "<project-id>",
      help: "The project's id, 24 hex characters [default: a random one]",
    },
    {
      name: "seed",
      kind: "boolean",
      help:
        "Also add one ready endpoint service per provider (AWS, Azure, GCP) and print their ids",
    },
    {
      name: "json",
      kind: "boolean",
      help: "Print the settings as one JSON object (requests are still logged on stderr)",
    },
    HELP,
  ],
  examples: [
    ["simulate --port 8080", "serve on http://127.0.0.1:8080 in real time"],
    ["simulate --time-scale 0.01 --seed", "100 times faster, with a service per provider"],
  ],
};

/** The top level. */
export const TOP: CommandSpec = {
  name: "",
  summary: "",
  description:
    "Create and manage MongoDB Atlas private endpoints (AWS PrivateLink, Azure Private Link,\n" +
    "GCP Private Service Connect) through the Atlas Administration API.",
  usage: "<command> [options]",
  flags: [
    HELP,
    { name: "version", short: "V", kind: "boolean", help: "Print the version" },
  ],
  examples: [
    [
      `service ensure aws --region us-east-1 --group ${G}`,
      "the region's endpoint service, ready; prints what to create on AWS",
    ],
    [
      `create aws --group ${G} \\\n      --service ${S} --id vpce-0123456789abcdef0 --wait`,
      "create, wait",
    ],
    [
      `get aws --group ${G} \\\n      --service ${S} --endpoint vpce-0123456789abcdef0`,
      "show status",
    ],
    [`create --help`, "the flags of each provider"],
  ],
};
