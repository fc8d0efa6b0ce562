import { describe, expect, it } from "vitest";
import { checkAgainstSchema } from "../src/catalog/json-schema";

const schema = {
  type: "object",
  properties: {
    path: { type: "string", minLength: 1 },
    depth: { type: "number", minimum: 0 },
    mode: { type: "string", enum: ["tab", "split"] },
    tags: { type: "array", items: { type: "string" } },
    where: { anyOf: [{ type: "string" }, { $ref: "#/$defs/place" }] },
  },
  required: ["path"],
  additionalProperties: false,
  $defs: { place: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } },
};

describe("checkAgainstSchema", () => {
  it("accepts a value that fits", () => {
    expect(
      checkAgainstSchema({ path: "a.md", depth: 2, mode: "tab", tags: ["x"], where: { id: "w" } }, schema),
    ).toEqual([]);
  });

  it("names each defect with its kind and path", () => {
    const findings = checkAgainstSchema(
      { depth: "2", mode: "window", tags: ["x", 3], where: { nope: 1 }, extra: true },
      schema,
    );
    expect(findings.map((f) => [f.kind, f.path])).toEqual([
      ["required", "path"],
      ["type", "depth"],
      ["enum", "mode"],
      ["type", "tags[1]"],
      ["type", "where"],
      ["unexpected", "extra"],
    ]);
  });

  it("checks string and number limits", () => {
    expect(checkAgainstSchema({ path: "", depth: -1 }, schema).map((f) => f.kind)).toEqual([
      "constraint",
      "constraint",
    ]);
  });

  it("ignores keywords it does not know rather than guessing", () => {
    expect(checkAgainstSchema({ a: 1 }, { type: "object", patternProperties: { "^b": { type: "string" } } })).toEqual(
      [],
    );
  });
});
