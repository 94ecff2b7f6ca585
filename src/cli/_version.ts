// The package version printed by `--version`; tests check that it equals deno.json's "version".

/** The version of `atlas-private-endpoint`. */
export const VERSION = "0.1.0";
