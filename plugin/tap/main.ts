// The Vault Tuner tap: sits between an MCP client and the vault's MCP server, relays every byte
// unchanged, and records tool calls off to the side. MCP clients start it with a bare `node`, so it
// has no dependencies; stdout carries only relayed bytes, and stderr stays silent unless --debug.
import { randomBytes } from "node:crypto";
// Only the hash: the tap bundles nothing it does not run.
import { toolsetHash } from "@vault-tuner/shared/toolset-hash";
import { CallRecorder } from "./call-recorder";
import { LineSplitter } from "./line-splitter";
import { relayListener, relayProcess, relaySocket, type RelayEnd } from "./relay";
import { Shipper } from "./shipper";
import { Spool } from "./spool";
import { parseTapOptions, TAP_USAGE } from "./tap-options";

/** How long the tap may spend delivering after the relay ended; what it cannot deliver stays spooled. */
const EXIT_FLUSH_MS = 1_000;

async function main(): Promise<void> {
  let options;
  try {
    options = parseTapOptions(process.argv.slice(2));
  } catch (error) {
    // Only a misconfigured launch reaches this; the client shows it as the server's failure.
    process.stderr.write(`vault-tuner tap: ${(error as Error).message}\nusage: ${TAP_USAGE}\n`);
    process.exit(2);
  }
  const log = options.debug
    ? (message: string) => process.stderr.write(`[vault-tuner tap] ${message}\n`)
    : () => undefined;
  const runId = `tap-${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const shipper = new Shipper(
    new Spool(options.spool, runId),
    { url: options.daemon, addressFile: options.addressFile, tokenFile: options.tokenFile },
    log,
  );
  const guarded = (read: (line: string) => void) => (line: string) => {
    try {
      read(line);
    } catch (error) {
      log(`recording skipped a message: ${(error as Error).message}`);
    }
  };
  /** A recorder for one MCP connection (its own session), fed off the relay's path. */
  const recording = (id: string, transport: "stdio-tap" | "socket-relay") => {
    const recorder = new CallRecorder(id, toolsetHash, (record) => shipper.add(record), Date.now, transport);
    return offThePath(
      new LineSplitter(guarded((line) => recorder.fromClient(line))),
      new LineSplitter(guarded((line) => recorder.fromServer(line))),
    );
  };
  // The client closing our stdout (EPIPE) means it is gone; the relay's end follows.
  process.stdout.on("error", (error) => log(`stdout: ${error.message}`));

  const upstream = options.upstream;
  let connections = 0;
  const end: RelayEnd =
    options.listen && options.socket
      ? await relayListener(
          options.listen,
          options.socket,
          () => recording(`${runId}-c${++connections}`, "socket-relay"),
          log,
        )
      : options.socket
        ? await relaySocket(options.socket, recording(runId, "stdio-tap"), log)
        : upstream
          ? await relayProcess(upstream.command, upstream.args, recording(runId, "stdio-tap"))
          : // The arguments name a socket or an upstream command; neither means a usage error.
            { code: 2, signal: null };
  await shipper.close(EXIT_FLUSH_MS);
  if (end.signal) {
    // Die of the same signal as the upstream did, as the client would have seen it.
    process.removeAllListeners(end.signal);
    process.kill(process.pid, end.signal);
  }
  process.exit(end.code ?? 1);
}

/** The relay hands chunks over as they pass; they are split and parsed a turn later, never in its way. */
function offThePath(client: LineSplitter, server: LineSplitter) {
  const pending: { splitter: LineSplitter; chunk: Buffer }[] = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    for (const { splitter, chunk } of pending.splice(0)) splitter.push(chunk);
  };
  const take = (splitter: LineSplitter) => (chunk: Buffer) => {
    pending.push({ splitter, chunk });
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };
  return { fromClient: take(client), fromServer: take(server) };
}

void main();
