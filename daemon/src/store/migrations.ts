/**
 * Schema changes in order; `PRAGMA user_version` records how many have run. Append only: a released
 * migration is never edited, so every data dir can be brought forward from any earlier version.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE traces (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    recorded_at  TEXT NOT NULL,
    recorded_ms  INTEGER NOT NULL,
    received_at  TEXT NOT NULL,
    session      TEXT NOT NULL,
    tool         TEXT NOT NULL,
    toolset_hash TEXT,
    failed       INTEGER NOT NULL,
    suggestion   TEXT,
    label        TEXT NOT NULL DEFAULT 'unlabeled',
    note         TEXT,
    correction   TEXT,
    body         TEXT NOT NULL
  );
  CREATE INDEX traces_newest ON traces (recorded_ms DESC, seq DESC);
  CREATE INDEX traces_by_session ON traces (session, recorded_ms, seq);
  CREATE INDEX traces_by_tool ON traces (tool, recorded_ms, seq);
  CREATE INDEX traces_by_label ON traces (label, recorded_ms, seq);

  CREATE TABLE label_history (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id   TEXT NOT NULL REFERENCES traces (id),
    label      TEXT NOT NULL,
    note       TEXT,
    correction TEXT,
    at         TEXT NOT NULL
  );
  CREATE INDEX label_history_by_trace ON label_history (trace_id, seq);

  CREATE TABLE toolsets (
    hash       TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    tools      INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE jobs (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    request     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    progress    TEXT,
    error       TEXT,
    artefacts   TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX jobs_by_state ON jobs (state, seq);
  `,
  `
  CREATE TABLE model_names (
    train_job  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    renamed_at TEXT NOT NULL
  );
  `,
];
