/**
 * Putting the recording tap in front of the vault's MCP server in an MCP client's config
 * (`claude_desktop_config.json` and the like: `{"mcpServers": {"<key>": {command, args, env?}}}`),
 * and taking it out again. Pure functions over parsed JSON: the CLI and the plugin do the file work.
 */

export interface ServerEntry {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  [other: string]: unknown;
}

export interface ClientConfig {
  mcpServers?: Record<string, ServerEntry>;
  [other: string]: unknown;
}

export class ClientConfigError extends Error {}

/** The vault name as the plugins put it in their server key and socket name. */
export function vaultSlug(vaultName: string): string {
  return vaultName
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/\s/g, "-")
    .replace(/-+/g, "-");
}

/** The keys Claudesidian (3.0-3.1) and Nexus (3.2+) write for a vault. */
export function serverKeys(vaultName: string): string[] {
  const slug = vaultSlug(vaultName);
  return [`claudesidian-mcp-${slug}`, `nexus-${slug}`];
}

const TAP_FILE = /(^|[\\/])tap\.cjs$/;

/** True when the entry already launches the tap. */
export function isTapped(entry: ServerEntry): boolean {
  return TAP_FILE.test(entry.args?.[0] ?? "") && (entry.args ?? []).includes("--");
}

/**
 * The vault's server entry: by the keys the plugins write, else by a connector path inside the vault
 * (a key the user renamed). Errors say what was looked for and what is there.
 */
export function findVaultEntry(config: ClientConfig, vaultName: string, vaultPath: string): string {
  const servers = config.mcpServers;
  if (!servers || typeof servers !== "object")
    throw new ClientConfigError(
      'the config has no "mcpServers" section: is Claudesidian / Nexus set up in this client?',
    );
  const keys = serverKeys(vaultName).filter((key) => key in servers);
  if (keys.length > 0) return keys[0] as string;
  const plugins = `${vaultPath.replace(/[\\/]+$/, "")}/.obsidian/plugins/`.replace(/\\/g, "/");
  const byPath = Object.keys(servers).filter((key) =>
    (servers[key]?.args ?? []).some((arg) => arg.replace(/\\/g, "/").startsWith(plugins)),
  );
  if (byPath.length === 1) return byPath[0] as string;
  throw new ClientConfigError(
    `no server entry for vault "${vaultName}": looked for ${serverKeys(vaultName).join(" or ")} and for a connector under ${plugins}; found ${Object.keys(servers).join(", ") || "none"}`,
  );
}

/** The entry launching the tap in front of the original command; the original's other fields are kept. */
export function tappedEntry(original: ServerEntry, tapPath: string, tapOptions: string[]): ServerEntry {
  return {
    ...original,
    command: original.command,
    args: [tapPath, ...tapOptions, "--", original.command, ...(original.args ?? [])],
  };
}

/** The original entry back from a tapped one (for configs installed elsewhere, without our record). */
export function untappedEntry(entry: ServerEntry): ServerEntry {
  const args = entry.args ?? [];
  const separator = args.indexOf("--");
  const [command, ...rest] = args.slice(separator + 1);
  if (!isTapped(entry) || command === undefined) throw new ClientConfigError("the entry does not launch the tap");
  const { args: _tapArgs, ...others } = entry;
  return { ...others, command, ...(rest.length > 0 ? { args: rest } : {}) };
}
