import { fileURLToPath } from "node:url";

/** The workplace's reference data folder, which sits beside the repository (`../shared/data`). */
export const REFERENCE_DATA = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
export const COPILOT_DATASET = `${REFERENCE_DATA}anchor/syngen_toolset_v1.0.1_copilot.jsonl`;
