import fc from "fast-check";
import type { Route } from "@vault-tuner/shared";
import { makeTrace } from "../daemon-harness";
import { nestedObjectText } from "../nested-json";

/** One request the probe sends: a path with its parameters and query filled in, a body as raw text. */
export interface ProbeRequest {
  path: string;
  body?: string;
  contentType?: string;
}

/** Any UTF-16 unit: lone surrogates, control characters, NUL and all. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Texts clients get wrong: empty, control characters, lone surrogates, path tricks, long, numeric-looking. */
export const hostileText = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc.constantFrom("", " ", "..", "../../outside/x", "%2e%2e", "a/b", "\u0000", "\ud800", "-1", "1e309", "NaN", "null"),
  fc.string({ maxLength: 8 }).map((text) => text.repeat(700)),
);

/** A JSON value, or one nested far past the daemon's depth limit. */
const hostileJson = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? "null") },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 20_000 }).map(nestedObjectText) },
);

/** Bodies that are not JSON at all. */
const notJson = fc.oneof(fc.string({ unit: anyUnit, maxLength: 60 }), fc.constantFrom("{", '{"traces":[', "[]]"));

/** Well-formed bodies of the routes that take one, for the probe to break one field at a time. */
const VALID_BODIES: Record<string, unknown> = {
  "POST /v1/traces": { traces: [makeTrace({ id: "probe-valid" })] },
  "PUT /v1/traces/:id/label": { label: "undesirable", note: "n", correction: { arguments: { mode: "x" } } },
  "POST /v1/toolsets": { tools: [{ name: "t", inputSchema: { type: "object" } }] },
  "POST /v1/datasets": { name: "probe", sources: { traces: {} }, holdout: 0, balance: "none" },
  "PUT /v1/models/:id/name": { name: "probe" },
  "POST /v1/evals/sets/recorded": { dataset: "probe", id: "probe" },
};

/** Percent-encoded for a URL; a lone surrogate goes as the bytes of one (not UTF-8), which the daemon must refuse. */
function urlPart(text: string): string {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  return lone.test(text) ? `${encodeURIComponent(text.replace(lone, ""))}%ED%A0%80` : encodeURIComponent(text);
}

/** Every path inside a JSON value, as key lists. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

/** `body` with the value at one of its paths replaced. */
function replaced(body: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = value;
  return copy;
}

/** A valid body with one field broken: a wrong type, a hostile text, or dropped. */
function brokenBody(valid: unknown): fc.Arbitrary<string> {
  const paths = pathsOf(valid);
  return fc
    .tuple(
      fc.nat({ max: paths.length - 1 }),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileText, fc.constant(undefined)),
    )
    .map(([index, value]) => JSON.stringify(replaced(valid, paths[index] as Array<string | number>, value)) ?? "null");
}

/** Requests to one route: hostile path parameters, hostile query values, hostile bodies. */
export function probeRequests(route: Route): fc.Arbitrary<ProbeRequest> {
  const queryKeys =
    route.query instanceof Object && "shape" in route.query ? Object.keys(route.query.shape as object) : [];
  const path = fc.array(hostileText, { minLength: 3, maxLength: 3 }).map((values) => {
    let index = 0;
    return route.path.replace(/:[a-zA-Z]+/g, () => urlPart(values[index++] ?? "x"));
  });
  const query = fc
    .dictionary(fc.oneof(fc.constantFrom(...queryKeys, "x"), fc.string({ maxLength: 6 })), hostileText, {
      maxKeys: 4,
    })
    .map((pairs) => {
      const text = Object.entries(pairs)
        .map(([key, value]) => `${urlPart(key)}=${urlPart(value)}`)
        .join("&");
      return text ? `?${text}` : "";
    });
  const valid = VALID_BODIES[`${route.method} ${route.path}`];
  const body: fc.Arbitrary<Pick<ProbeRequest, "body" | "contentType">> =
    route.method === "GET"
      ? fc.constant({})
      : fc.oneof(
          hostileJson.map((text) => ({ body: text })),
          notJson.map((text) => ({ body: text })),
          fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "").map((type) => ({
            body: "{}",
            contentType: type,
          })),
          ...(valid ? [brokenBody(valid).map((text) => ({ body: text }))] : []),
        );
  return fc.tuple(path, query, body).map(([filled, search, payload]) => ({ path: `${filled}${search}`, ...payload }));
}
