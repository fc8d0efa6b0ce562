import { readFileSync, rmSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import type { DaemonAddress } from "@vault-tuner/shared";
import { writeFileAtomically } from "../config/write-file-atomically";
import { prepareDataDir, type DataDir } from "../config/data-dir";
import { lockDataDir } from "../config/data-dir-lock";
import { unwritableDataDir } from "../config/data-dir-unwritable";
import { loadOrCreateToken } from "../config/token";
import { EventBus } from "../events/event-bus";
import { IngestQueue } from "../store/ingest-queue";
import { Quarantine } from "../store/quarantine";
import { importSpool } from "../store/spool-import";
import { Store } from "../store/store";
import { TraceWriter } from "../store/trace-writer";
import { JobRunner } from "../jobs/job-runner";
import { describePlatform, probeMachine } from "../platform/detect-platform";
import { EmbeddedServing } from "../deploy/embedded-serving";
import { buildInWorker } from "../datasets/build-in-worker";
import { DatasetBuildRequestSchema } from "@vault-tuner/shared";
import { buildApp } from "./app";
import { recommendedFile, stageJobs } from "./stage-jobs";
import { BuildRequestError, checkBuildRequest } from "../datasets/check-build-request";
import { tidyDatasetWork } from "../datasets/output/dataset-folder";
import { JobRequestError } from "../jobs/job-kind";
import { projectDatasetsDir } from "../datasets/sources/source-files";

export interface DaemonOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  logLevel?: string;
  logStream?: NodeJS.WritableStream;
  bodyLimit?: number;
  /** Milliseconds a cancelled or interrupted job gets between SIGTERM and SIGKILL (10 s by default). */
  jobGraceMs?: number;
  /** Ollama's address for deploy jobs that name none (else OLLAMA_HOST, else http://127.0.0.1:11434). */
  ollamaHost?: string;
}

export interface RunningDaemon {
  app: FastifyInstance;
  url: string;
  port: number;
  tokenFile: string;
  /** Stops accepting, lets requests in flight finish, closes sockets and the database. */
  close(): Promise<void>;
}

/** Loopback only: the daemon is reachable from this machine and nowhere else. */
export const DAEMON_HOST = "127.0.0.1";

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  let dataDir: DataDir;
  let release: () => void;
  try {
    dataDir = prepareDataDir(options.dataDir);
    // One daemon a data dir: a second one would write the same database and folders.
    release = lockDataDir(dataDir.root);
  } catch (error) {
    throw unwritableDataDir(error, options.dataDir) ?? error;
  }
  try {
    return await startLocked(options, dataDir, release);
  } catch (error) {
    release();
    throw unwritableDataDir(error, dataDir.root) ?? error;
  }
}

async function startLocked(options: DaemonOptions, dataDir: DataDir, release: () => void): Promise<RunningDaemon> {
  const { token } = loadOrCreateToken(dataDir.token);
  const quarantine = new Quarantine(dataDir.quarantine);
  const store = Store.open(dataDir.database);
  const writer = new TraceWriter(dataDir.database);
  const events = new EventBus();
  const platform = describePlatform(await probeMachine());
  const serving = new EmbeddedServing();
  const stopping = new AbortController();
  const sourceRoots = [projectDatasetsDir(), dataDir.root];
  const now = () => new Date().toISOString();
  const jobs = new JobRunner(store, events, dataDir, {
    kinds: stageJobs({
      store,
      dataDir,
      platform,
      serving,
      ollamaHost: options.ollamaHost ?? process.env.OLLAMA_HOST,
      graceMs: options.jobGraceMs,
      now,
    }),
    recommendedFile,
    now,
    buildDataset: (request, onProgress) =>
      buildInWorker(
        {
          options: DatasetBuildRequestSchema.parse(request),
          databaseFile: dataDir.database,
          sourceRoots,
          outputRoot: dataDir.datasets,
        },
        onProgress,
        stopping.signal,
      ),
    checkBuild: (request) => {
      try {
        checkBuildRequest(DatasetBuildRequestSchema.parse(request), sourceRoots);
      } catch (error) {
        if (error instanceof BuildRequestError) throw new JobRequestError(error.message, `build.${error.path}`);
        throw error;
      }
    },
  });
  const context = {
    store,
    events,
    ingest: new IngestQueue(writer, store.toolsets),
    dataDir,
    sourceRoots,
    jobs,
    platform,
    serving,
    quarantine,
  };
  let app: FastifyInstance;
  // Known once the socket is bound (a port of 0 is chosen then); nothing is served before.
  let hosts: string[] = [];
  try {
    const unreadable = store.traces.setAsideUnreadable(quarantine);
    const imported = await importSpool(dataDir.spool, store.toolsets, context.ingest, quarantine);
    app = await buildApp(context, {
      token,
      logLevel: options.logLevel,
      logStream: options.logStream,
      bodyLimit: options.bodyLimit,
      hosts: () => hosts,
    });
    if (imported.files > 0) app.log.info(imported, "imported the taps' spool");
    if (unreadable + imported.quarantined > 0)
      app.log.warn(
        { unreadableRows: unreadable, spoolLines: imported.quarantined, file: quarantine.file },
        "records the daemon could not take are set aside in the quarantine, with the reason",
      );
    for (const line of tidyDatasetWork(dataDir.datasets)) app.log.warn(line);
    await app.listen({ host: DAEMON_HOST, port: options.port });
    const bound = app.server.address();
    const boundPort = typeof bound === "object" && bound ? bound.port : options.port;
    hosts = [`${DAEMON_HOST}:${boundPort}`, `localhost:${boundPort}`];
    const { interrupted } = jobs.start();
    if (interrupted.length > 0)
      app.log.warn(
        { jobs: interrupted },
        "jobs the previous daemon left running are marked interrupted; resume them to continue",
      );
  } catch (error) {
    await writer.close();
    store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${DAEMON_HOST}:${port}`;
  writeAddress(dataDir.address, url);
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    port,
    tokenFile: dataDir.token,
    close: () => {
      if (closing) return closing;
      // Some of the closing waits on nothing Node counts as pending (the served model's native dispose):
      // without a handle the process could end halfway, leaving the database open.
      const keepAlive = setInterval(() => undefined, 1000);
      // The address goes first: a stopping daemon takes no new work, so no one should look for it. Then the
      // running job stops (it becomes interrupted), then builds, requests and sockets; the database closes
      // before the served model, whose unloading matters least.
      closing = Promise.resolve(removeAddress(dataDir.address))
        .then(() => jobs.close())
        .then(() => stopping.abort())
        .then(() => app.close())
        .finally(async () => {
          await writer.close();
          store.close();
          await serving.close();
        })
        .finally(() => {
          release();
          clearInterval(keepAlive);
        });
      return closing;
    },
  };
}

/** Says where this daemon listens, for the CLI and the recorder's tap (`--port 0` included). */
function writeAddress(file: string, url: string): void {
  const address: DaemonAddress = { url, pid: process.pid, startedAt: new Date().toISOString() };
  writeFileAtomically(file, `${JSON.stringify(address, null, 2)}\n`, 0o600);
}

/** Takes the address away at stop, unless another daemon on the same data dir has written its own since. */
function removeAddress(file: string): void {
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as DaemonAddress).pid === process.pid) rmSync(file, { force: true });
  } catch {
    // Gone or unreadable: nothing of ours to remove.
  }
}
