/**
 * The `atlas-private-endpoint` command-line tool: create, read, wait for and delete MongoDB
 * Atlas private endpoints (AWS, Azure, GCP). Credentials come from the environment, never from
 * the command line: a service account (`MONGODB_ATLAS_CLIENT_ID` / `MONGODB_ATLAS_CLIENT_SECRET`,
 * preferred when both are set) or an API key (`MONGODB_ATLAS_PUBLIC_API_KEY` /
 * `MONGODB_ATLAS_PRIVATE_API_KEY`, or Terraform's `MONGODB_ATLAS_PUBLIC_KEY` /
 * `MONGODB_ATLAS_PRIVATE_KEY`). `MONGODB_ATLAS_API_VERSION=2023-01-01` selects the v2 API,
 * `MONGODB_ATLAS_BASE_URL` another Atlas (or the simulator), `MONGODB_ATLAS_PROJECT_ID` the
 * default `--group`.
 *
 * Run it with `deno run -A jsr:@atlas-edge/private-endpoint/cli --help`, or, from npm,
 * `npx atlas-private-endpoint --help`.
 *
 * ```sh
 * atlas-private-endpoint create aws --group <project-id> --service <service-id> \
 *   --id vpce-0123456789abcdef0 --wait
 * ```
 *
 * @module
 */
import { runCli } from "./cli/main.ts";
import { currentProcess } from "./cli/_runtime.ts";

const process = currentProcess();
const code = await runCli(process.args, process.io);
await process.exit(code);
