// Credentials, base URL and API version from the environment, under the names the Atlas CLI and
// the Terraform provider use. Credentials never come from the command line.
//
// Precedence: a complete service account (MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET)
// wins over an API key pair, as in the Terraform provider, which prefers service accounts (the
// method MongoDB recommends) over API keys (legacy). A service account set only halfway is an
// error, never a silent fall-back to the API key.
import type { AtlasApiVersion } from "../../mod.ts";

/** Names read for the public key, first set wins. */
export const PUBLIC_KEY_VARS: readonly string[] = [
  "MONGODB_ATLAS_PUBLIC_API_KEY",
  "MONGODB_ATLAS_PUBLIC_KEY",
];
/** Names read for the private key, first set wins. */
export const PRIVATE_KEY_VARS: readonly string[] = [
  "MONGODB_ATLAS_PRIVATE_API_KEY",
  "MONGODB_ATLAS_PRIVATE_KEY",
];
/** The service account's client id (the Atlas CLI's name). */
export const CLIENT_ID_VAR = "MONGODB_ATLAS_CLIENT_ID";
/** The service account's client secret (the Atlas CLI's name). */
export const CLIENT_SECRET_VAR = "MONGODB_ATLAS_CLIENT_SECRET";
/** The API version: `v1.0` (default) or `2023-01-01` (the v2 API). */
export const API_VERSION_VAR = "MONGODB_ATLAS_API_VERSION";
/** The base URL variable (the Terraform provider's name). */
export const BASE_URL_VAR = "MONGODB_ATLAS_BASE_URL";
/** The default for `--group` (the Atlas CLI's name). */
export const PROJECT_ID_VAR = "MONGODB_ATLAS_PROJECT_ID";
/** The API path appended to a base URL given as a bare origin (as Terraform's base_url is). */
export const API_PATH = "/api/atlas/v1.0";
/** The same for the v2 API. */
export const API_V2_PATH = "/api/atlas/v2";

/**
 * The ports fetch refuses in every runtime (the Fetch standard's "bad ports"): a base URL on one
 * of them would fail every request with "fetch failed: bad port".
 */
const BAD_PORTS: ReadonlySet<number> = new Set(
  (
    "0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 " +
    "111 113 115 117 119 123 135 137 139 143 161 179 389 427 465 512 513 514 515 526 530 531 " +
    "532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 " +
    "5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080"
  ).split(" ").map(Number),
);

/** Missing or unusable settings in the environment; exit code 6 (keys) or 2 (the others). */
export class CliConfigError extends Error {
  /** Always `"CliConfigError"`. */
  override readonly name: "CliConfigError" = "CliConfigError" as const;
  /**
   * `"credentials"` for missing keys, `"base-url"` for a bad MONGODB_ATLAS_BASE_URL,
   * `"api-version"` for a bad MONGODB_ATLAS_API_VERSION.
   */
  readonly kind: "credentials" | "base-url" | "api-version";
  /**
   * @param message What is wrong (never a key's value).
   * @param kind What kind of setting.
   */
  constructor(message: string, kind: "credentials" | "base-url" | "api-version") {
    super(message);
    this.kind = kind;
  }
}

/** Settings for the Atlas client with an API key. */
export interface ApiKeySettings {
  /** Digest username. */
  readonly publicKey: string;
  /** Digest password. */
  readonly privateKey: string;
  /** Not with an API key. */
  readonly clientId?: undefined;
  /** Not with an API key. */
  readonly clientSecret?: undefined;
  /** The base URL, or undefined for the client's default. */
  readonly baseUrl: string | undefined;
  /** The API version, when MONGODB_ATLAS_API_VERSION is set. */
  readonly apiVersion?: AtlasApiVersion;
}

/** Settings for the Atlas client with a service account. */
export interface ServiceAccountSettings {
  /** The client id. */
  readonly clientId: string;
  /** The client secret. */
  readonly clientSecret: string;
  /** Not with a service account. */
  readonly publicKey?: undefined;
  /** Not with a service account. */
  readonly privateKey?: undefined;
  /** The base URL, or undefined for the client's default. */
  readonly baseUrl: string | undefined;
  /** The API version, when MONGODB_ATLAS_API_VERSION is set. */
  readonly apiVersion?: AtlasApiVersion;
}

/** Settings for the Atlas client. */
export type AtlasSettings = ApiKeySettings | ServiceAccountSettings;

function first(
  env: (name: string) => string | undefined,
  names: readonly string[],
): string | undefined {
  for (const name of names) {
    const value = env(name)?.trim();
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/**
 * Reads the API version: MONGODB_ATLAS_API_VERSION, `v1.0` or `2023-01-01` (`v2` is read as
 * `2023-01-01`).
 *
 * @param env Reads one environment variable.
 * @returns The version, or undefined when the variable is unset.
 * @throws {CliConfigError} When the value is not a version this tool speaks.
 */
export function readApiVersion(
  env: (name: string) => string | undefined,
): AtlasApiVersion | undefined {
  const raw = first(env, [API_VERSION_VAR]);
  if (raw === undefined) return undefined;
  if (raw === "v1.0" || raw === "2023-01-01") return raw;
  if (raw === "v2") return "2023-01-01";
  throw new CliConfigError(`${API_VERSION_VAR} must be v1.0 or 2023-01-01 (v2)`, "api-version");
}

/**
 * Reads the base URL: MONGODB_ATLAS_BASE_URL, with `/api/atlas/v1.0` (or `/api/atlas/v2` for the
 * v2 API) added when it is a bare origin such as `https://cloud.mongodb.com/` (the form the
 * Terraform provider takes).
 *
 * @param env Reads one environment variable.
 * @param apiVersion The API version, for the path added to a bare origin. Default `v1.0`.
 * @returns The base URL without a trailing slash, or undefined when the variable is unset.
 * @throws {CliConfigError} When the value is not an http(s) URL.
 */
export function readBaseUrl(
  env: (name: string) => string | undefined,
  apiVersion: AtlasApiVersion = "v1.0",
): string | undefined {
  const raw = first(env, [BASE_URL_VAR]);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(raw)?.[1];
    throw new CliConfigError(
      port !== undefined && Number(port) > 65_535
        ? `Cannot use ${BASE_URL_VAR}: its port ${port} is out of range (1 to 65535)`
        : `Cannot use ${BASE_URL_VAR}: it is not a URL`,
      "base-url",
    );
  }
  if (url.port !== "" && BAD_PORTS.has(Number(url.port))) {
    throw new CliConfigError(
      `Cannot use ${BASE_URL_VAR}: fetch refuses port ${url.port} (a "bad port" in the Fetch ` +
        "standard, blocked in every runtime); serve Atlas or the simulator on another port",
      "base-url",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CliConfigError(
      `Cannot use ${BASE_URL_VAR}: it must start with https:// (http:// only for a loopback host)`,
      "base-url",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new CliConfigError(
      `Cannot use ${BASE_URL_VAR}: it must not contain credentials; set the API key variables instead`,
      "base-url",
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  const apiPath = apiVersion === "v1.0" ? API_PATH : API_V2_PATH;
  return `${url.origin}${path === "" ? apiPath : path}`;
}

/**
 * Reads the credentials (a service account, else an API key), base URL and API version.
 *
 * @param env Reads one environment variable.
 * @returns The settings.
 * @throws {CliConfigError} When a credential is missing (the message names the variables to
 * set), or the base URL or API version is unusable.
 */
export function readSettings(env: (name: string) => string | undefined): AtlasSettings {
  const apiVersion = readApiVersion(env);
  const extra = apiVersion === undefined ? {} : { apiVersion };
  const clientId = first(env, [CLIENT_ID_VAR]);
  const clientSecret = first(env, [CLIENT_SECRET_VAR]);
  if (clientId !== undefined && clientSecret !== undefined) {
    return { clientId, clientSecret, baseUrl: readBaseUrl(env, apiVersion), ...extra };
  }
  if (clientId !== undefined || clientSecret !== undefined) {
    throw new CliConfigError(
      `Incomplete Atlas service account: set ${
        clientId === undefined ? CLIENT_ID_VAR : CLIENT_SECRET_VAR
      } in the environment (or unset ${
        clientId === undefined ? CLIENT_SECRET_VAR : CLIENT_ID_VAR
      } to use an API key)`,
      "credentials",
    );
  }
  const publicKey = first(env, PUBLIC_KEY_VARS);
  const privateKey = first(env, PRIVATE_KEY_VARS);
  const missing = [
    ...(publicKey === undefined ? [`${PUBLIC_KEY_VARS[0]} (or ${PUBLIC_KEY_VARS[1]})`] : []),
    ...(privateKey === undefined ? [`${PRIVATE_KEY_VARS[0]} (or ${PRIVATE_KEY_VARS[1]})`] : []),
  ];
  if (publicKey === undefined && privateKey === undefined) {
    throw new CliConfigError(
      `Cannot read Atlas credentials: set ${missing.join(" and ")} in the environment, ` +
        `or ${CLIENT_ID_VAR} and ${CLIENT_SECRET_VAR} for a service account`,
      "credentials",
    );
  }
  if (publicKey === undefined || privateKey === undefined) {
    throw new CliConfigError(
      `Cannot read Atlas API key: set ${missing.join(" and ")} in the environment`,
      "credentials",
    );
  }
  return { publicKey, privateKey, baseUrl: readBaseUrl(env, apiVersion), ...extra };
}
