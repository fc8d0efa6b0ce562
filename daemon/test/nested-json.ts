/** `{"a": {"a": … {"leaf": true}}}`, `depth` objects deep, built without recursion (JSON.stringify of it is another matter). */
export function nestedObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

/** The same as JSON text, written out directly: deep enough values cannot go through JSON.stringify. */
export function nestedObjectText(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{"leaf":true}${"}".repeat(depth - 1)}`;
}
