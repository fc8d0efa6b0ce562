/**
 * A tool's JSON Schema in the subset node-llama-cpp turns into a grammar. Its grammar knows `oneOf` but
 * not `anyOf`, and needs a type on every value; catalogs use both freely (Claudesidian's
 * `workspaceContext` is an object or a string; `newValue` is anything). Only the embedded backend sees
 * this form: other backends get the catalog's schemas as they are.
 */
type Schema = Record<string, unknown>;

const KEPT = [
  "type",
  "description",
  "enum",
  "const",
  "required",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "format",
  "additionalProperties",
];
/** What "any value" becomes: the scalar types (a grammar cannot generate an unbounded object). */
const ANY_SCALAR = ["string", "number", "boolean", "null"];

export function toGrammarSchema(schema: unknown): Schema {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return { type: ANY_SCALAR };
  const source = schema as Schema;
  const options = (source.oneOf ?? source.anyOf) as unknown[] | undefined;
  if (Array.isArray(options))
    return { ...(source.description ? { description: source.description } : {}), oneOf: options.map(toGrammarSchema) };
  const result: Schema = {};
  for (const key of KEPT) if (source[key] !== undefined) result[key] = source[key];
  if (source.type === undefined && source.enum === undefined && source.const === undefined)
    result.type = source.properties ? "object" : ANY_SCALAR;
  if (source.properties && typeof source.properties === "object") {
    result.properties = Object.fromEntries(
      Object.entries(source.properties as Schema).map(([name, property]) => [name, toGrammarSchema(property)]),
    );
  }
  if (result.type === "array" || (Array.isArray(result.type) && result.type.includes("array")))
    result.items = toGrammarSchema(source.items);
  if (typeof result.additionalProperties === "object") delete result.additionalProperties;
  return result;
}
