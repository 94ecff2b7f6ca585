// The CLI's exit codes: stable, documented in `--help` and the README.

/** Exit codes of `atlas-private-endpoint`. */
export const EXIT: {
  readonly OK: 0;
  readonly INTERNAL: 1;
  readonly USAGE: 2;
  readonly API_ERROR: 3;
  readonly ENDPOINT_FAILED: 4;
  readonly TIMEOUT: 5;
  readonly AUTH_OR_NETWORK: 6;
  readonly INTERRUPTED: 130;
} = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  API_ERROR: 3,
  ENDPOINT_FAILED: 4,
  TIMEOUT: 5,
  AUTH_OR_NETWORK: 6,
  INTERRUPTED: 130,
};

/** One of the values of {@linkcode EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Code and meaning, in order, for help texts and the README. */
export const EXIT_CODE_TABLE: readonly (readonly [ExitCode, string])[] = [
  [
    EXIT.OK,
    "success; with --wait or wait: the endpoint is AVAILABLE (a service: ready), or it is gone",
  ],
  [EXIT.INTERNAL, "unexpected internal error (a bug: please report it)"],
  [EXIT.USAGE, "bad usage: unknown command or flag, missing or invalid value or base URL"],
  [EXIT.API_ERROR, "Atlas answered with an error (e.g. 404 unknown group, 409 already exists)"],
  [
    EXIT.ENDPOINT_FAILED,
    "the endpoint (or service) failed: REJECTED, FAILED, being deleted, or an error message",
  ],
  [EXIT.TIMEOUT, "--timeout elapsed before the endpoint (or service) settled"],
  [
    EXIT.AUTH_OR_NETWORK,
    "authentication or network: missing or wrong credentials, IP not on the access list, Atlas unreachable",
  ],
  [EXIT.INTERRUPTED, "interrupted (Ctrl-C)"],
];
