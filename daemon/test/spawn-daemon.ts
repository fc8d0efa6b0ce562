import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/vault-tuner.mjs", import.meta.url));

/** Runs `vault-tuner daemon` as its own process, as a user would, and waits for its listening line. */
export async function spawnDaemon(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, "daemon", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) resolve(match[1] as string);
    });
    void exited.then((code) => reject(new Error(`daemon exited with ${code} before listening: ${stderr}`)));
  });
  return { child, url, exited };
}
