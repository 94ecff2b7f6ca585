/**
 * The error thrown when input to the Atlas client is invalid, before any request is sent.
 *
 * @module
 */

/** Options of {@linkcode AtlasValidationError}. */
export interface AtlasValidationErrorOptions {
  /** The invalid field, e.g. `"groupId"`, `"privateEndpointIPAddress"` or `"endpoints[1].ipAddress"`. */
  field: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Thrown when input is invalid: an id in the wrong format, an unknown provider, a body that does
 * not fit the provider, an insecure `baseUrl`. Nothing has been sent when it is thrown.
 *
 * The message names the action and the rule that failed, never the rejected value (it could be a
 * secret pasted into the wrong field).
 *
 * @example Usage
 * ```ts
 * import { AtlasValidationError } from "@atlas-edge/private-endpoint";
 * import assert from "node:assert/strict";
 *
 * const error = new AtlasValidationError(
 *   "Cannot create private endpoint: groupId must be 24 lowercase hexadecimal characters",
 *   { field: "groupId" },
 * );
 * assert.equal(error.name, "AtlasValidationError");
 * assert.equal(error.field, "groupId");
 * ```
 */
export class AtlasValidationError extends Error {
  /** Always `"AtlasValidationError"`, also across realms. */
  override readonly name: "AtlasValidationError" = "AtlasValidationError" as const;
  /** The invalid field. */
  readonly field: string;

  /**
   * Creates an AtlasValidationError.
   *
   * @param message A sentence-case message that names the action and the rule, not the value.
   * @param options The invalid field.
   */
  constructor(message: string, options: AtlasValidationErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.field = options.field;
  }
}
