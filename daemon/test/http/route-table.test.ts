import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROUTES, type Route } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_API_DOC, routeTableMarkdown, TABLE_END, TABLE_START } from "../../../shared/scripts/route-table";
import { startTestDaemon, type TestDaemon } from "../daemon-harness";
import { ROOT, sourceFiles } from "../source-files";

/** Lines of code (comments left out) that match `pattern`, as `file:line: text`. */
function codeMatching(folders: string[], pattern: RegExp): string[] {
  return folders.flatMap((folder) =>
    sourceFiles(join(ROOT, folder)).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => !/^\s*(\/\/|\*|\/\*\*)/.test(line) && pattern.test(line))
        .map(({ line, index }) => `${relative(ROOT, file)}:${index + 1}: ${line.trim()}`),
    ),
  );
}

let daemon: TestDaemon;
beforeAll(async () => {
  daemon = await startTestDaemon();
});
afterAll(() => daemon.stop());

describe("the route table", () => {
  it("is what the daemon serves: every route in it answers as registered, never 404 for an unknown route", async () => {
    for (const route of Object.values(ROUTES) as Route[]) {
      // Parameters filled with values that exist nowhere: a registered route answers 404 with its own words.
      const path = route.path.replace(/:[A-Za-z]+/g, "job_x");
      const reply = await daemon.call(route.method, path, route.body ? { body: {} } : {});
      expect(String(reply.body?.error?.message ?? ""), `${route.method} ${route.path}`).not.toMatch(/^no route/);
    }
    // And a route that is not in it is not served.
    expect((await daemon.call("GET", "/v1/nothing")).status).toBe(404);
  });

  it("is the only way the plugin and the CLI reach the daemon: no hand-built path, no fetch of their own, no unparsed reply", () => {
    const clients = ["plugin/src", "daemon/src/cli"];
    expect(codeMatching(clients, /["'`]\/v1\//)).toEqual([]);
    expect(codeMatching(clients, /JSON\.parse\([^)]*\) as /)).toEqual([]);
    const fetches = codeMatching(clients, /\bfetch\(/).filter((line) => !/daemon-client\.ts:/.test(line));
    expect(fetches).toEqual([]);
  });

  it("is the API reference's route table (docs/http-api.md), row for row", () => {
    const readme = readFileSync(HTTP_API_DOC, "utf8");
    const written = readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();
    expect(written, "run npm run routes").toBe(routeTableMarkdown());
  });
});
