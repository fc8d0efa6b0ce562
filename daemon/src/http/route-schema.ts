import type { Route } from "@vault-tuner/shared";

type Present<K extends string, T> = T extends undefined ? { [P in K]?: undefined } : { [P in K]: T };

/** A route's Fastify schema, from the shared route table: what it takes, and what it answers on success. */
export type SchemaOf<R extends Route> = Present<"params", R["params"]> &
  Present<"querystring", R["query"]> &
  Present<"body", R["body"]> &
  (R["reply"] extends string ? { response?: undefined } : { response: Record<R["statuses"][number], R["reply"]> });

/** The schema Fastify validates a route with, taken from the route table so the daemon and its clients agree. */
export function schemaOf<R extends Route>(route: R): SchemaOf<R> {
  return {
    ...(route.params ? { params: route.params } : {}),
    ...(route.query ? { querystring: route.query } : {}),
    ...(route.body ? { body: route.body } : {}),
    ...(typeof route.reply === "string"
      ? {}
      : { response: Object.fromEntries(route.statuses.map((status) => [status, route.reply])) }),
  } as SchemaOf<R>;
}
