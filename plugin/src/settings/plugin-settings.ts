import { EVAL_BACKENDS, PutLabelBodySchema } from "@vault-tuner/shared";
import { z } from "zod";

/**
 * What the plugin keeps in the vault's data.json (synced with the vault). The daemon's address and
 * token are per device and live elsewhere (device-settings.ts). Parsed with zod on every load, with
 * migrations from older versions, so a hand-edited or old file never breaks the plugin.
 */
export const SETTINGS_VERSION = 1;

/** A label made while the daemon was down, waiting to be sent (oldest first). */
export const QueuedLabelSchema = z.object({
  traceId: z.string().min(1),
  body: PutLabelBodySchema,
  queuedAt: z.string(),
});
export type QueuedLabel = z.infer<typeof QueuedLabelSchema>;

export const PluginSettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** The recorder was installed for this vault from the plugin (and not uninstalled since). */
  recording: z.boolean(),
  /** The toolset calls are checked against; auto takes the one each recorded session saw. */
  toolsetProfile: z.enum(["auto", "claudesidian-3", "nexus-5", "nexus-5.17.2"]),
  /** What the eval panel starts with. */
  evalSet: z.string().min(1),
  evalBackend: z.enum(EVAL_BACKENDS),
  /** The model "Start training" fine-tunes: an imported base's name, a folder or a hub name; empty: the preset's. */
  trainModel: z.string().max(1000),
  labelQueue: z.array(QueuedLabelSchema),
});
export type PluginSettings = z.infer<typeof PluginSettingsSchema>;

export const DEFAULT_SETTINGS: Readonly<PluginSettings> = Object.freeze({
  version: SETTINGS_VERSION,
  recording: false,
  toolsetProfile: "auto",
  evalSet: "full-coverage",
  evalBackend: "embedded",
  trainModel: "",
  labelQueue: [],
});

export interface LoadedSettings {
  settings: PluginSettings;
  /** What could not be kept as it was, in words (shown once as a notice). */
  notes: string[];
}

/**
 * Reads whatever data.json holds: nothing (first run), an older version, or a file with bad fields.
 * Each field that does not parse falls back to its default with a note; queued labels are checked one by
 * one so that one bad entry never costs the others.
 */
export function loadSettings(raw: unknown): LoadedSettings {
  const notes: string[] = [];
  if (raw === null || raw === undefined) return { settings: fresh(), notes };
  if (typeof raw !== "object" || Array.isArray(raw))
    return { settings: fresh(), notes: ["the saved settings were not an object; defaults are used"] };
  const data = migrate({ ...(raw as Record<string, unknown>) }, notes);
  const settings = fresh();
  for (const key of ["recording", "toolsetProfile", "evalSet", "evalBackend", "trainModel"] as const) {
    if (data[key] === undefined) continue;
    const parsed = PluginSettingsSchema.shape[key].safeParse(data[key]);
    if (parsed.success) (settings as Record<string, unknown>)[key] = parsed.data;
    else notes.push(`setting ${key} was ${JSON.stringify(data[key])}, which is not valid; the default is used`);
  }
  if (Array.isArray(data.labelQueue)) {
    data.labelQueue.forEach((entry, index) => {
      const parsed = QueuedLabelSchema.safeParse(entry);
      if (parsed.success) settings.labelQueue.push(parsed.data);
      else
        notes.push(
          `queued label ${index + 1} could not be read and was dropped: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        );
    });
  }
  return { settings, notes };
}

function fresh(): PluginSettings {
  return { ...DEFAULT_SETTINGS, labelQueue: [] };
}

/** Brings older saved shapes up to the current version. Version 0 (before versions) called the queue `pendingLabels`. */
function migrate(data: Record<string, unknown>, notes: string[]): Record<string, unknown> {
  const version = typeof data.version === "number" ? data.version : 0;
  if (version > SETTINGS_VERSION)
    notes.push(`the settings were saved by a newer Vault Tuner (version ${version}); unknown fields are ignored`);
  if (version < 1) {
    if (data.pendingLabels !== undefined && data.labelQueue === undefined) data.labelQueue = data.pendingLabels;
    delete data.pendingLabels;
  }
  return { ...data, version: SETTINGS_VERSION };
}
