import { Template } from "@huggingface/jinja";
import type { ChatMessage, ChatTool } from "./chat-types";

/**
 * A conversation rendered with a model's own Jinja chat template, the way transformers' `apply_chat_template`
 * renders it for training (the same variables, tool-call arguments as objects). The evaluator's free-running
 * backend feeds this text to the model, so what it is scored on is what it was trained on and what Ollama
 * or llama.cpp would show it. The BOS token is not written here: the tokenizer adds it where the model asks.
 */
export class ChatTemplate {
  private readonly template: Template;

  constructor(
    readonly source: string,
    private readonly specialTokens: { bos_token?: string; eos_token?: string } = {},
  ) {
    this.template = new Template(source);
  }

  render(messages: ChatMessage[], tools: ChatTool[], addGenerationPrompt = true): string {
    return this.template.render({
      messages: messages.map(forTemplate),
      tools: tools.length > 0 ? tools : undefined,
      add_generation_prompt: addGenerationPrompt,
      ...this.specialTokens,
    });
  }
}

/** Templates read call arguments as objects; the OpenAI shape may carry them as a JSON string. */
function forTemplate(message: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: message.role, content: message.content ?? "" };
  if (message.tool_calls?.length) {
    out.tool_calls = message.tool_calls.map((call) => ({
      ...(call.id ? { id: call.id } : {}),
      type: "function",
      function: {
        name: call.function.name,
        arguments:
          typeof call.function.arguments === "string"
            ? parseArguments(call.function.arguments)
            : call.function.arguments,
      },
    }));
  }
  if (message.tool_call_id) out.tool_call_id = message.tool_call_id;
  if (message.name) out.name = message.name;
  return out;
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
