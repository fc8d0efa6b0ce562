import { z } from "zod";

/** One problem with a request, located by the path of the offending field (`traces.3.recordedAt`). */
export const ApiIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof ApiIssueSchema>;

/** The body of every non-2xx reply of the daemon. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    /** Stable machine-readable code: `unauthorized`, `forbidden-origin`, `invalid-body`, `not-found`, ... */
    code: z.string(),
    message: z.string(),
    issues: z.array(ApiIssueSchema).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
