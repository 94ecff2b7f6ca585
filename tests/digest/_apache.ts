// Apache httpd 2.4 with mod_auth_digest on a loopback port: a real Digest server nobody here wrote.
// Its own ServerRoot and config in a temporary directory, an htdigest file written here, run in
// the foreground (`-X`). Installed with apt-get when missing (as .ci/run does): if it cannot be
// had, starting it throws, so the tests that need it fail rather than skip.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const APACHE = "/usr/sbin/apache2";
const MODULES = "/usr/lib/apache2/modules";

/** A running Apache. */
export interface Apache {
  /** `http://127.0.0.1:port`. */
  origin: string;
  /** Requests Apache has logged so far (every round trip, 401s included): `METHOD /path STATUS`. */
  requests(): Promise<string[]>;
  /** mod_auth_digest's reasons for rejecting requests (its debug log), for failure messages. */
  errors(): Promise<string>;
  close(): Promise<void>;
}

/** How to configure mod_auth_digest. */
export interface ApacheOptions {
  realm: string;
  username: string;
  password: string;
  /** `AuthDigestNcCheck On`: nc must count up from 1 per opaque, exactly. */
  ncCheck: boolean;
}

/** Installs apache2 with apt-get when it is missing; throws when it cannot be had. */
function ensureApache(): void {
  if (existsSync(APACHE)) return;
  try {
    execFileSync(
      "sh",
      ["-c", "apt-get update -qq && apt-get install -y -qq apache2 >/dev/null"],
      {
        stdio: "inherit",
        timeout: 600_000,
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      },
    );
  } catch (error) {
    throw new Error(`Cannot start Apache httpd: installing apache2 failed (${error})`);
  }
  if (!existsSync(APACHE)) throw new Error("Cannot start Apache httpd: apache2 is not installed");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Starts Apache with Digest authentication on every path; answers 200 with a small JSON file. */
export async function startApache(options: ApacheOptions): Promise<Apache> {
  ensureApache();
  const dir = await mkdtemp(join(tmpdir(), "apache-digest-"));
  await chmod(dir, 0o755);
  const docs = join(dir, "htdocs");
  await mkdir(docs);
  const { realm, username, password } = options;
  const ha1 = createHash("md5").update(`${username}:${realm}:${password}`).digest("hex");
  await writeFile(join(dir, "htdigest"), `${username}:${realm}:${ha1}\n`, { mode: 0o644 });
  await writeFile(join(docs, "endpoint.json"), '{"ok":true}\n', { mode: 0o644 });
  const port = await freePort();
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const modules = [
    "mpm_event",
    "authn_core",
    "authn_file",
    "authz_core",
    "authz_user",
    "auth_digest",
    "alias",
  ];
  const conf = [
    `ServerRoot "${dir}"`,
    "ServerName 127.0.0.1",
    `Listen 127.0.0.1:${port}`,
    `PidFile "${dir}/httpd.pid"`,
    `DefaultRuntimeDir "${dir}"`,
    `ErrorLog "${dir}/error.log"`,
    "LogLevel warn auth_digest:debug",
    'LogFormat "%m %U %>s" rt',
    `CustomLog "${dir}/access.log" rt`,
    ...modules.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
    ...(root ? ["User nobody", "Group nogroup"] : []),
    "ThreadsPerChild 64",
    "ThreadLimit 64",
    "MaxRequestWorkers 64",
    "KeepAlive On",
    "MaxKeepAliveRequests 0",
    "AuthDigestShmemSize 1048576",
    `DocumentRoot "${docs}"`,
    // Every path is the one file, whatever its name: the tests use Atlas-shaped paths.
    `AliasMatch "^/.*$" "${docs}/endpoint.json"`,
    `<Directory "${docs}">`,
    "  AuthType Digest",
    `  AuthName "${realm}"`,
    "  AuthDigestProvider file",
    `  AuthUserFile "${dir}/htdigest"`,
    `  AuthDigestNcCheck ${options.ncCheck ? "On" : "Off"}`,
    "  Require valid-user",
    "</Directory>",
  ].join("\n");
  const confFile = join(dir, "httpd.conf");
  await writeFile(confFile, conf + "\n", { mode: 0o644 });
  const child: ChildProcess = spawn(APACHE, ["-X", "-d", dir, "-f", confFile], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => stderr += chunk);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const read = async (name: string): Promise<string> =>
    await readFile(join(dir, name), "utf8").catch(() => "");
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  // Ready when it answers (a 401 without credentials).
  for (let i = 0;; i++) {
    const status = await fetch(origin + "/ready").then(async (r) => {
      await r.body?.cancel();
      return r.status;
    }, () => 0);
    if (status === 401) break;
    if (i >= 100 || child.exitCode !== null) {
      const log = await read("error.log");
      await close();
      throw new Error(`Cannot start Apache httpd: ${stderr}${log}`.slice(0, 2000));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Apache logs a request after it has answered it: read until the log stops growing.
  const log = async (): Promise<string[]> => {
    let lines: string[] = [];
    for (let previous = -1; lines.length !== previous;) {
      previous = lines.length;
      await new Promise((resolve) => setTimeout(resolve, 25));
      lines = (await read("access.log")).split("\n").filter(Boolean);
    }
    return lines;
  };
  const ready = (await log()).length;
  return {
    origin,
    requests: async () => (await log()).slice(ready),
    errors: () => read("error.log"),
    close,
  };
}
