import type { App, WorkspaceLeaf } from "obsidian";

/** Shows the plugin's view of this type, opening it in the right sidebar the first time. */
export async function openView(app: App, type: string): Promise<void> {
  const { workspace } = app;
  let leaf: WorkspaceLeaf | null = workspace.getLeavesOfType(type)[0] ?? null;
  if (!leaf) {
    leaf = workspace.getRightLeaf(false);
    if (!leaf) return;
    await leaf.setViewState({ type, active: true });
  }
  await workspace.revealLeaf(leaf);
}
