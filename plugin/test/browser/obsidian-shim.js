// The part of Obsidian's API the plugin uses, for loading the built main.js in a real browser page.
// Kept minimal on purpose: a symbol is added only when the plugin starts using it.
(() => {
  const notices = [];
  const storage = new Map();
  /** Every message a Notice showed, in order (updates of a lasting Notice included). */
  class Notice {
    constructor(message, timeout) {
      this.timeout = timeout;
      notices.push(String(message));
    }
    setMessage(message) {
      notices.push(String(message));
      return this;
    }
    hide() {}
  }
  /**
   * The vault on disk: reads and writes go to a real folder through functions the test page exposes
   * (vaultRead, vaultWrite, vaultExists), so what the plugin writes is on disk for the daemon to see.
   */
  class FileSystemAdapter {
    constructor(basePath) {
      this.basePath = basePath;
    }
    getBasePath() {
      return this.basePath;
    }
    exists(path) {
      return window.vaultExists(path);
    }
    read(path) {
      return window.vaultRead(path);
    }
    write(path, text) {
      return window.vaultWrite(path, text);
    }
  }
  class TFile {
    constructor(path) {
      this.path = path;
      this.name = path.split("/").at(-1);
      this.extension = this.name.includes(".") ? this.name.split(".").at(-1) : "";
    }
  }
  class TFolder {
    constructor(path) {
      this.path = path;
    }
  }
  const normalizePath = (path) =>
    path
      .replace(/\\/g, "/")
      .replace(/\/+/g, "/")
      .replace(/^\/|\/$/g, "");
  /** The vault as files in memory: what the plugin writes can be read back by the test. */
  const files = new Map();
  const vault = {
    files,
    getAbstractFileByPath: (path) => files.get(path)?.file ?? null,
    async createFolder(path) {
      if (files.has(path)) throw new Error("Folder already exists.");
      files.set(path, { file: new TFolder(path) });
    },
    async create(path, text) {
      if (files.has(path)) throw new Error("File already exists.");
      const file = new TFile(path);
      files.set(path, { file, text });
      return file;
    },
    async modify(file, text) {
      files.get(file.path).text = text;
    },
    async cachedRead(file) {
      return files.get(file.path).text;
    },
  };
  class Component {
    constructor() {
      this.intervals = [];
      this.cleanups = [];
    }
    registerInterval(id) {
      this.intervals.push(id);
      return id;
    }
    register(cleanup) {
      this.cleanups.push(cleanup);
    }
    registerDomEvent(element, type, handler) {
      element.addEventListener(type, handler);
      this.register(() => element.removeEventListener(type, handler));
    }
  }

  /** A pane of the workspace: a header and the view's content, in the right sidebar. */
  class WorkspaceLeaf {
    constructor(workspace) {
      this.workspace = workspace;
      this.containerEl = workspace.rightSplit.createDiv({ cls: "workspace-leaf" });
      this.view = null;
    }
    async setViewState(state) {
      const factory = this.workspace.factories.get(state.type);
      if (!factory) throw new Error(`no view registered as ${state.type}`);
      this.containerEl.empty();
      this.view = factory(this);
      this.containerEl.createDiv({ cls: "view-header", text: this.view.getDisplayText() });
      this.containerEl.appendChild(this.view.contentEl);
      await this.view.onOpen();
    }
    async detach() {
      await this.view?.onClose();
      for (const cleanup of this.view?.cleanups ?? []) cleanup();
      this.containerEl.remove();
      this.workspace.leaves = this.workspace.leaves.filter((leaf) => leaf !== this);
    }
  }
  class ItemView extends Component {
    constructor(leaf) {
      super();
      this.leaf = leaf;
      this.app = leaf.workspace.app;
      this.containerEl = leaf.containerEl;
      this.contentEl = document.createElement("div");
      this.contentEl.className = "view-content";
    }
    getIcon() {
      return "document";
    }
    async onOpen() {}
    async onClose() {}
  }
  /** A dialog over the page, as Obsidian draws one: title, content, closed by its buttons. */
  class Modal {
    constructor(app) {
      this.app = app;
      this.containerEl = document.createElement("div");
      this.containerEl.className = "modal-container";
      this.modalEl = this.containerEl.createDiv({ cls: "modal" });
      this.titleEl = this.modalEl.createDiv({ cls: "modal-title" });
      this.contentEl = this.modalEl.createDiv({ cls: "modal-content" });
    }
    open() {
      this.returnFocusTo = document.activeElement;
      document.body.appendChild(this.containerEl);
      this.onOpen();
    }
    // Obsidian gives the focus back to where it was when a modal closes.
    close() {
      this.onClose();
      this.containerEl.remove();
      this.returnFocusTo?.focus?.();
    }
    onOpen() {}
    onClose() {}
  }
  class Plugin extends Component {
    constructor(app, manifest) {
      super();
      this.app = app;
      this.manifest = manifest;
      this.commands = [];
    }
    addCommand(command) {
      this.commands.push(command);
      return command;
    }
    addSettingTab(tab) {
      this.settingTab = tab;
    }
    registerView(type, factory) {
      this.app.workspace.factories.set(type, factory);
    }
    addRibbonIcon(icon, title, callback) {
      const button = document.body.createEl("button", {
        cls: "side-dock-ribbon-action",
        text: title,
        attr: { "aria-label": title, "data-icon": icon },
      });
      button.addEventListener("click", callback);
      return button;
    }
    addStatusBarItem() {
      const item = document.body.createDiv({ cls: "status-bar-item" });
      return item;
    }
    async loadData() {
      return this.app.savedData;
    }
    async saveData(data) {
      this.app.savedData = JSON.parse(JSON.stringify(data));
    }
  }
  // Obsidian's element helpers on every element.
  const proto = HTMLElement.prototype;
  proto.createEl = function (tag, options = {}) {
    const element = document.createElement(tag);
    if (options.text !== undefined) element.textContent = options.text;
    if (options.cls) element.className = Array.isArray(options.cls) ? options.cls.join(" ") : options.cls;
    for (const [name, value] of Object.entries(options.attr ?? {})) element.setAttribute(name, String(value));
    this.appendChild(element);
    return element;
  };
  proto.createDiv = function (options = {}) {
    return this.createEl("div", typeof options === "string" ? { cls: options } : options);
  };
  proto.createSpan = function (options = {}) {
    return this.createEl("span", typeof options === "string" ? { cls: options } : options);
  };
  proto.empty = function () {
    this.replaceChildren();
  };
  proto.appendText = function (text) {
    this.appendChild(document.createTextNode(text));
  };
  proto.setText = function (text) {
    this.textContent = text;
  };
  proto.addClass = function (...names) {
    this.classList.add(...names);
  };
  proto.removeClass = function (...names) {
    this.classList.remove(...names);
  };
  proto.toggleClass = function (name, on) {
    this.classList.toggle(name, on);
  };

  class PluginSettingTab {
    constructor(app, plugin) {
      this.app = app;
      this.plugin = plugin;
      this.containerEl = document.createElement("div");
      this.containerEl.className = "vertical-tab-content";
    }
  }
  /** A settings row: name, description, and the controls the plugin adds, built as plain inputs. */
  class Setting {
    constructor(containerEl) {
      this.settingEl = containerEl.createDiv({ cls: "setting-item" });
      this.nameEl = this.settingEl.createDiv({ cls: "setting-item-name" });
      this.descEl = this.settingEl.createDiv({ cls: "setting-item-description" });
      this.controlEl = this.settingEl.createDiv({ cls: "setting-item-control" });
    }
    setName(name) {
      this.nameEl.setText(name);
      return this;
    }
    setDesc(description) {
      this.descEl.setText(description);
      return this;
    }
    setHeading() {
      this.settingEl.addClass("setting-item-heading");
      return this;
    }
    addText(build) {
      const inputEl = this.controlEl.createEl("input", { attr: { type: "text" } });
      const component = {
        inputEl,
        setValue: (value) => ((inputEl.value = value), component),
        setPlaceholder: (value) => ((inputEl.placeholder = value), component),
        onChange: (handler) => (inputEl.addEventListener("input", () => handler(inputEl.value)), component),
      };
      build(component);
      return this;
    }
    addToggle(build) {
      const toggleEl = this.controlEl.createEl("input", { attr: { type: "checkbox" } });
      const component = {
        toggleEl,
        setValue: (value) => ((toggleEl.checked = value), component),
        onChange: (handler) => (toggleEl.addEventListener("change", () => handler(toggleEl.checked)), component),
      };
      build(component);
      return this;
    }
    addDropdown(build) {
      const selectEl = this.controlEl.createEl("select");
      const component = {
        selectEl,
        addOptions: (options) => {
          for (const [value, text] of Object.entries(options)) selectEl.createEl("option", { text, attr: { value } });
          return component;
        },
        setValue: (value) => ((selectEl.value = value), component),
        onChange: (handler) => (selectEl.addEventListener("change", () => handler(selectEl.value)), component),
      };
      build(component);
      return this;
    }
    addButton(build) {
      const buttonEl = this.controlEl.createEl("button");
      const component = {
        buttonEl,
        setButtonText: (text) => ((buttonEl.textContent = text), component),
        setCta: () => (buttonEl.classList.add("mod-cta"), component),
        onClick: (handler) => (buttonEl.addEventListener("click", () => handler()), component),
      };
      build(component);
      return this;
    }
  }

  const app = {
    savedData: undefined,
    loadLocalStorage: (key) => (storage.has(key) ? storage.get(key) : null),
    saveLocalStorage: (key, value) => (value === null ? storage.delete(key) : storage.set(key, value)),
    vault,
    opened: [],
    setVaultFolder(path) {
      vault.adapter = new FileSystemAdapter(path);
    },
  };
  const rightSplit = document.body.createDiv({ cls: "workspace-split mod-right-split" });
  app.workspace = {
    app,
    rightSplit,
    factories: new Map(),
    leaves: [],
    getActiveFile: () => null,
    getLeaf() {
      return { openFile: async (file) => void app.opened.push(file.path) };
    },
    getLeavesOfType(type) {
      return this.leaves.filter((leaf) => leaf.view?.getViewType() === type);
    },
    getRightLeaf() {
      const leaf = new WorkspaceLeaf(this);
      this.leaves.push(leaf);
      return leaf;
    },
    async revealLeaf(leaf) {
      for (const other of this.leaves) other.containerEl.toggleClass("is-hidden", other !== leaf);
    },
  };
  window.obsidianShim = {
    module: {
      FileSystemAdapter,
      Notice,
      Plugin,
      PluginSettingTab,
      Setting,
      TFile,
      TFolder,
      Component,
      ItemView,
      WorkspaceLeaf,
      Modal,
      normalizePath,
    },
    app,
    notices,
  };
})();
