import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * The flags Debian's chromium needs to run headless in a container, and one for the harness: the page is
 * not Obsidian's app:// origin, so the browser's own CORS check is off and `asObsidian` below gives the
 * daemon the Origin header Obsidian sends (the daemon's check stays on).
 */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-web-security"];

/** Builds the plugin as Obsidian would load it (the production main.js), into a temporary folder. */
export function buildPlugin(): string {
  const out = join(mkdtempSync(join(tmpdir(), "vault-tuner-browser-")), "main.js");
  execFileSync(process.execPath, ["esbuild.config.mjs", "production"], { env: { ...process.env, VAULT_TUNER_PLUGIN_OUTFILE: out }, stdio: "pipe" });
  return out;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? execFileSync(process.execPath, ["plugin/scripts/ensure-chromium.mjs"], { encoding: "utf8" }).trim().replace(/^chromium: /, "");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * A page with the Obsidian shim and the built main.js, loaded the way Obsidian loads a plugin: the CommonJS
 * module with `require("obsidian")` answered by the shim. `window.plugin` is the instance, not yet loaded.
 */
export async function pluginPage(browser: Browser, mainJs: string, savedData?: unknown): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent("<!doctype html><html><body><div class='app-container'></div></body></html>");
  await page.addScriptTag({ content: readFileSync(join(import.meta.dirname, "obsidian-shim.js"), "utf8") });
  await page.evaluate((data) => {
    (globalThis as any).obsidianShim.app.savedData = data;
  }, savedData);
  await page.addScriptTag({
    content: `(() => {
      const module = { exports: {} };
      const require = (name) => { if (name === "obsidian") return window.obsidianShim.module; throw new Error("main.js asked for " + name); };
      (function (module, exports, require) {\n${readFileSync(mainJs, "utf8")}\n})(module, module.exports, require);
      const Plugin = module.exports.default ?? module.exports;
      window.plugin = new Plugin(window.obsidianShim.app, { id: "vault-tuner", version: "0.1.0" });
    })();`,
  });
  return page;
}

/** Requests to the daemon leave the page as they leave Obsidian: with `Origin: app://obsidian.md`. */
export async function asObsidian(page: Page, daemonUrl: string): Promise<void> {
  await page.route(`${daemonUrl}/**`, (route) => route.continue({ headers: { ...route.request().headers(), origin: "app://obsidian.md" } }));
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
