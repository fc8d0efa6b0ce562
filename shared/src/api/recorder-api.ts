import { z } from "zod";

/** The MCP clients whose config the recorder can be installed into. */
export const RECORDER_CLIENTS = ["claude-desktop"] as const;

/** POST /v1/recorder/install and /uninstall: which vault's server entry, in which client's config. */
export const RecorderRequestSchema = z.object({
  /** The vault's folder (absolute): its server entry is the one changed. */
  vault: z.string().min(1).max(4096),
  client: z.enum(RECORDER_CLIENTS).default("claude-desktop"),
  /** The client's config file, when it is not where the client keeps it by default. */
  configPath: z.string().min(1).max(4096).optional(),
  /** install: the tap to run (the plugin's own tap.cjs); the daemon writes one to its data dir when absent. */
  tap: z
    .string()
    .max(4096)
    .regex(/(^|[\\/])tap\.cjs$/, "the tap is a file named tap.cjs")
    .optional(),
});
export type RecorderRequest = z.input<typeof RecorderRequestSchema>;

export const RecorderReplySchema = z.object({
  configPath: z.string(),
  /** The server entry changed (or found already so). */
  key: z.string(),
  changed: z.boolean(),
  backup: z.string().optional(),
  /** The tap the entry now runs (install only). */
  tap: z.string().optional(),
});
export type RecorderReply = z.infer<typeof RecorderReplySchema>;
