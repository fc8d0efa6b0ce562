import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ROUTES } from "../src/api/routes";

/** Where the API reference's route table starts and ends: what lies between is written from the route table. */
export const TABLE_START =
  "<!-- route table: written by `npm run routes` from shared/src/api/routes.ts; edit it there -->";
export const TABLE_END = "<!-- end of route table -->";
export const HTTP_API_DOC = fileURLToPath(new URL("../../docs/http-api.md", import.meta.url));

/** The HTTP API as a Markdown table, one row per route of the shared route table, in its order. */
export function routeTableMarkdown(): string {
  const rows = Object.values(ROUTES).map(
    (route) => `| \`${route.method} ${route.path}\` | ${route.summary.replaceAll("|", "\\|")} |`,
  );
  return ["| route | what it does |", "|---|---|", ...rows].join("\n");
}

/** The API reference with its route table written afresh. */
export function withRouteTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`docs/http-api.md has no route table markers (${TABLE_START} ... ${TABLE_END})`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${routeTableMarkdown()}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(HTTP_API_DOC, withRouteTable(readFileSync(HTTP_API_DOC, "utf8")));
  console.log(`wrote the route table (${Object.keys(ROUTES).length} routes) into ${HTTP_API_DOC}`);
}
