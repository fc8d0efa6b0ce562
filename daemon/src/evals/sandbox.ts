import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { MEMORY_COLLECTIONS, type VaultFixture } from "@vault-tuner/shared";
import type { VaultSnapshot } from "./scoring/final-state";
import { DAEMON_VERSION } from "../version";
import { createSandboxServer } from "../vault-server/sandbox-server";
import { STORE_FOLDER, vaultPath } from "../vault-server/vault-paths";

/** The sandbox's answer to one call: its text, and whether the plugin would have reported an error. */
export interface SandboxResult {
  text: string;
  isError: boolean;
}

/**
 * A throwaway copy of a case's starting vault, served by the reference vault MCP server and reached
 * through a real MCP client (in memory: same protocol, no process per case). Every call the model makes
 * runs here, so the final state can be judged instead of trusting the model's account of it.
 */
export class VaultSandbox {
  private constructor(
    readonly root: string,
    private readonly client: Client,
  ) {}

  /** A sandbox serving `toolset` (a built-in catalog id; Claudesidian 3.x in its flat form). */
  static async open(fixture: VaultFixture, toolset = "claudesidian-3"): Promise<VaultSandbox> {
    const root = mkdtempSync(join(tmpdir(), "vault-tuner-eval-"));
    try {
      writeFixture(root, fixture);
      const server = createSandboxServer(root, { toolset, flat: toolset === "claudesidian-3" });
      const client = new Client({ name: "vault-tuner-eval", version: DAEMON_VERSION });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
      return new VaultSandbox(root, client);
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  async call(name: string, args: Record<string, unknown>): Promise<SandboxResult> {
    const result = await this.client.callTool({ name, arguments: args });
    const text = ((result.content as { type: string; text?: string }[]) ?? [])
      .map((part) => part.text ?? "")
      .join("\n");
    return { text, isError: result.isError === true || text.startsWith("❌ Error:") };
  }

  snapshot(): VaultSnapshot {
    const files: Record<string, string> = {};
    const folders: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        const rel = archiveTimeless(relative(this.root, path).split(sep).join("/"));
        if (rel === STORE_FOLDER) continue;
        if (entry.isDirectory()) {
          folders.push(rel);
          walk(path);
        } else if (entry.isFile()) files[rel] = readFileSync(path, "utf8");
      }
    };
    walk(this.root);
    const stored = JSON.parse(readFileSync(join(this.root, STORE_FOLDER, "memory.json"), "utf8")) as Record<
      string,
      Record<string, { id: string }>
    >;
    const memory = Object.fromEntries(
      MEMORY_COLLECTIONS.map((collection) => [
        collection,
        Object.values(stored[collection] ?? {}).sort((a, b) => a.id.localeCompare(b.id)),
      ]),
    ) as VaultSnapshot["memory"];
    return { files, folders: folders.sort(), memory };
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Notes, folders and memory of the fixture, written where the reference server reads them. */
function writeFixture(root: string, fixture: VaultFixture): void {
  for (const [given, content] of Object.entries(fixture.files)) {
    const { absolute } = vaultPath(root, given, "fixture file");
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }
  for (const given of fixture.folders)
    mkdirSync(vaultPath(root, given, "fixture folder").absolute, { recursive: true });
  const memory = Object.fromEntries(
    MEMORY_COLLECTIONS.map((collection) => [
      collection,
      Object.fromEntries((fixture.memory[collection] ?? []).map((item) => [item.id, item])),
    ]),
  );
  mkdirSync(join(root, STORE_FOLDER), { recursive: true });
  writeFileSync(join(root, STORE_FOLDER, "memory.json"), `${JSON.stringify(memory, null, 2)}\n`);
}

/**
 * Nexus's `storage archive` moves a note under `.archive/<YYYY-MM-DD_HH-mm-ss>/`; the snapshot names that
 * folder `.archive/<time>/`, so a case can say where an archived note must end up.
 */
export function archiveTimeless(path: string): string {
  return path.replace(/^\.archive\/\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d(?=\/|$)/, ".archive/<time>");
}
