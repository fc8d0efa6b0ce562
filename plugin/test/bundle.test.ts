import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("the plugin bundle", () => {
  it("builds with esbuild.config.mjs and needs nothing at run time but Obsidian (no Node builtins)", () => {
    const out = join(mkdtempSync(join(tmpdir(), "vault-tuner-bundle-")), "main.js");
    execFileSync(process.execPath, ["esbuild.config.mjs", "production"], {
      env: { ...process.env, VAULT_TUNER_PLUGIN_OUTFILE: out },
      stdio: "pipe",
    });
    const bundle = readFileSync(out, "utf8");
    // The recording tap rides along as a string (written to disk at load); its own requires run in Node, not here.
    const tapLiteral = /'#!\/usr\/bin\/env node(?:\\.|[^'\\])*'/;
    expect(bundle).toMatch(tapLiteral);
    expect([...new Set(bundle.replace(tapLiteral, "''").match(/require\("[^"]+"\)/g))]).toEqual([
      'require("obsidian")',
    ]);
    expect(bundle).toContain("validate-active-dataset");
  });
});
