import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [readFileSync(join(folder, entry.name), "utf8")]
        : [],
  );
}

describe("what Obsidian reads next to main.js", () => {
  it("manifest.json: a desktop-only plugin whose version is the package's and is listed in versions.json with its minimum app version", () => {
    const manifest = JSON.parse(read("manifest.json"));
    const versions = JSON.parse(read("versions.json"));
    expect(manifest).toMatchObject({ id: "vault-tuner", name: "Vault Tuner", isDesktopOnly: true });
    expect(manifest.version).toBe(JSON.parse(read("package.json")).version);
    expect(versions[manifest.version]).toBe(manifest.minAppVersion);
    expect(manifest.description.length).toBeLessThanOrEqual(250);
  });

  it("styles.css: every plugin class it styles is one the plugin's code uses (no dead rules)", () => {
    const code = sources(join(ROOT, "plugin", "src")).join("\n");
    const styled = [
      ...new Set(
        read("styles.css")
          .match(/\.vault-tuner-[a-z0-9-]+/g)
          ?.map((name) => name.slice(1)),
      ),
    ];
    expect(styled.length).toBeGreaterThan(20);
    // Numbered classes (vault-tuner-series-2) are made from a template: `vault-tuner-series-${...}`.
    const used = (name: string) =>
      code.includes(name) || (/-\d+$/.test(name) && code.includes(`${name.replace(/\d+$/, "")}\${`));
    expect(styled.filter((name) => !used(name))).toEqual([]);
  });
});
