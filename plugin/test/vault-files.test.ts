import { describe, expect, it } from "vitest";
import { FileSystemAdapter, stubApp } from "./obsidian-stub";
import type { App, PluginManifest } from "obsidian";
import { openReportNote } from "../src/evals/report-note";
import { vaultFolder, writeTapNextToPlugin } from "../src/recorder/tap-on-disk";
import tapSource from "vault-tuner:tap";

const manifest = { id: "vault-tuner", dir: ".obsidian/plugins/vault-tuner" } as PluginManifest;

describe("the tap next to the plugin", () => {
  it("is written on first load, left alone while it is current, rewritten when the plugin brings a new one", async () => {
    const app = stubApp("/home/me/Notes");
    const adapter = app.vault.adapter;
    expect(await writeTapNextToPlugin(app as unknown as App, manifest)).toBe(
      "/home/me/Notes/.obsidian/plugins/vault-tuner/tap.cjs",
    );
    expect(adapter.files.get(".obsidian/plugins/vault-tuner/tap.cjs")).toBe(tapSource);
    await writeTapNextToPlugin(app as unknown as App, manifest);
    expect(adapter.writes).toBe(1);
    adapter.files.set(".obsidian/plugins/vault-tuner/tap.cjs", "// an older tap");
    await writeTapNextToPlugin(app as unknown as App, manifest);
    expect([adapter.writes, adapter.files.get(".obsidian/plugins/vault-tuner/tap.cjs")]).toEqual([2, tapSource]);
    expect(vaultFolder(app as unknown as App)).toBe("/home/me/Notes");
  });

  it("is not written where the vault is not on a local disk", async () => {
    const app = { ...stubApp(), vault: { ...stubApp().vault, adapter: {} } };
    expect(await writeTapNextToPlugin(app as unknown as App, manifest)).toBeUndefined();
    expect(vaultFolder(app as unknown as App)).toBeUndefined();
    expect(new FileSystemAdapter("/x").getBasePath()).toBe("/x");
  });
});

describe("the evaluation report note", () => {
  it("goes into Vault Tuner/Evaluations (folder made once), replaces an older copy of the same run, and is opened", async () => {
    const app = stubApp();
    const first = await openReportNote(app as unknown as App, "job_2026:a/b", "# Evaluation 1\n");
    expect(first.path).toBe("Vault Tuner/Evaluations/job_2026-a-b.md");
    await openReportNote(app as unknown as App, "job_2026:a/b", "# Evaluation 1, again\n");
    expect(app.vault.text("Vault Tuner/Evaluations/job_2026-a-b.md")).toBe("# Evaluation 1, again\n");
    expect(app.opened).toEqual(["Vault Tuner/Evaluations/job_2026-a-b.md", "Vault Tuner/Evaluations/job_2026-a-b.md"]);
  });
});
