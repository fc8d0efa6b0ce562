import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatBackendError, chatWithToolsOpenAi } from "../../src/inference/openai-chat";

/** A local server answering POST /v1/chat/completions the way LM Studio, llama-server and vLLM do. */
let server: Server;
let baseUrl: string;
const received: any[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    received.push({ path: request.url, authorization: request.headers.authorization, body });
    if (request.url !== "/v1/chat/completions") {
      response.writeHead(404).end();
      return;
    }
    if (body.model === "broken") {
      response
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "model crashed" } }));
      return;
    }
    const tool = body.tools?.[0]?.function?.name;
    const message = tool
      ? {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_9",
              type: "function",
              function: {
                name: tool,
                arguments: body.model === "sloppy" ? "{path: Notes/a.md" : '{"path":"Notes/a.md"}',
              },
            },
          ],
        }
      : { role: "assistant", content: "hello" };
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: "x",
        object: "chat.completion",
        choices: [{ index: 0, message, finish_reason: tool ? "tool_calls" : "stop" }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const TOOLS = [
  {
    type: "function" as const,
    function: {
      name: "contentManager_readContent",
      description: "Read a note",
      parameters: { type: "object", properties: { path: { type: "string" } } },
    },
  },
];

describe("OpenAI-compatible chat backends", () => {
  it("sends the tools and earlier calls in OpenAI's shape and parses the answer's tool calls", async () => {
    const answer = await chatWithToolsOpenAi(
      baseUrl,
      "local-model",
      [
        { role: "user", content: "Read a.md" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ function: { name: "contentManager_readContent", arguments: { path: "a.md" } } }],
        },
        { role: "tool", content: "# A" },
        { role: "user", content: "Now Notes/a.md" },
      ],
      TOOLS,
      { apiKey: "secret" },
    );
    expect(answer).toEqual({
      content: "",
      toolCalls: [
        {
          id: "call_9",
          type: "function",
          function: { name: "contentManager_readContent", arguments: '{"path":"Notes/a.md"}' },
        },
      ],
      promptTokens: null,
      completionTokens: null,
    });
    const sent = received.at(-1);
    expect(sent.authorization).toBe("Bearer secret");
    expect(sent.body).toMatchObject({ model: "local-model", tools: TOOLS, temperature: 0, stream: false });
    expect(sent.body.messages[1].tool_calls[0]).toEqual({
      id: "call_1_1",
      type: "function",
      function: { name: "contentManager_readContent", arguments: '{"path":"a.md"}' },
    });
  });

  it("keeps arguments that are not JSON as they were written, for the scorer to judge", async () => {
    const answer = await chatWithToolsOpenAi(baseUrl, "sloppy", [{ role: "user", content: "Read" }], TOOLS);
    expect((answer.toolCalls as any[])[0].function.arguments).toBe("{path: Notes/a.md");
  });

  it("says what went wrong when the server fails or is not there", async () => {
    await expect(chatWithToolsOpenAi(baseUrl, "broken", [{ role: "user", content: "x" }], [])).rejects.toThrow(
      /chat\/completions answered 500: .*model crashed/,
    );
    await expect(
      chatWithToolsOpenAi("http://127.0.0.1:9/v1", "m", [{ role: "user", content: "x" }], []),
    ).rejects.toBeInstanceOf(ChatBackendError);
  });
});
