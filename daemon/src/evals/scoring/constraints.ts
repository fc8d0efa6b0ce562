import { isObject, type ArgConstraint } from "@vault-tuner/shared";

/** The value at a dotted path (`context.sessionId`), or `undefined` when any step is missing. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (!isObject(current) || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A vault path as the plugin reads it: no leading slash, forward slashes. */
export function normalizeVaultPath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\/+/, "");
}

/** `undefined` when the value meets the constraint; otherwise why not, in words. */
export function checkConstraint(value: unknown, constraint: ArgConstraint): string | undefined {
  if ("absent" in constraint) return value === undefined ? undefined : `should not be given, got ${short(value)}`;
  if (value === undefined) return "is missing";
  if ("any" in constraint) return undefined;
  if ("exact" in constraint)
    return deepEqual(value, constraint.exact) ? undefined : `is ${short(value)}, expected ${short(constraint.exact)}`;
  if ("oneOf" in constraint)
    return constraint.oneOf.some((option) => deepEqual(value, option))
      ? undefined
      : `is ${short(value)}, expected one of ${constraint.oneOf.map(short).join(", ")}`;
  if (typeof value !== "string") return `is ${short(value)}, expected a string`;
  if ("pattern" in constraint)
    return new RegExp(constraint.pattern, constraint.flags).test(value)
      ? undefined
      : `is ${short(value)}, expected to match /${constraint.pattern}/${constraint.flags ?? ""}`;
  if ("path" in constraint)
    return normalizeVaultPath(value) === normalizeVaultPath(constraint.path)
      ? undefined
      : `is ${short(value)}, expected the path ${short(constraint.path)}`;
  const lower = value.toLowerCase();
  const missing = constraint.contains.filter((part) => !lower.includes(part.toLowerCase()));
  return missing.length === 0 ? undefined : `lacks ${missing.map(short).join(", ")}`;
}

/** Every failed constraint of `args`, as `path reason`. */
export function checkConstraints(args: unknown, constraints: Record<string, ArgConstraint>): string[] {
  const problems: string[] = [];
  for (const [path, constraint] of Object.entries(constraints)) {
    const problem = checkConstraint(valueAt(args, path), constraint);
    if (problem) problems.push(`${path} ${problem}`);
  }
  return problems;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/** A value shortened for a message. */
export function short(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
