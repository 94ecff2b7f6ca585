// What the `service` commands accept: Atlas private endpoint services (one per provider and
// region in a project), named as the Atlas CLI names its `privateEndpoints <provider>` commands.

import type { FlagSpec } from "./_args.ts";
import {
  API_VERSION,
  type CommandSpec,
  G,
  GROUP,
  HELP,
  JSON_FLAG,
  POLL,
  PROVIDER,
  S,
  SERVICE,
  TIMEOUT,
  WAIT_GONE,
} from "./_specs.ts";

/** The `service` commands. */
export type ServiceVerb = "create" | "ensure" | "get" | "list" | "wait" | "delete" | "endpoints";

/** Other names of the verbs, as the Atlas CLI spells them. */
export const SERVICE_ALIASES: Readonly<Record<string, ServiceVerb>> = {
  describe: "get",
  watch: "wait",
};

const REGION: FlagSpec = {
  name: "region",
  aliases: ["region-name"],
  kind: "string",
  value: "<region>",
  help: "The region, as the cloud names it (us-east-1) or as Atlas does (US_EAST_1)",
};
const PORT_MAPPING: FlagSpec = {
  name: "port-mapping",
  aliases: ["port-mapping-enabled"],
  kind: "boolean",
  help: "GCP: one service attachment and one forwarding rule for the whole project",
};
const REMOTE_REGIONS: FlagSpec = {
  name: "remote-region",
  aliases: ["remote-regions", "supported-remote-regions"],
  kind: "list",
  value: "<region>",
  help: "AWS: another region whose endpoints may connect; repeat it, or separate with commas",
};
const WAIT_READY: FlagSpec = {
  name: "wait",
  kind: "boolean",
  help: "Wait until it is ready for endpoints (WAITING_FOR_USER or AVAILABLE), showing progress",
};
const SERVICE_ID: FlagSpec = {
  ...SERVICE,
  help: "The endpoint service id, 24 hex characters (or give it after the provider)",
};

/** The flags of a service's create input, and those of any command that waits. */
const INPUT = [PROVIDER, GROUP, REGION, PORT_MAPPING, REMOTE_REGIONS];
const WAITING = [TIMEOUT, POLL, API_VERSION, JSON_FLAG, HELP];

const ref = "<aws|azure|gcp> [<service-id>] --group <project-id> [--service <service-id>]";

/** `service <verb>` by verb. */
export const SERVICE_COMMANDS: Readonly<Record<ServiceVerb, CommandSpec>> = {
  create: {
    name: "service create",
    summary: "Create the endpoint service of a region (--wait to wait until it is ready)",
    description:
      "Asks Atlas for a private endpoint service in one region: the AWS endpoint service, Azure\n" +
      "Private Link service or GCP service attachments your cloud's endpoints connect to. A\n" +
      "project has at most one per provider and region (a second create answers 409; see\n" +
      "`service ensure`). Atlas sets it up in the background: INITIATING, then WAITING_FOR_USER\n" +
      "(AWS, Azure: create your endpoint now) or AVAILABLE.",
    usage: "service create <aws|azure|gcp> --region <region> --group <project-id>\n" +
      "      [--port-mapping] [--remote-region <region>] [--wait] [--json]",
    flags: [...INPUT, WAIT_READY, ...WAITING],
    examples: [
      [`service create aws --region us-east-1 --group ${G} --wait`, "create, wait until ready"],
      [
        `service create gcp --region us-central1 --group ${G} --port-mapping`,
        "GCP: one attachment for the project",
      ],
    ],
  },
  ensure: {
    name: "service ensure",
    summary: "Reuse the region's endpoint service, or create it; wait until it is ready",
    description:
      "Makes sure the project has an endpoint service in the region, ready for endpoints: reuses\n" +
      "the one there is (also when another run creates it at the same time), creates it\n" +
      "otherwise, waits, and prints what to create on the cloud side. Safe to run again.\n" +
      'With --json: the service, with "outcome": "created" or "reused" (what this run did).',
    usage: "service ensure <aws|azure|gcp> --region <region> --group <project-id> [--json]",
    flags: [...INPUT, ...WAITING],
    examples: [
      [`service ensure azure --region eastus2 --group ${G}`, "in every environment's setup"],
    ],
  },
  get: {
    name: "service get",
    summary: "Show one endpoint service: status, and what to connect to",
    description:
      "Reads one endpoint service: its status, region, the name your cloud's endpoints connect\n" +
      "to, and its endpoints. Exits 0 whatever its status. (Atlas CLI: describe.)",
    usage: `service get ${ref} [--json]`,
    flags: [PROVIDER, GROUP, SERVICE_ID, TIMEOUT, API_VERSION, JSON_FLAG, HELP],
    examples: [[`service get aws ${S} --group ${G}`, "show status and service name"]],
  },
  list: {
    name: "service list",
    summary: "List a project's endpoint services of one provider",
    description: "Lists the endpoint services of one provider in a project, one line each.",
    usage: "service list <aws|azure|gcp> --group <project-id> [--json]",
    flags: [PROVIDER, GROUP, TIMEOUT, API_VERSION, JSON_FLAG, HELP],
    examples: [[`service list gcp --group ${G} --json`, "every GCP service, as JSON"]],
  },
  wait: {
    name: "service wait",
    summary: "Wait until an endpoint service is ready for endpoints, or has failed",
    description:
      "Polls one endpoint service, showing each status change, until it is ready for endpoints:\n" +
      "WAITING_FOR_USER or AVAILABLE (exit 0), FAILED or being deleted (exit 4), or --timeout\n" +
      "elapses (exit 5). (Atlas CLI: watch.)",
    usage: `service wait ${ref} [--timeout <duration>]`,
    flags: [PROVIDER, GROUP, SERVICE_ID, ...WAITING],
    examples: [[`service wait azure ${S} --group ${G} --timeout 20m`, "wait up to 20 minutes"]],
  },
  delete: {
    name: "service delete",
    summary: "Delete an endpoint service that has no endpoints",
    description:
      "Asks Atlas to delete one endpoint service; Atlas removes it in the background (DELETING).\n" +
      "A service with endpoints cannot be deleted (409): delete them first. With --wait, reads it\n" +
      "until it is gone (exit 0) or --timeout elapses (exit 5).",
    usage: `service delete ${ref} [--wait] [--json]`,
    flags: [PROVIDER, GROUP, SERVICE_ID, WAIT_GONE, ...WAITING],
    examples: [[`service delete gcp ${S} --group ${G} --wait`, "delete, wait until it is gone"]],
  },
  endpoints: {
    name: "service endpoints",
    summary: "List an endpoint service's private endpoints with their statuses",
    description: "Lists the private endpoints of one endpoint service, one line each, with status.",
    usage: `service endpoints ${ref} [--json]`,
    flags: [PROVIDER, GROUP, SERVICE_ID, TIMEOUT, API_VERSION, JSON_FLAG, HELP],
    examples: [[`service endpoints aws ${S} --group ${G}`, "each endpoint and its status"]],
  },
};

/** The `service` level itself (only `--help`). */
export const SERVICE_GROUP: CommandSpec = {
  name: "service",
  summary: "Endpoint services: create, ensure, get, list, wait, delete, endpoints",
  description:
    "Manages the private endpoint services a project's endpoints connect to (one per provider\n" +
    "and region). Run `service <command> --help` for a command's flags.",
  usage: "service <command> <aws|azure|gcp> [options]",
  flags: [HELP],
  examples: [
    ...SERVICE_COMMANDS.ensure.examples,
    ...SERVICE_COMMANDS.create.examples.slice(0, 1),
    ...SERVICE_COMMANDS.endpoints.examples,
  ],
};
