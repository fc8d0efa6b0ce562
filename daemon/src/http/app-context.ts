import type { EventBus } from "../events/event-bus";
import type { Store } from "../store/store";
import type { DataDir } from "../config/data-dir";

/** What the routes work with; built once by the server, or by a test around a temporary data dir. */
export interface AppContext {
  store: Store;
  events: EventBus;
  dataDir: DataDir;
  /** Folders dataset source files may be read from (the project's datasets/ and the data dir). */
  sourceRoots: string[];
}
