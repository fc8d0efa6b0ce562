import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { WebSocket } from "ws";

const OBSIDIAN_ORIGIN = "app://obsidian.md";

/**
 * The flags Debian's chromium needs to run headless in a container, and one for the harness: the page is
 * not Obsidian's app:// origin, so the browser's own CORS check is off and `asObsidian` below gives the
 * daemon the Origin header Obsidian sends (the daemon's check stays on).
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-web-security",
];

const PROJECT_ROOT = join(import.meta.dirname, "..", "..", "..");
/**
 * Where the tests' screenshots go: a temporary folder, so `npm test` leaves the working tree clean;
 * `npm run screenshots` writes the committed ones docs/plugin.md shows (VAULT_TUNER_SCREENSHOTS=committed),
 * any other value names a folder.
 */
const SCREENSHOTS_SETTING = process.env.VAULT_TUNER_SCREENSHOTS;
const SCREENSHOTS =
  SCREENSHOTS_SETTING === "committed"
    ? join(PROJECT_ROOT, "plugin", "screenshots")
    : (SCREENSHOTS_SETTING ?? join(tmpdir(), "vault-tuner-screenshots"));

/** Builds the plugin as Obsidian would load it (the production main.js), into a temporary folder. */
export function buildPlugin(): string {
  const folder = mkdtempSync(join(tmpdir(), "vault-tuner-browser-"));
  const out = join(folder, "main.js");
  execFileSync(process.execPath, ["esbuild.config.mjs", "production"], {
    env: { ...process.env, VAULT_TUNER_PLUGIN_OUTFILE: out, VAULT_TUNER_TAP_OUTFILE: join(folder, "tap.cjs") },
    stdio: "pipe",
  });
  return out;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath =
    process.env.CHROMIUM_PATH ??
    execFileSync(process.execPath, ["plugin/scripts/ensure-chromium.mjs"], { encoding: "utf8" })
      .trim()
      .replace(/^chromium: /, "");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * A page with the Obsidian shim and the built main.js, loaded the way Obsidian loads a plugin: the CommonJS
 * module with `require("obsidian")` answered by the shim. `window.plugin` is the instance, not yet loaded.
 */
export async function pluginPage(
  browser: Browser,
  mainJs: string,
  savedData?: unknown,
  vault = mkdtempSync(join(tmpdir(), "vault-tuner-vault-")),
): Promise<Page> {
  const page = await browser.newPage();
  const inVault = (path: string) => {
    const full = resolve(vault, path);
    if (!full.startsWith(`${resolve(vault)}/`)) throw new Error(`${path} is outside the vault`);
    return full;
  };
  await page.exposeFunction("vaultExists", (path: string) => existsSync(inVault(path)));
  await page.exposeFunction("vaultRead", (path: string) => readFileSync(inVault(path), "utf8"));
  await page.exposeFunction("vaultWrite", (path: string, text: string) => {
    mkdirSync(dirname(inVault(path)), { recursive: true });
    writeFileSync(inVault(path), text);
  });
  await page.setContent("<!doctype html><html class='theme-light'><body></body></html>");
  await page.addStyleTag({ content: readFileSync(join(import.meta.dirname, "obsidian-look.css"), "utf8") });
  await page.addStyleTag({ content: readFileSync(join(PROJECT_ROOT, "styles.css"), "utf8") });
  await page.addScriptTag({ content: readFileSync(join(import.meta.dirname, "obsidian-shim.js"), "utf8") });
  await page.evaluate(
    ([data, folder]) => {
      const app = (globalThis as any).obsidianShim.app;
      app.savedData = data;
      app.setVaultFolder(folder);
    },
    [savedData, vault] as const,
  );
  await page.addScriptTag({
    content: `(() => {
      const module = { exports: {} };
      const require = (name) => { if (name === "obsidian") return window.obsidianShim.module; throw new Error("main.js asked for " + name); };
      (function (module, exports, require) {\n${readFileSync(mainJs, "utf8")}\n})(module, module.exports, require);
      const Plugin = module.exports.default ?? module.exports;
      window.plugin = new Plugin(window.obsidianShim.app, { id: "vault-tuner", version: "0.1.0", dir: ".obsidian/plugins/vault-tuner" });
    })();`,
  });
  return page;
}

/**
 * Requests to the daemon leave the page as they leave Obsidian: with `Origin: app://obsidian.md`.
 * Browsers let no page set a websocket's Origin, so the live feed is relayed: the page's socket is
 * answered here, by a real websocket to the daemon opened with Obsidian's Origin, frames passed both ways.
 */
export async function asObsidian(page: Page, daemonUrl: string): Promise<void> {
  await page.route(`${daemonUrl}/**`, (route) =>
    route.continue({ headers: { ...route.request().headers(), origin: OBSIDIAN_ORIGIN } }),
  );
  await page.routeWebSocket(`${daemonUrl.replace(/^http/, "ws")}/**`, (pageSocket) => {
    const daemonSocket = new WebSocket(pageSocket.url(), { headers: { origin: OBSIDIAN_ORIGIN } });
    daemonSocket.on("message", (data) => pageSocket.send(String(data)));
    daemonSocket.on(
      "close",
      (code, reason) =>
        void pageSocket.close({ code: code === 1005 ? 1000 : code, reason: String(reason) }).catch(() => undefined),
    );
    daemonSocket.on(
      "error",
      () => void pageSocket.close({ code: 1011, reason: "the daemon is not reachable" }).catch(() => undefined),
    );
    pageSocket.onMessage((message) => daemonSocket.readyState === WebSocket.OPEN && daemonSocket.send(message));
    pageSocket.onClose(() => daemonSocket.close());
  });
}

/** The device settings a user would type into the settings tab. */
export async function pointAtDaemon(page: Page, daemonUrl: string, token: string): Promise<void> {
  await page.evaluate(
    ([url, key]) => {
      const app = (globalThis as any).obsidianShim.app;
      app.saveLocalStorage("vault-tuner-daemon-url", url);
      app.saveLocalStorage("vault-tuner-token", key);
    },
    [daemonUrl, token],
  );
}

/** Opens the plugin's settings tab in the page, as Obsidian's settings window would. */
export async function showSettingTab(page: Page): Promise<void> {
  await page.evaluate(() => {
    const tab = (globalThis as any).plugin.settingTab;
    tab.display();
    (globalThis as any).document.body.appendChild(tab.containerEl);
  });
}

/** Runs one of the plugin's commands by id, as the command palette would. */
export async function runCommand(page: Page, id: string): Promise<void> {
  await page.evaluate(async (commandId) => {
    const command = (globalThis as any).plugin.commands.find((candidate: { id: string }) => candidate.id === commandId);
    if (!command) throw new Error(`no command ${commandId}`);
    await (command.callback ?? (() => command.checkCallback(false)))();
  }, id);
}

/** Saves what the page shows now as `<name>.png` with the committed screenshots (docs/plugin.md shows them). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The plugin loaded (onload run) in a fresh page, pointed at a daemon and speaking to it as Obsidian does. */
export async function loadedPlugin(
  browser: Browser,
  mainJs: string,
  daemon: { url: string; token: string },
  options: { token?: string; savedData?: unknown; vault?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const page = await pluginPage(browser, mainJs, options.savedData, options.vault);
  if (options.viewport) await page.setViewportSize(options.viewport);
  await asObsidian(page, daemon.url);
  await pointAtDaemon(page, daemon.url, options.token ?? daemon.token);
  await page.evaluate(() => (globalThis as any).plugin.onload());
  return page;
}
