// API keys and base URL from the environment, under the names the Atlas CLI and the Terraform
// provider use. Keys never come from the command line.

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
/** The base URL variable (the Terraform provider's name). */
export const BASE_URL_VAR = "MONGODB_ATLAS_BASE_URL";
/** The default for `--group` (the Atlas CLI's name). */
export const PROJECT_ID_VAR = "MONGODB_ATLAS_PROJECT_ID";
/** The API path appended to a base URL given as a bare origin (as Terraform's base_url is). */
export const API_PATH = "/api/atlas/v1.0";

/** Missing or unusable settings in the environment; exit code 6 (keys) or 2 (base URL). */
export class CliConfigError extends Error {
  /** Always `"CliConfigError"`. */
  override readonly name: "CliConfigError" = "CliConfigError" as const;
  /** `"credentials"` for missing keys, `"base-url"` for a bad MONGODB_ATLAS_BASE_URL. */
  readonly kind: "credentials" | "base-url";
  /**
   * @param message What is wrong (never a key's value).
   * @param kind What kind of setting.
   */
  constructor(message: string, kind: "credentials" | "base-url") {
    super(message);
    this.kind = kind;
  }
}

/** Settings for the Atlas client. */
export interface AtlasSettings {
  /** Digest username. */
  readonly publicKey: string;
  /** Digest password. */
  readonly privateKey: string;
  /** The base URL, or undefined for the client's default. */
  readonly baseUrl: string | undefined;
}

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
 * Reads the base URL: MONGODB_ATLAS_BASE_URL, with `/api/atlas/v1.0` added when it is a bare
 * origin such as `https://cloud.mongodb.com/` (the form the Terraform provider takes).
 *
 * @param env Reads one environment variable.
 * @returns The base URL without a trailing slash, or undefined when the variable is unset.
 * @throws {CliConfigError} When the value is not an http(s) URL.
 */
export function readBaseUrl(env: (name: string) => string | undefined): string | undefined {
  const raw = first(env, [BASE_URL_VAR]);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliConfigError(`${BASE_URL_VAR} is not a URL`, "base-url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new CliConfigError(`${BASE_URL_VAR} must start with https://`, "base-url");
  }
  if (url.username !== "" || url.password !== "") {
    throw new CliConfigError(
      `${BASE_URL_VAR} must not contain credentials; set the API key variables instead`,
      "base-url",
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.origin}${path === "" ? API_PATH : path}`;
}

/**
 * Reads the API keys and base URL.
 *
 * @param env Reads one environment variable.
 * @returns The settings.
 * @throws {CliConfigError} When a key is missing (the message names the variables to set).
 */
export function readSettings(env: (name: string) => string | undefined): AtlasSettings {
  const publicKey = first(env, PUBLIC_KEY_VARS);
  const privateKey = first(env, PRIVATE_KEY_VARS);
  const missing = [
    ...(publicKey === undefined ? [`${PUBLIC_KEY_VARS[0]} (or ${PUBLIC_KEY_VARS[1]})`] : []),
    ...(privateKey === undefined ? [`${PRIVATE_KEY_VARS[0]} (or ${PRIVATE_KEY_VARS[1]})`] : []),
  ];
  if (publicKey === undefined || privateKey === undefined) {
    throw new CliConfigError(
      `Missing Atlas API key: set ${missing.join(" and ")} in the environment`,
      "credentials",
    );
  }
  return { publicKey, privateKey, baseUrl: readBaseUrl(env) };
}
