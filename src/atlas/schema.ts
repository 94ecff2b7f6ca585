/**
 * Generic helpers over the types that openapi-typescript generates from the OpenAPI fragment in
 * `spec/` into `gen/`. The public types ({@linkcode PrivateEndpoint} and the rest) are built with
 * them, and any other schema of the spec can be named the same way, e.g. `AtlasSchema<"ApiError">`.
 *
 * @module
 */
import type { components, operations } from "../../gen/atlas.ts";

type Schemas = components["schemas"];
type None = Record<never, never>;

/**
 * A schema of the OpenAPI fragment in `spec/` as openapi-typescript generates it into `gen/`, with
 * the fields named in `Fields` retyped as given there: how the public types restore what the
 * generator loses (open unions, readonly inputs) without writing a shape again.
 *
 * (Tagged internal only so that `deno doc --lint` does not descend into the generated module,
 * whose top-level declarations carry no documentation; it is public and stable.)
 *
 * @internal
 */
export type AtlasSchema<
  Name extends keyof Schemas,
  Fields extends { [K in keyof Fields]: K extends keyof Schemas[Name] ? unknown : never } = None,
> = None extends Fields ? Schemas[Name]
  : { [K in keyof Schemas[Name]]: K extends keyof Fields ? Fields[K] : Schemas[Name][K] };

/**
 * The path parameters of an operation of the OpenAPI fragment in `spec/`, as openapi-typescript
 * generates them into `gen/`.
 *
 * (Tagged internal for the same reason as {@linkcode AtlasSchema}; it is public and stable.)
 *
 * @internal
 */
export type AtlasPathParameters<Operation extends keyof operations> =
  operations[Operation]["parameters"]["path"];

/**
 * The known values of a string union that stays open to others (a status Atlas adds later still
 * type-checks), and that editors keep completing: `"A" | (string & {})`, where a plain
 * `"A" | string` would collapse to `string`.
 */
export type OpenUnion<Known extends string> = Known | (string & Record<never, never>);
