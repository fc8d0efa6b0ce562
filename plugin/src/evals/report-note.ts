import { normalizePath, TFile, type App } from "obsidian";

/** Where evaluation notes go in the vault. */
export const REPORT_FOLDER = "Vault Tuner/Evaluations";

/**
 * Puts an evaluation's Markdown report into the vault as a note (replacing an older copy of the same
 * run) and opens it, so it can be linked, searched and kept with the vault.
 */
export async function openReportNote(app: App, runId: string, markdown: string): Promise<TFile> {
  const path = normalizePath(`${REPORT_FOLDER}/${runId.replace(/[\\/:*?"<>|]/g, "-")}.md`);
  if (!app.vault.getAbstractFileByPath(REPORT_FOLDER))
    await app.vault.createFolder(REPORT_FOLDER).catch(() => undefined);
  const existing = app.vault.getAbstractFileByPath(path);
  let file: TFile;
  if (existing instanceof TFile) {
    await app.vault.modify(existing, markdown);
    file = existing;
  } else {
    file = await app.vault.create(path, markdown);
  }
  await app.workspace.getLeaf(true).openFile(file);
  return file;
}
