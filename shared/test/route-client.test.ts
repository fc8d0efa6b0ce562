import { describe, expect, it } from "vitest";
import { callRoute, RouteInputError, RouteReplyError, routeUrl, type Transport } from "../src/api/route-client";
import { ROUTES } from "../src/api/routes";

/** A transport that answers one fixed reply and keeps what was sent. */
function answering(
  status: number,
  body: unknown,
): { transport: Transport; sent: { method: string; path: string; body: unknown }[] } {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const transport: Transport = async (method, path, sentBody) => {
    sent.push({ method, path, body: sentBody });
    return { status, text: typeof body === "string" ? body : JSON.stringify(body) };
  };
  return { transport, sent };
}

const job = {
  id: "job_1",
  kind: "eval",
  state: "queued",
  request: {
    kind: "eval",
    set: "combos",
    backend: "embedded",
    model: "deployed",
    repeat: 1,
    concurrency: 4,
    temperature: 0,
    topP: 1,
    maxTokens: 10,
    grammar: false,
  },
  createdAt: "2026-12-01T00:00:00Z",
  startedAt: null,
  finishedAt: null,
  attempts: 0,
  progress: null,
  error: null,
  artefacts: {},
};

describe("calling a route of the table", () => {
  it("fills the path's parameters and writes the query as the daemon reads it", () => {
    expect(routeUrl(ROUTES.getTrace, { params: { id: "a b/c" } })).toBe("/v1/traces/a%20b%2Fc");
    expect(routeUrl(ROUTES.listJobs, { query: { state: "running", limit: 5, kind: undefined } })).toBe(
      "/v1/jobs?state=running&limit=5",
    );
    expect(() => routeUrl(ROUTES.getJob, { params: { id: "../etc" } })).toThrow(RouteInputError);
  });

  it("refuses, before sending, what the route would refuse, naming the field", async () => {
    const { transport, sent } = answering(201, job);
    const refused = await callRoute(transport, ROUTES.runEval, { body: { set: "combos", repeat: 50 } }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RouteInputError);
    expect(refused).toMatchObject({ path: "repeat", message: expect.stringMatching(/^repeat: .*20/) });
    expect(sent).toEqual([]);
    // What passes is sent as given: the daemon applies the defaults itself.
    expect(await callRoute(transport, ROUTES.runEval, { body: { set: "combos" } })).toMatchObject({
      id: "job_1",
      state: "queued",
    });
    expect(sent).toEqual([{ method: "POST", path: "/v1/evals", body: { set: "combos" } }]);
  });

  it("parses every reply with the route's schema, and says when a reply breaks it", async () => {
    const broken = await callRoute(answering(200, { status: "ok" }).transport, ROUTES.health).catch(
      (error: unknown) => error,
    );
    expect(broken).toBeInstanceOf(RouteReplyError);
    expect(broken).toMatchObject({ code: "contract", path: "version" });
    expect(await callRoute(answering(200, "line 1\n").transport, ROUTES.jobLog, { params: { id: "job_1" } })).toBe(
      "line 1\n",
    );
  });

  it("turns the daemon's error reply into an error with its status, code, message and field", async () => {
    const reply = {
      error: { code: "invalid-body", message: 'no dataset "x"', issues: [{ path: "dataset", message: "no dataset" }] },
    };
    const refused = await callRoute(answering(400, reply).transport, ROUTES.submitJob, {
      body: { kind: "train", dataset: "x" },
    }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, code: "invalid-body", message: 'no dataset "x"', path: "dataset" });
    const down = await callRoute(answering(502, "Bad Gateway").transport, ROUTES.health).catch(
      (error: unknown) => error,
    );
    expect(down).toMatchObject({ status: 502, message: "GET /v1/health answered 502: Bad Gateway" });
  });
});
