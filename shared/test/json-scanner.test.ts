import { describe, expect, it } from "vitest";
import { scanJsonValue } from "../src/codecs/json-scanner";

describe("scanJsonValue", () => {
  it("finds the end of an object with braces and quotes inside strings", () => {
    const text = 'arguments: {"a": "x } y { \\" z", "b": [1, {"c": "]"}]} trailing } text';
    const scan = scanJsonValue(text, "arguments:".length);
    expect(scan.ok).toBe(true);
    if (!scan.ok) return;
    expect(scan.value).toEqual({ a: 'x } y { " z', b: [1, { c: "]" }] });
    expect(text.slice(scan.end)).toBe(" trailing } text");
  });

  it("handles escaped backslashes before a closing quote", () => {
    const scan = scanJsonValue('{"path": "C:\\\\dir\\\\"} rest', 0);
    expect(scan.ok && scan.value).toEqual({ path: "C:\\dir\\" });
  });

  it("reads deep nesting", () => {
    const deep = `${"[".repeat(200)}1${"]".repeat(200)}`;
    const scan = scanJsonValue(`${deep}x`, 0);
    expect(scan.ok && scan.end).toBe(deep.length);
  });

  it("reads strings, numbers and literals", () => {
    expect(scanJsonValue(' "a,b" tail', 0)).toMatchObject({ ok: true, value: "a,b" });
    expect(scanJsonValue("-12.5e3, next", 0)).toMatchObject({ ok: true, value: -12500 });
    expect(scanJsonValue("true}", 0)).toMatchObject({ ok: true, value: true });
  });

  it("reports an unterminated object, a mismatched bracket and an unterminated string", () => {
    expect(scanJsonValue('{"a": {"b": 1}', 0)).toMatchObject({
      ok: false,
      error: expect.stringContaining("unterminated JSON object"),
    });
    expect(scanJsonValue('{"a": [1, 2}', 0)).toMatchObject({ ok: false, error: expect.stringContaining("unbalanced") });
    expect(scanJsonValue('{"a": "open', 0)).toMatchObject({ ok: false, error: "unterminated JSON string" });
    expect(scanJsonValue("   ", 0)).toMatchObject({ ok: false });
  });

  it("rejects a balanced but invalid body", () => {
    expect(scanJsonValue("{'single': 1}", 0)).toMatchObject({
      ok: false,
      error: expect.stringContaining("invalid JSON"),
    });
  });
});
