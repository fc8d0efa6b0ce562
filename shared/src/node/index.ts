// Node-only helpers of @vault-tuner/shared (file access); the plugin never imports this entry.
export { readLines, MAX_LINE_BYTES, type FileLine } from "./read-lines";
export { loadCatalog } from "./load-catalog";
export { toolsetHash } from "./toolset-hash";
