import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { PROGRESS_SCHEMA_FILE, progressSchemaText } from "../scripts/build-progress-schema";

it("the Python trainer's copy of the progress schema is current (npm run schemas rewrites it)", () => {
  expect(readFileSync(PROGRESS_SCHEMA_FILE, "utf8")).toBe(progressSchemaText());
});
