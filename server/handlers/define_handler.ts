import type { CallContent } from "../../protocol/index.js";
import type { Consumer, HandlerContent } from "../types.js";
import { liveviewRegistry, type HandlerEntry, type HandlerOptions } from "./registry.js";
import { isStandardSchema, type InferOutput, type StandardSchemaV1 } from "./standard_schema.js";

type Schema = StandardSchemaV1;
type Output<S, Otherwise> = S extends Schema ? InferOutput<S> : Otherwise;

type MaybeSchema = Schema | undefined;

/** `defineHandler`'s options: Standard Schemas for the call's data, form and params, plus what any handler may declare. */
export interface DefineHandlerOptions<D extends MaybeSchema = undefined, F extends MaybeSchema = undefined, P extends MaybeSchema = undefined>
  extends HandlerOptions {
  /** Validates `content.data` (the element's `data-data-*`); the handler gets what the schema returns. */
  data?: D;
  /** Validates `content.form`; the handler gets what the schema returns. */
  form?: F;
  /** Validates `content.params` (Stimulus action parameters, `data-page-id-param`); the handler gets what it returns. */
  params?: P;
}

/** A handler's content with `data`, `form` and `params` typed from its schemas. */
export type TypedContent<D extends MaybeSchema, F extends MaybeSchema, P extends MaybeSchema = undefined> = Omit<
  HandlerContent,
  "data" | "form" | "params"
> & {
  data: Output<D, CallContent["data"]>;
  form: Output<F, CallContent["form"]>;
  params: Output<P, CallContent["params"]>;
};

export type TypedHandler<D extends MaybeSchema, F extends MaybeSchema, P extends MaybeSchema = undefined> = (
  consumer: Consumer,
  content: TypedContent<D, F, P>,
) => unknown;

const DEFINITION = Symbol.for("express-liveview.handler-definition");

/** What defineHandler returns: export it as a module's default and the `handlers` folder loader registers it. */
export interface HandlerDefinition<D extends MaybeSchema = MaybeSchema, F extends MaybeSchema = MaybeSchema, P extends MaybeSchema = MaybeSchema> {
  readonly name: string;
  readonly handler: TypedHandler<D, F, P>;
  /** What the registry keeps for it. */
  readonly entry: HandlerEntry;
  readonly [DEFINITION]: true;
}

export function isHandlerDefinition(value: unknown): value is HandlerDefinition {
  return typeof value === "object" && value !== null && (value as { [DEFINITION]?: unknown })[DEFINITION] === true;
}

function checkSchema(name: string, part: "data" | "form" | "params", schema: unknown): void {
  if (schema !== undefined && !isStandardSchema(schema)) {
    throw new TypeError(`Handler "${name}": "${part}" must be a Standard Schema (zod 3.24+, valibot, arktype...)`);
  }
}

/**
 * Registers a handler whose input is validated first: `data`, `form` and `params` take any Standard Schema (zod,
 * valibot, arktype), the handler receives what they return, typed. Input that fails never reaches the
 * handler: the tab gets an error update with code `invalid_input` and `fields` naming each failing field
 * (`form.title`, `data.id`, `params.id`), and the call's ack is `{ ok: false }`. `middleware` runs for this handler only,
 * after validation.
 *
 * ```ts
 * export default defineHandler("rename", { form: z.object({ title: z.string().min(1) }) }, (consumer, { form }) => {
 *   send(consumer, { target: "#title", html: form.title }); // form.title: string
 * });
 * ```
 */
export function defineHandler<D extends MaybeSchema = undefined, F extends MaybeSchema = undefined, P extends MaybeSchema = undefined>(
  name: string,
  options: DefineHandlerOptions<D, F, P>,
  fn: TypedHandler<D, F, P>,
): HandlerDefinition<D, F, P> {
  if (typeof options !== "object" || options === null) throw new TypeError(`Handler "${name}": options must be an object`);
  checkSchema(name, "data", options.data);
  checkSchema(name, "form", options.form);
  checkSchema(name, "params", options.params);
  const { data, form, params, ...rest } = options;
  const input =
    data || form || params ? { ...(data ? { data } : {}), ...(form ? { form } : {}), ...(params ? { params } : {}) } : undefined;
  // The dispatcher hands the handler validated values; the registry only knows the untyped shape.
  const handler = fn as unknown as HandlerEntry["fn"];
  liveviewRegistry.register(name, { ...rest, input } as HandlerOptions)(handler);
  const entry = liveviewRegistry.getEntry(name) as HandlerEntry;
  return Object.freeze({ name, handler: fn, entry, [DEFINITION]: true as const });
}
