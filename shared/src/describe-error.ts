/** Any thrown value as the words a user reads: an Error's message, else the value as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
