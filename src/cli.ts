/**
 * The `atlas-private-endpoint` command-line tool: create, read, wait for and delete MongoDB
 * Atlas private endpoints (AWS, Azure, GCP). API keys come from the environment
 * (`MONGODB_ATLAS_PUBLIC_API_KEY` / `MONGODB_ATLAS_PRIVATE_API_KEY`), never from the command line.
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
