// The simulator's API versions: v1.0 under its base paths, v2 under /api/atlas/v2 where the
// version comes from the versioned media type in Accept (`application/vnd.atlas.YYYY-MM-DD+json`;
// the latest version served on or before the requested date answers, as Atlas picks it), 406 when
// Accept names no version served, 410 once a version's sunset has passed, and the Deprecation
// (RFC 9745) and Sunset (RFC 8594) headers on a deprecated version's answers.
import { atlasError, type SimulatedError } from "./_simulator_errors.ts";

/** The v2 base path. */
export const V2_BASE_PATH = "/api/atlas/v2";
/** The v2 versions served by default. */
export const DEFAULT_V2_VERSION = "2023-01-01";

/** The life cycle of one API version in the simulator. */
export interface SimulatorApiVersion {
  /** When the version was deprecated (simulator clock, ms): answers carry `Deprecation`. */
  deprecatedAt?: number;
  /** When the version is removed (simulator clock, ms): `Sunset`, and 410 from then on. */
  sunsetAt?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const VERSIONED = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/i;

/** The version an answer comes from, and the headers it carries. */
export interface Negotiated {
  /** `"v1.0"` or a v2 date. */
  version: string;
  /** Deprecation and Sunset headers (and the content type for v2). */
  headers: Record<string, string>;
}

function lifecycleHeaders(life: SimulatorApiVersion | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (life?.deprecatedAt !== undefined) {
    headers["deprecation"] = `@${Math.floor(life.deprecatedAt / 1000)}`;
  }
  if (life?.sunsetAt !== undefined) headers["sunset"] = new Date(life.sunsetAt).toUTCString();
  return headers;
}

function gone(version: string): SimulatedError {
  return atlasError(
    410,
    "VERSION_GONE",
    `API version ${version} has been removed; use a newer version.`,
    [version],
  );
}

/** Picks the version of a request, or the 406/410 error. */
export function negotiate(
  api: "v1.0" | "v2",
  accept: string | null,
  versions: Readonly<Record<string, SimulatorApiVersion>>,
  now: number,
): Negotiated | SimulatedError {
  if (api === "v1.0") {
    const life = versions["v1.0"];
    if (life?.sunsetAt !== undefined && now >= life.sunsetAt) return gone("v1.0");
    return { version: "v1.0", headers: lifecycleHeaders(life) };
  }
  const served = Object.keys(versions).filter((v) => DATE.test(v)).sort();
  const requested = (accept ?? "").split(",").map((part) => part.split(";")[0]!.trim())
    .map((type) => VERSIONED.exec(type)?.[1]).filter((date) => date !== undefined).sort().pop();
  const version = requested === undefined
    ? undefined
    : served.filter((date) => date <= requested).pop();
  if (version === undefined) {
    return atlasError(
      406,
      "INVALID_VERSION_DATE",
      "Invalid accept header or version date: send Accept: application/vnd.atlas.YYYY-MM-DD+json " +
        `with a version served (${served.join(", ")}).`,
      [accept ?? ""],
    );
  }
  const life = versions[version];
  if (life?.sunsetAt !== undefined && now >= life.sunsetAt) return gone(version);
  return {
    version,
    headers: {
      "content-type": `application/vnd.atlas.${version}+json`,
      ...lifecycleHeaders(life),
    },
  };
}
