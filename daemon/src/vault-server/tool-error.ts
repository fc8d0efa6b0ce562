/** A failure the tool reports to the model, as the real plugin does: a result whose text starts with `❌ Error:`. */
export class ToolError extends Error {}

export function fail(message: string): never {
  throw new ToolError(message);
}
