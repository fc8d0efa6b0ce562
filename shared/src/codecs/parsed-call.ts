import type { CallForm } from "../schemas/tool-call";

/** A tool call found in a message, in whichever form it was written. */
export interface ParsedCall {
  form: CallForm;
  name: string;
  /** As written; the validator checks that it is a non-empty object. */
  arguments: unknown;
  /** Call id, for the forms that carry one (OpenAI, Mistral). */
  id?: string;
  /** Character offset of the call in the message content (text forms). */
  offset?: number;
  /** The tool result written after the call, when the form keeps it inline (seed `Result:`). */
  result?: string;
}

/** A call marker whose call could not be read. */
export interface CallParseError {
  form: CallForm;
  message: string;
  offset?: number;
}

export interface ExtractedCalls {
  calls: ParsedCall[];
  errors: CallParseError[];
}
