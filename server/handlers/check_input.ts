import type { HandlerContent } from "../types.js";
import { isThenable } from "../calls/thenable.js";
import type { StandardIssue, StandardResult, StandardSchemaV1 } from "./standard_schema.js";

/** The schemas a handler declared for its input. */
export interface HandlerInput {
  data?: StandardSchemaV1;
  form?: StandardSchemaV1;
  params?: StandardSchemaV1;
}

/** Each failing field, keyed `form.title` / `data.id` / `params.id` (a whole-object issue is keyed by the part), with its messages. */
export type InvalidFields = Record<string, string[]>;

export type InputCheck = { ok: true; data: unknown; form: unknown; params: unknown } | { ok: false; fields: InvalidFields };

/** A validator that threw or returned something that is not a Standard Schema result: a server bug, not bad input. */
export class ValidatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ValidatorError";
  }
}

type Part = "data" | "form" | "params";

const PARTS: readonly Part[] = ["data", "form", "params"];

const segmentKey = (segment: PropertyKey | { readonly key: PropertyKey }): string =>
  String(typeof segment === "object" && segment !== null ? segment.key : segment);

function fieldOf(part: Part, issue: StandardIssue): string {
  const path = Array.isArray(issue.path) ? issue.path : [];
  return path.length === 0 ? part : `${part}.${path.map(segmentKey).join(".")}`;
}

function addIssues(fields: InvalidFields, part: Part, issues: ReadonlyArray<StandardIssue>): void {
  for (const issue of issues) {
    const key = fieldOf(part, issue);
    const message = typeof issue?.message === "string" && issue.message !== "" ? issue.message : "Invalid value";
    (fields[key] ??= []).push(message);
  }
}

/** Reads one validator's result; anything but `{ value }` or `{ issues: [...] }` is the validator's fault. */
function readResult(part: Part, result: unknown): { value: unknown } | { issues: ReadonlyArray<StandardIssue> } {
  if (typeof result === "object" && result !== null) {
    const { issues } = result as { issues?: unknown };
    if (issues === undefined && "value" in result) return { value: (result as { value: unknown }).value };
    if (Array.isArray(issues)) return issues.length > 0 ? { issues } : { value: (result as { value?: unknown }).value };
  }
  throw new ValidatorError(`the ${part} validator returned neither a value nor issues`);
}

function runValidator(part: Part, schema: StandardSchemaV1, value: unknown): StandardResult<unknown> | Promise<StandardResult<unknown>> {
  try {
    return schema["~standard"].validate(value);
  } catch (error) {
    throw new ValidatorError(`the ${part} validator threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Validates a call's data, form and params against the handler's schemas: the values they return (a schema may
 * coerce or transform), or every failing field. Synchronous when the validators are (zod and valibot's are
 * for schemas without async refinements), so a call pays no promise for it. Throws ValidatorError when a
 * validator throws or returns something that is not a result.
 */
export function checkInput(input: HandlerInput, content: HandlerContent): InputCheck | Promise<InputCheck> {
  const parts: Part[] = [];
  const results: Array<StandardResult<unknown> | Promise<StandardResult<unknown>>> = [];
  for (const part of PARTS) {
    const schema = input[part];
    if (!schema) continue;
    parts.push(part);
    results.push(runValidator(part, schema, content[part]));
  }
  const combine = (settled: unknown[]): InputCheck => {
    const values: Record<Part, unknown> = { data: content.data, form: content.form, params: content.params };
    const fields: InvalidFields = {};
    let failed = false;
    settled.forEach((result, i) => {
      const read = readResult(parts[i], result);
      if ("issues" in read) {
        failed = true;
        addIssues(fields, parts[i], read.issues);
      } else values[parts[i]] = read.value;
    });
    return failed ? { ok: false, fields } : { ok: true, data: values.data, form: values.form, params: values.params };
  };
  if (!results.some(isThenable)) return combine(results);
  return Promise.all(
    results.map((result, i) =>
      Promise.resolve(result).catch((error: unknown) => {
        throw new ValidatorError(`the ${parts[i]} validator failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }),
    ),
  ).then(combine);
}

/** The text of an invalid_input error: each failing field with its first message. */
export function invalidInputMessage(fields: InvalidFields): string {
  const list = Object.entries(fields).map(([field, messages]) => `${field}: ${messages[0]}`);
  return `Invalid input: ${list.join("; ")}`;
}
