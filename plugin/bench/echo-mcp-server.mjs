// A minimal MCP server over stdio that answers at once: with it, what the benchmark measures is the
// relay, not the server. One tool, `echo`, returning a 1 kB text like a small note.
import { createInterface } from "node:readline";

const note = "Some text of a small note. ".repeat(40);
const reply = (id, result) => process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
createInterface({ input: process.stdin }).on("line", (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return;
  if (message.method === "initialize")
    reply(message.id, {
      protocolVersion: "2025-06-18",
      capabilities: { tools: {} },
      serverInfo: { name: "echo-server", version: "1.0.0" },
    });
  else if (message.method === "tools/list")
    reply(message.id, {
      tools: [{ name: "echo", inputSchema: { type: "object", properties: { text: { type: "string" } } } }],
    });
  else if (message.method === "tools/call")
    reply(message.id, { content: [{ type: "text", text: `${message.params.arguments.text} ${note}` }] });
  else reply(message.id, {});
});
