import type { EventBus } from "../events/event-bus";
import type { Store } from "../store/store";
import type { DataDir } from "../config/data-dir";
import type { IngestQueue } from "../store/ingest-queue";
import type { JobRunner } from "../jobs/job-runner";
import type { Platform } from "../platform/detect-platform";
import type { EmbeddedServing } from "../deploy/embedded-serving";
import type { Quarantine } from "../store/quarantine";

/** What the routes work with; built once by the server, or by a test around a temporary data dir. */
export interface AppContext {
  store: Store;
  events: EventBus;
  /** Where posted traces go to be committed, grouped. */
  ingest: IngestQueue;
  dataDir: DataDir;
  /** Folders dataset source files may be read from (the project's datasets/ and the data dir). */
  sourceRoots: string[];
  /** Training and export jobs, one running at a time. */
  jobs: JobRunner;
  /** What this machine trains on, found at start (GET /v1/platform). */
  platform: Platform;
  /** The model the daemon serves itself (POST /v1/chat). */
  serving: EmbeddedServing;
  /** Records set aside because the daemon could not take them (health reports how many). */
  quarantine: Quarantine;
}
