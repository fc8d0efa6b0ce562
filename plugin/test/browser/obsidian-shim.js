// The part of Obsidian's API the plugin uses, for loading the built main.js in a real browser page.
// Kept minimal on purpose: a symbol is added only when the plugin starts using it.
(() => {
  const notices = [];
  const storage = new Map();
  class Notice {
    constructor(message) {
      notices.push(String(message));
    }
  }
  class TFile {}
  class Component {
    constructor() {
      this.intervals = [];
    }
    registerInterval(id) {
      this.intervals.push(id);
      return id;
    }
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
    async loadData() {
      return this.app.savedData;
    }
    async saveData(data) {
      this.app.savedData = JSON.parse(JSON.stringify(data));
    }
  }
  const app = {
    savedData: undefined,
    loadLocalStorage: (key) => (storage.has(key) ? storage.get(key) : null),
    saveLocalStorage: (key, value) => (value === null ? storage.delete(key) : storage.set(key, value)),
    workspace: { getActiveFile: () => null },
    vault: {},
  };
  window.obsidianShim = { module: { Notice, Plugin, TFile, Component }, app, notices };
})();
