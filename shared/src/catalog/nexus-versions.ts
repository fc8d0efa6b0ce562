/**
 * The Nexus releases whose toolsets ship as built-in catalogs (`nexus-<version>`), oldest first. The
 * name `nexus-5` means the newest. Adding a release: put its reference dump beside the others, add the
 * version here and to builtin-catalogs.ts, then `npm run catalogs`.
 */
export const NEXUS_VERSIONS = ["5.17.2", "5.20.1"] as const;
export type NexusVersion = (typeof NEXUS_VERSIONS)[number];

export const LATEST_NEXUS_VERSION: NexusVersion = NEXUS_VERSIONS[NEXUS_VERSIONS.length - 1] as NexusVersion;
