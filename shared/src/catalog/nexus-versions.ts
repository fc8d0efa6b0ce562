/**
 * The Nexus releases whose toolsets ship as built-in catalogs (`nexus-<version>`), oldest first. The
 * name `nexus-5` means the newest. Adding a release: put its reference dump beside the others, add the
 * version here and to builtin-catalogs.ts, then `npm run catalogs`.
 */
export const NEXUS_VERSIONS = ["5.17.2", "5.20.1"] as const;
export type NexusVersion = (typeof NEXUS_VERSIONS)[number];

export const LATEST_NEXUS_VERSION: NexusVersion = NEXUS_VERSIONS[NEXUS_VERSIONS.length - 1] as NexusVersion;

/**
 * Whether a release remembers the workspace per session (a fresh session names it once; later calls
 * inherit it) rather than taking "default" for any call that names none. 5.20.1 is the first shipped
 * release that does.
 */
export function remembersWorkspace(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 5 || (major === 5 && minor >= 20);
}
