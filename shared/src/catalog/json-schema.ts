import type { JsonSchema } from "./catalog-types";

/**
 * A small JSON Schema checker for tool arguments. It checks the keywords tool schemas use: type, enum,
 * const, required, properties, additionalProperties, items, anyOf/oneOf, minLength/maxLength,
 * minimum/maximum, pattern and local `$ref`s. Unknown keywords are ignored rather than guessed at, so a
 * recorded schema with exotic keywords never produces a false error.
 * Findings say what kind of defect it is, so the validator can map each to its own rule.
 */
export type SchemaFindingKind = "required" | "type" | "enum" | "unexpected" | "constraint";

export interface SchemaFinding {
  kind: SchemaFindingKind;
  /** Where in the checked value, e.g. `operations[1].type`; empty for the value itself. */
  path: string;
  message: string;
}

const MAX_DEPTH = 32;

export function checkAgainstSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  check(value, schema, root, "", findings, 0);
  return findings;
}

function check(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  out: SchemaFinding[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  const resolved = resolveRef(schema, root);
  if (!resolved) return;
  schema = resolved;

  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const branches = alternatives.map((alt) => {
      const branchFindings: SchemaFinding[] = [];
      check(value, alt, root, path, branchFindings, depth + 1);
      return branchFindings;
    });
    if (!branches.some((found) => found.length === 0)) {
      out.push({
        kind: "type",
        path,
        message: `${describe(path)} matches none of the allowed forms (${alternatives.map(typeLabel).join(" | ")})`,
      });
    }
  }

  if (schema.type !== undefined && !matchesType(value, schema.type)) {
    out.push({ kind: "type", path, message: `${describe(path)} must be ${typeLabel(schema)}, got ${jsonType(value)}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    out.push({
      kind: "enum",
      path,
      message: `${describe(path)} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${short(value)}`,
    });
  }
  if ("const" in schema && !deepEqual(schema.const, value)) {
    out.push({
      kind: "enum",
      path,
      message: `${describe(path)} must be ${JSON.stringify(schema.const)}, got ${short(value)}`,
    });
  }
  if (typeof value === "string") checkString(value, schema, path, out);
  if (typeof value === "number") checkNumber(value, schema, path, out);
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items && typeof items === "object" && !Array.isArray(items)) {
      for (const [index, item] of value.entries())
        check(item, items as JsonSchema, root, `${path}[${index}]`, out, depth + 1);
    }
  } else if (isObject(value)) {
    checkObject(value, schema, root, path, out, depth);
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  out: SchemaFinding[],
  depth: number,
): void {
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === "string" && !(name in value)) {
        out.push({
          kind: "required",
          path: join(path, name),
          message: `missing required parameter ${JSON.stringify(join(path, name))}`,
        });
      }
    }
  }
  for (const [key, child] of Object.entries(value)) {
    const propertySchema = properties[key];
    if (propertySchema) {
      check(child, propertySchema, root, join(path, key), out, depth + 1);
    } else if (schema.additionalProperties === false) {
      out.push({
        kind: "unexpected",
        path: join(path, key),
        message: `unexpected parameter ${JSON.stringify(join(path, key))}`,
      });
    } else if (isObject(schema.additionalProperties)) {
      check(child, schema.additionalProperties as JsonSchema, root, join(path, key), out, depth + 1);
    }
  }
}

function checkString(value: string, schema: JsonSchema, path: string, out: SchemaFinding[]): void {
  if (typeof schema.minLength === "number" && value.length < schema.minLength) {
    out.push({
      kind: "constraint",
      path,
      message: `${describe(path)} must be at least ${schema.minLength} characters`,
    });
  }
  if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
    out.push({ kind: "constraint", path, message: `${describe(path)} must be at most ${schema.maxLength} characters` });
  }
  const pattern = typeof schema.pattern === "string" ? safeRegExp(schema.pattern) : undefined;
  if (pattern && !pattern.test(value)) {
    out.push({ kind: "constraint", path, message: `${describe(path)} must match /${schema.pattern}/` });
  }
}

function checkNumber(value: number, schema: JsonSchema, path: string, out: SchemaFinding[]): void {
  if (typeof schema.minimum === "number" && value < schema.minimum) {
    out.push({ kind: "constraint", path, message: `${describe(path)} must be >= ${schema.minimum}` });
  }
  if (typeof schema.maximum === "number" && value > schema.maximum) {
    out.push({ kind: "constraint", path, message: `${describe(path)} must be <= ${schema.maximum}` });
  }
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 8; hops++) {
    const ref: string = current.$ref as string;
    if (!ref.startsWith("#")) return undefined; // remote refs are not followed
    current = ref
      .slice(1)
      .split("/")
      .filter((part) => part.length > 0)
      .reduce<unknown>(
        (node, part) => (isObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined),
        root,
      ) as JsonSchema | undefined;
  }
  return current;
}

function matchesType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case "string":
        return typeof value === "string";
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "integer":
        return typeof value === "number" && Number.isInteger(value);
      case "boolean":
        return typeof value === "boolean";
      case "null":
        return value === null;
      case "array":
        return Array.isArray(value);
      case "object":
        return isObject(value);
      default:
        return true;
    }
  });
}

export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isInteger(value)) return "integer";
  return typeof value;
}

function typeLabel(schema: JsonSchema): string {
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  if (typeof schema.type === "string") {
    if (schema.type === "array" && isObject(schema.items) && typeof (schema.items as JsonSchema).type === "string") {
      return `array of ${(schema.items as JsonSchema).type as string}`;
    }
    return schema.type;
  }
  return "any";
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const regexCache = new Map<string, RegExp | undefined>();
function safeRegExp(pattern: string): RegExp | undefined {
  if (!regexCache.has(pattern)) {
    let compiled: RegExp | undefined;
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = undefined; // an invalid pattern in a recorded schema is not the call's fault
    }
    regexCache.set(pattern, compiled);
  }
  return regexCache.get(pattern);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(path: string): string {
  return path ? `parameter ${JSON.stringify(path)}` : "value";
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
