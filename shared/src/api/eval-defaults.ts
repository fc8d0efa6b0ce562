/**
 * How an evaluation samples unless told otherwise: the route's schema and the command line's `eval run`
 * both take these (a module of its own, without zod, so the command line's help can read it cheaply).
 * The seed's evaluator used the same temperature and top_p.
 */
export const EVAL_SAMPLING = { temperature: 0.2, topP: 0.9, maxTokens: 1024 } as const;
