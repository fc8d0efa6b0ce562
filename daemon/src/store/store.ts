import { JobStore } from "./job-store";
import { ModelNameStore } from "./model-name-store";
import { openDatabase, type Db } from "./open-database";
import { ToolsetStore } from "./toolset-store";
import { TraceStore } from "./trace-store";

/** The daemon's durable state, in one SQLite file. */
export class Store {
  readonly toolsets: ToolsetStore;
  readonly traces: TraceStore;
  readonly jobs: JobStore;
  readonly modelNames: ModelNameStore;

  private constructor(private readonly db: Db) {
    this.modelNames = new ModelNameStore(db);
    this.toolsets = new ToolsetStore(db);
    this.traces = new TraceStore(db);
    this.jobs = new JobStore(db);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
