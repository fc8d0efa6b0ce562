import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";

let daemon: TestDaemon;
beforeAll(async () => {
  daemon = await startTestDaemon();
});
afterAll(async () => {
  await daemon.stop();
});

/** A request with a Host of our choosing (fetch always sends the URL's own). */
function withHost(host: string, path: string): Promise<{ status: number; body: any }> {
  const url = new URL(daemon.url);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      { host: url.hostname, port: url.port, path, headers: { host, authorization: `Bearer ${daemon.token}` } },
      (reply) => {
        let text = "";
        reply.on("data", (chunk) => (text += String(chunk)));
        reply.on("end", () => resolve({ status: reply.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    sent.on("error", reject);
    sent.end();
  });
}

describe("where a request may come from", () => {
  it("answers only to its own loopback address: another Host is refused, token or not (DNS rebinding)", async () => {
    const port = new URL(daemon.url).port;
    for (const host of [`evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, "127.0.0.1"]) {
      const reply = await withHost(host, "/v1/traces");
      expect(reply.status, host).toBe(403);
      expect(reply.body.error.code).toBe("forbidden-host");
    }
    expect((await withHost(`127.0.0.1:${port}`, "/v1/traces")).status).toBe(200);
    expect((await withHost(`localhost:${port}`, "/v1/traces")).status).toBe(200);
  });

  it("takes a token in the URL for the websocket only", async () => {
    const reply = await daemon.call("GET", `/v1/traces?token=${daemon.token}`, { auth: false });
    expect(reply.status).toBe(401);
    const write = await daemon.call("POST", `/v1/traces?token=${daemon.token}`, {
      auth: false,
      body: { traces: [makeTrace()] },
    });
    expect(write.status).toBe(401);
    expect((await daemon.call("GET", "/v1/traces")).body.items).toEqual([]);
  });
});

describe("authentication", () => {
  it("answers health without a token, and nothing else", async () => {
    const health = await daemon.call("GET", "/v1/health", { auth: false });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    const traces = await daemon.call("GET", "/v1/traces", { auth: false });
    expect(traces.status).toBe(401);
    expect(traces.body.error.code).toBe("unauthorized");
  });

  it("refuses a wrong token, a token of another length and a non-bearer scheme", async () => {
    const wrong = daemon.token.replace(/^./, (c) => (c === "a" ? "b" : "a"));
    for (const authorization of [`Bearer ${wrong}`, "Bearer short", `Basic ${daemon.token}`]) {
      const reply = await daemon.call("POST", "/v1/traces", {
        auth: false,
        headers: { authorization },
        body: { traces: [makeTrace()] },
      });
      expect(reply.status, authorization).toBe(401);
    }
    expect((await daemon.call("GET", "/v1/traces")).body.items).toEqual([]);
  });

  it("keeps the token file private to the user", async () => {
    const { statSync } = await import("node:fs");
    expect(statSync(daemon.daemon.tokenFile).mode & 0o777).toBe(0o600);
    expect(daemon.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a websocket without the token and accepts one with ?token=", async () => {
    const refused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events`);
      socket.on("unexpected-response", (request, response) => {
        request.destroy();
        resolve(response.statusCode ?? 0);
      });
      socket.on("error", () => undefined);
      socket.on("open", () => resolve(101));
    });
    expect(refused).toBe(401);
    const hello = await new Promise<any>((resolve, reject) => {
      const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events?token=${daemon.token}`);
      socket.on("message", (data) => {
        socket.close();
        resolve(JSON.parse(String(data)));
      });
      socket.on("error", reject);
    });
    expect(hello.type).toBe("hello");
  });
});

describe("origins", () => {
  it("refuses a web page's origin with 403, even with the right token", async () => {
    for (const origin of ["https://example.com", "http://127.0.0.1:3000", "null", "app://obsidian.md.evil.com"]) {
      const reply = await daemon.call("POST", "/v1/traces", { headers: { origin }, body: { traces: [makeTrace()] } });
      expect(reply.status, origin).toBe(403);
      expect(reply.body.error.code).toBe("forbidden-origin");
    }
    expect(
      (await daemon.call("GET", "/v1/health", { auth: false, headers: { origin: "https://example.com" } })).status,
    ).toBe(403);
    expect((await daemon.call("GET", "/v1/traces")).body.items).toEqual([]);
  });

  it("lets Obsidian in, answering its preflight without a token", async () => {
    const preflight = await fetch(`${daemon.url}/v1/traces`, {
      method: "OPTIONS",
      headers: {
        origin: "app://obsidian.md",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("app://obsidian.md");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const reply = await daemon.call("GET", "/v1/traces", { headers: { origin: "app://obsidian.md" } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("access-control-allow-origin")).toBe("app://obsidian.md");
  });
});

describe("request bodies", () => {
  it("names the bad field of a malformed trace", async () => {
    const bad = { ...makeTrace(), recordedAt: "yesterday" };
    const reply = await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace(), bad] } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("invalid-body");
    expect(reply.body.error.issues).toContainEqual(expect.objectContaining({ path: "traces.1.recordedAt" }));
    expect(reply.body.error.message).toContain("traces.1.recordedAt");
    expect((await daemon.call("GET", "/v1/traces")).body.items, "nothing of a rejected batch is stored").toEqual([]);
  });

  it("rejects an empty batch, a batch over 1,000 and a wrong transport, each by field", async () => {
    const cases: [unknown, string][] = [
      [{ traces: [] }, "traces"],
      [{ traces: Array.from({ length: 1001 }, () => makeTrace()) }, "traces"],
      [
        { traces: [{ ...makeTrace(), source: { transport: "carrier-pigeon", server: "x" } }] },
        "traces.0.source.transport",
      ],
      [{ traces: [{ ...makeTrace(), call: { name: "x", arguments: "not an object" } }] }, "traces.0.call.arguments"],
    ];
    for (const [body, path] of cases) {
      const reply = await daemon.call("POST", "/v1/traces", { body });
      expect(reply.status, path).toBe(400);
      expect(reply.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
  });

  it("answers text that is not JSON with 400 in the same shape", async () => {
    const reply = await daemon.call("POST", "/v1/traces", { body: "{not json" });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("invalid-json");
  });

  it("names a bad query parameter", async () => {
    const reply = await daemon.call("GET", "/v1/traces?limit=500");
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("invalid-querystring");
    expect(reply.body.error.issues[0].path).toBe("limit");
  });

  it("refuses an oversized body with 413 and stores none of it", async () => {
    const huge = "x".repeat(33 * 1024 * 1024);
    const reply = await daemon.call("POST", "/v1/traces", {
      body: { traces: [makeTrace({ result: { content: [{ type: "text", text: huge }], isError: false } })] },
    });
    expect(reply.status).toBe(413);
    expect(reply.body.error.code).toBe("body-too-large");
    expect((await daemon.call("GET", "/v1/traces")).body.items).toEqual([]);
  });

  it("answers an unknown route with 404 in the same shape", async () => {
    const reply = await daemon.call("GET", "/v1/nothing-here");
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: { code: "not-found", message: "no route GET /v1/nothing-here" } });
  });
});
