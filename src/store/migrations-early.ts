import type { Migration } from './migration.js';

/** Schema versions 1–6: the run repository and ledger, and the reference library (code sets, index family, NCCI, MCE, PCS axes). Released: never edited. */
export const EARLY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'run repository, ledger, exceptions, audit, locks',
    sql: `
      CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        pipeline       TEXT NOT NULL,
        business_date  TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'superseded')),
        executions     INTEGER NOT NULL DEFAULT 1,
        forced         INTEGER NOT NULL DEFAULT 0,
        input_dir      TEXT NOT NULL,
        out_dir        TEXT NOT NULL,
        staging_file   TEXT,
        started_at     TEXT NOT NULL,
        ended_at       TEXT,
        counts         TEXT,
        error_code     TEXT,
        error_message  TEXT
      );
      -- One live job instance per (pipeline, business date); forced re-runs supersede.
      CREATE UNIQUE INDEX runs_instance ON runs (pipeline, business_date) WHERE status <> 'superseded';

      CREATE TABLE run_steps (
        run_id         INTEGER NOT NULL REFERENCES runs (id),
        step           TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        started_at     TEXT NOT NULL,
        ended_at       TEXT,
        read_count     INTEGER NOT NULL DEFAULT 0,
        write_count    INTEGER NOT NULL DEFAULT 0,
        committed_seq  INTEGER NOT NULL DEFAULT 0,
        commits        INTEGER NOT NULL DEFAULT 0,
        details        TEXT,
        PRIMARY KEY (run_id, step)
      );

      -- One row per processed encounter of a run: its end state and, for emit, its claim.
      CREATE TABLE run_records (
        run_id         INTEGER NOT NULL REFERENCES runs (id),
        seq            INTEGER NOT NULL,
        source         TEXT NOT NULL,
        encounter_id   TEXT NOT NULL,
        content_hash   TEXT,
        state          TEXT NOT NULL CHECK (state IN ('released', 'exception', 'quarantined', 'unchanged')),
        claim_id       TEXT,
        frequency      TEXT,
        confidence     REAL,
        payload        TEXT,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;

      -- Rows that could not be read (whole encounters or child rows), with where they were.
      CREATE TABLE quarantine (
        id             INTEGER PRIMARY KEY,
        run_id         INTEGER NOT NULL REFERENCES runs (id),
        role           TEXT NOT NULL,
        file           TEXT NOT NULL,
        line           INTEGER,
        encounter_id   TEXT,
        code           TEXT NOT NULL,
        message        TEXT NOT NULL,
        -- 1 for encounter rows rejected at staging: input records that never reach run_records.
        counts_as_record INTEGER NOT NULL
      );
      CREATE INDEX quarantine_run ON quarantine (run_id);

      CREATE TABLE exceptions (
        run_id         INTEGER NOT NULL REFERENCES runs (id),
        exception_id   TEXT NOT NULL,
        seq            INTEGER NOT NULL,
        source         TEXT NOT NULL,
        encounter_id   TEXT NOT NULL,
        record_state   TEXT NOT NULL,
        patient_id     TEXT,
        billing_npi    TEXT,
        code           TEXT NOT NULL,
        severity       TEXT NOT NULL,
        stage          TEXT NOT NULL,
        message        TEXT NOT NULL,
        codes          TEXT,
        evidence       TEXT,
        source_file    TEXT,
        source_line    INTEGER,
        source_path    TEXT,
        action         TEXT,
        table_version  TEXT,
        PRIMARY KEY (run_id, exception_id)
      ) WITHOUT ROWID;
      CREATE INDEX exceptions_key ON exceptions (source, encounter_id);

      -- What has been billed per encounter, and what the latest run did with it.
      CREATE TABLE ledger (
        source          TEXT NOT NULL,
        encounter_id    TEXT NOT NULL,
        last_hash       TEXT NOT NULL,
        last_state      TEXT NOT NULL,
        last_run_id     INTEGER NOT NULL,
        billed_hash     TEXT,
        billed_claim_id TEXT,
        billed_run_id   INTEGER,
        claim_version   INTEGER NOT NULL DEFAULT 0,
        prior           TEXT,
        updated_at      TEXT NOT NULL,
        PRIMARY KEY (source, encounter_id)
      ) WITHOUT ROWID;

      CREATE TABLE audit_log (
        id             INTEGER PRIMARY KEY,
        at             TEXT NOT NULL,
        actor          TEXT NOT NULL,
        run_id         INTEGER,
        source         TEXT,
        encounter_id   TEXT,
        action         TEXT NOT NULL,
        from_state     TEXT,
        to_state       TEXT,
        detail         TEXT
      );
      CREATE INDEX audit_key ON audit_log (source, encounter_id);

      CREATE TABLE locks (
        name           TEXT PRIMARY KEY,
        owner          TEXT NOT NULL,
        pid            INTEGER NOT NULL,
        host           TEXT NOT NULL,
        run_label      TEXT,
        acquired_at    TEXT NOT NULL,
        heartbeat_at   TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'reference library: code-set versions, codes, notes, 7th characters',
    sql: `
      CREATE TABLE codeset_versions (
        id              INTEGER PRIMARY KEY,
        system          TEXT NOT NULL,
        version         TEXT NOT NULL,
        effective_from  TEXT NOT NULL,
        effective_to    TEXT NOT NULL,
        sources         TEXT NOT NULL,
        imported_at     TEXT NOT NULL,
        codes           INTEGER NOT NULL,
        billable        INTEGER NOT NULL,
        details         TEXT,
        UNIQUE (system, version)
      );
      CREATE TABLE codeset_codes (
        version_id   INTEGER NOT NULL REFERENCES codeset_versions (id) ON DELETE CASCADE,
        key          TEXT NOT NULL,
        display      TEXT NOT NULL,
        title        TEXT NOT NULL,
        short_title  TEXT,
        kind         TEXT NOT NULL,
        parent       TEXT,
        billable     INTEGER NOT NULL,
        PRIMARY KEY (version_id, key)
      ) WITHOUT ROWID;
      CREATE TABLE codeset_notes (
        version_id   INTEGER NOT NULL REFERENCES codeset_versions (id) ON DELETE CASCADE,
        key          TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        kind         TEXT NOT NULL,
        block        INTEGER NOT NULL,
        text         TEXT NOT NULL,
        ranges       TEXT,
        PRIMARY KEY (version_id, key, seq)
      ) WITHOUT ROWID;
      CREATE TABLE codeset_seventh (
        version_id   INTEGER NOT NULL REFERENCES codeset_versions (id) ON DELETE CASCADE,
        key          TEXT NOT NULL,
        char         TEXT NOT NULL,
        title        TEXT NOT NULL,
        PRIMARY KEY (version_id, key, char)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'reference library: Alphabetic Index family (index, external causes, drugs, neoplasms)',
    sql: `
      CREATE TABLE codeset_indexes (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL,
        version         TEXT NOT NULL,
        effective_from  TEXT NOT NULL,
        effective_to    TEXT NOT NULL,
        title           TEXT NOT NULL,
        columns         TEXT NOT NULL,
        sources         TEXT NOT NULL,
        terms           INTEGER NOT NULL,
        imported_at     TEXT NOT NULL,
        UNIQUE (kind, version)
      );
      CREATE TABLE codeset_index_terms (
        index_id    INTEGER NOT NULL REFERENCES codeset_indexes (id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        parent_seq  INTEGER,
        level       INTEGER NOT NULL,
        title       TEXT NOT NULL,
        nemod       TEXT,
        code        TEXT,
        manif       TEXT,
        see         TEXT,
        see_also    TEXT,
        cells       TEXT,
        PRIMARY KEY (index_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'reference library: NCCI PTP pairs and MUE values, versioned per provider type',
    sql: `
      CREATE TABLE edit_tables (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('ptp', 'mue')),
        provider        TEXT NOT NULL CHECK (provider IN ('practitioner', 'hospital', 'dme')),
        version         TEXT NOT NULL,
        effective_from  TEXT NOT NULL,
        effective_to    TEXT NOT NULL,
        sources         TEXT NOT NULL,
        rows            INTEGER NOT NULL,
        imported_at     TEXT NOT NULL,
        UNIQUE (kind, provider, version)
      );
      CREATE TABLE ptp_pairs (
        table_id            INTEGER NOT NULL REFERENCES edit_tables (id) ON DELETE CASCADE,
        column1             TEXT NOT NULL,
        column2             TEXT NOT NULL,
        effective_from      TEXT NOT NULL,
        deleted_on          TEXT,
        modifier_indicator  TEXT NOT NULL CHECK (modifier_indicator IN ('0', '1', '9')),
        rationale           TEXT,
        PRIMARY KEY (table_id, column1, column2, effective_from)
      ) WITHOUT ROWID;
      CREATE INDEX ptp_column2 ON ptp_pairs (table_id, column2);
      CREATE TABLE mue_values (
        table_id    INTEGER NOT NULL REFERENCES edit_tables (id) ON DELETE CASCADE,
        code        TEXT NOT NULL,
        max_units   INTEGER NOT NULL,
        mai         TEXT NOT NULL CHECK (mai IN ('1', '2', '3')),
        rationale   TEXT,
        PRIMARY KEY (table_id, code)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'reference library: Medicare Code Editor lists',
    sql: `
      CREATE TABLE mce_lists (
        id              INTEGER PRIMARY KEY,
        version         TEXT NOT NULL UNIQUE,
        effective_from  TEXT NOT NULL,
        effective_to    TEXT NOT NULL,
        sources         TEXT NOT NULL,
        rows            INTEGER NOT NULL,
        imported_at     TEXT NOT NULL
      );
      CREATE TABLE mce_entries (
        list_id   INTEGER NOT NULL REFERENCES mce_lists (id) ON DELETE CASCADE,
        list      TEXT NOT NULL,
        code_key  TEXT NOT NULL,
        PRIMARY KEY (list_id, list, code_key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'reference library: ICD-10-PCS table axes',
    sql: `
      CREATE TABLE codeset_pcs_axes (
        version_id  INTEGER NOT NULL REFERENCES codeset_versions (id) ON DELETE CASCADE,
        table_key   TEXT NOT NULL,
        row         INTEGER NOT NULL,
        pos         INTEGER NOT NULL,
        code        TEXT NOT NULL,
        label       TEXT NOT NULL,
        title       TEXT NOT NULL,
        definition  TEXT,
        PRIMARY KEY (version_id, table_key, row, pos, code)
      ) WITHOUT ROWID;
    `,
  },
];
