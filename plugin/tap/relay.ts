import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
// The subpath only: the tap bundles nothing it does not run.
import { TAP_EXIT_PLUGIN_GONE } from "@vault-tuner/shared/tap-exit";
import { connect, createServer, type Socket } from "node:net";

/** Copies of what passes through, for the recorder; called after the bytes were handed on. */
export interface RelayTaps {
  fromClient(chunk: Buffer): void;
  fromServer(chunk: Buffer): void;
}

/** How the relay ended: the upstream's exit code or signal, to be passed on to the client. */
export type RelayEnd = { code: number | null; signal: NodeJS.Signals | null };

const FORWARDED_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
/** How often the listening relay checks that the plugin's socket still answers. */
const PROBE_MS = 2_000;

/**
 * Spawns the upstream (e.g. the plugin's connector) and relays stdin and stdout byte for byte, with
 * stream back-pressure; its stderr goes straight to ours, as if the client had started it. Signals the
 * tap gets are passed to the upstream, whose exit ends the relay.
 */
export function relayProcess(command: string, args: string[], taps: RelayTaps): Promise<RelayEnd> {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  process.stdin.pipe(child.stdin);
  child.stdout.pipe(process.stdout);
  process.stdin.on("data", (chunk: Buffer) => taps.fromClient(chunk));
  child.stdout.on("data", (chunk: Buffer) => taps.fromServer(chunk));
  // The upstream going away mid-write is its exit, reported below, not an error of ours.
  child.stdin.on("error", () => undefined);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on("error", () => resolve({ code: 127, signal: null }));
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Connects to the plugin's socket the way the 4.x+ connector does: retries with backoff (capped at 30
 * s) and never gives up on a refused or lost connection. While disconnected, the client's input is
 * held (and stdin paused) and goes out, in order, once connected. Ends when the client closes stdin.
 */
export function relaySocket(path: string, taps: RelayTaps, log: (message: string) => void): Promise<RelayEnd> {
  return new Promise((resolve) => {
    let delay = 250;
    let socket: Socket | undefined;
    let clientDone = false;
    const held: Buffer[] = [];
    const send = (chunk: Buffer) => {
      if (!socket) {
        held.push(chunk);
        process.stdin.pause();
        return;
      }
      if (!socket.write(chunk)) {
        process.stdin.pause();
        socket.once("drain", () => process.stdin.resume());
      }
    };
    process.stdin.on("data", (chunk: Buffer) => {
      send(chunk);
      taps.fromClient(chunk);
    });
    process.stdin.on("end", () => {
      clientDone = true;
      if (socket) socket.end();
      else resolve({ code: 0, signal: null });
    });
    const attempt = () => {
      const current = connect(path);
      current.on("connect", () => {
        delay = 250;
        socket = current;
        for (const chunk of held.splice(0)) send(chunk);
        process.stdin.resume();
        current.on("data", (chunk: Buffer) => {
          process.stdout.write(chunk);
          taps.fromServer(chunk);
        });
      });
      current.on("error", (error) => log(`socket ${path}: ${error.message}`));
      current.on("close", () => {
        if (socket === current) socket = undefined;
        if (clientDone) return resolve({ code: 0, signal: null });
        setTimeout(attempt, delay);
        delay = Math.min(delay * 2, 30_000);
      });
    };
    attempt();
  });
}

/**
 * Listens at `listen` (where the plugin's socket was) and relays each connection, byte for byte, to the
 * plugin's socket at `upstream`, so the `nexus` shell command's calls pass through the recorder too. Each
 * connection gets its own taps (its own recorded session). Ends on SIGINT or SIGTERM (exit 0), or when the
 * plugin's socket no longer answers, found by a client or by the periodic probe (exit 3: the plugin closed
 * or restarted), removing its own socket file.
 */
export function relayListener(
  listen: string,
  upstream: string,
  connection: () => RelayTaps,
  log: (message: string) => void,
): Promise<RelayEnd> {
  return new Promise((resolve) => {
    const server = createServer((client) => {
      const taps = connection();
      const plugin = connect(upstream);
      plugin.on("error", (error: NodeJS.ErrnoException) => {
        log(`plugin socket ${upstream}: ${error.message}`);
        client.destroy();
        // Nothing listens there any more: the plugin was closed or restarted (and will want its path back).
        if (error.code === "ECONNREFUSED" || error.code === "ENOENT") stop(TAP_EXIT_PLUGIN_GONE);
      });
      client.on("error", (error) => log(`client: ${error.message}`));
      client.on("data", (chunk: Buffer) => taps.fromClient(chunk));
      plugin.on("data", (chunk: Buffer) => taps.fromServer(chunk));
      client.pipe(plugin);
      plugin.pipe(client);
    });
    server.on("error", (error) => {
      log(`listening at ${listen}: ${error.message}`);
      resolve({ code: 1, signal: null });
    });
    const stop = (code: number) => {
      server.close();
      rmSync(listen, { force: true });
      resolve({ code, signal: null });
    };
    server.listen(listen);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, () => stop(0));
    // Looked at every two seconds too, not only when a client comes: a restarting plugin must find its
    // path free again, not a relay to a socket that is gone.
    const probe = setInterval(() => {
      const check = connect(upstream);
      check.on("connect", () => check.destroy());
      check.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED" || error.code === "ENOENT") stop(TAP_EXIT_PLUGIN_GONE);
      });
    }, PROBE_MS);
    server.on("close", () => clearInterval(probe));
  });
}
