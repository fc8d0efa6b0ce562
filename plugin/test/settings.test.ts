import { describe, expect, it } from "vitest";
import { checkDaemonUrl, loadDeviceSettings, saveDeviceSettings } from "../src/settings/device-settings";
import { DEFAULT_SETTINGS, loadSettings } from "../src/settings/plugin-settings";

describe("plugin settings", () => {
  it("start from the defaults without touching them", () => {
    const { settings, notes } = loadSettings(undefined);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    settings.labelQueue.push({ traceId: "t", body: { label: "desirable" }, queuedAt: "now" });
    expect(DEFAULT_SETTINGS.labelQueue).toEqual([]);
    expect(notes).toEqual([]);
  });

  it("migrate version 0 (pendingLabels) and keep every queued label that can be read", () => {
    const { settings, notes } = loadSettings({
      recording: false,
      evalBackend: "llama",
      pendingLabels: [
        { traceId: "a", body: { label: "desirable" }, queuedAt: "2026-11-28T10:00:00Z" },
        { traceId: "b", body: { label: "maybe" } },
      ],
    });
    expect(settings).toMatchObject({
      version: 1,
      recording: false,
      evalBackend: "embedded",
      labelQueue: [{ traceId: "a", body: { label: "desirable" } }],
    });
    expect(notes).toEqual([
      'setting evalBackend was "llama", which is not valid; the default is used',
      expect.stringContaining("queued label 2 could not be read and was dropped"),
    ]);
  });

  it("say so when the file was not settings at all", () => {
    expect(loadSettings("oops").notes).toEqual(["the saved settings were not an object; defaults are used"]);
  });
});

describe("device settings", () => {
  it("live in local storage, with the default daemon address until one is saved", () => {
    const store = new Map<string, unknown>();
    const storage = {
      loadLocalStorage: (key: string) => store.get(key) ?? null,
      saveLocalStorage: (key: string, value: unknown) => void store.set(key, value),
    };
    expect(loadDeviceSettings(storage)).toEqual({ daemonUrl: "http://127.0.0.1:51717", token: "" });
    saveDeviceSettings(storage, { daemonUrl: "http://127.0.0.1:6000/", token: " abc \n" });
    expect(loadDeviceSettings(storage)).toEqual({ daemonUrl: "http://127.0.0.1:6000", token: "abc" });
  });

  it("accept only the daemon's kind of address", () => {
    expect(checkDaemonUrl("http://127.0.0.1:51717")).toBeUndefined();
    expect(checkDaemonUrl("https://127.0.0.1:51717")).toContain("plain http");
    expect(checkDaemonUrl("http://example.com")).toContain("only listens on this machine");
    expect(checkDaemonUrl("127.0.0.1")).toContain("is not a URL");
  });
});
