/**
 * The part of Obsidian's API the unit tests reach, for Vitest (aliased as "obsidian" in vitest.config.ts).
 * The browser tests use the fuller shim in browser/obsidian-shim.js; this one runs in Node, without a DOM.
 */

/** Every message a Notice showed, in order (updates of a lasting Notice included). */
export const notices: string[] = [];

export class Notice {
  hidden = false;
  constructor(
    message: string,
    readonly timeout?: number,
  ) {
    notices.push(message);
  }
  setMessage(message: string): this {
    notices.push(message);
    return this;
  }
  hide(): void {
    this.hidden = true;
  }
}

export class TAbstractFile {
  constructor(readonly path: string) {}
}
export class TFile extends TAbstractFile {}
export class TFolder extends TAbstractFile {}

export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, "/")
    .replace(/\/+/g, "/")
    .replace(/^\/|\/$/g, "");
}

/** A vault folder on disk, held in memory: path -> text. */
export class FileSystemAdapter {
  readonly files = new Map<string, string>();
  writes = 0;
  constructor(private readonly basePath: string) {}
  getBasePath(): string {
    return this.basePath;
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path);
  }
  async read(path: string): Promise<string> {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  }
  async write(path: string, text: string): Promise<void> {
    this.writes += 1;
    this.files.set(path, text);
  }
}

/** A vault whose notes live in memory, and a workspace that records what was opened. */
export function stubApp(basePath = "/home/me/Notes") {
  const entries = new Map<string, { file: TAbstractFile; text?: string }>();
  const opened: string[] = [];
  const vault = {
    adapter: new FileSystemAdapter(basePath),
    getAbstractFileByPath: (path: string) => entries.get(path)?.file ?? null,
    async createFolder(path: string) {
      if (entries.has(path)) throw new Error("Folder already exists.");
      entries.set(path, { file: new TFolder(path) });
    },
    async create(path: string, text: string) {
      if (entries.has(path)) throw new Error("File already exists.");
      const file = new TFile(path);
      entries.set(path, { file, text });
      return file;
    },
    async modify(file: TFile, text: string) {
      entries.set(file.path, { file, text });
    },
    text: (path: string) => entries.get(path)?.text,
  };
  const workspace = { getLeaf: () => ({ openFile: async (file: TFile) => void opened.push(file.path) }) };
  return { vault, workspace, opened };
}

// Views and modals need a DOM; unit tests do not construct them.
export class Modal {}
export class ItemView {}
export class Plugin {}
export class PluginSettingTab {}
export class Setting {}
