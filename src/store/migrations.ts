/**
 * Versioned schema migrations of the run repository. Append only: a released
 * migration is never edited, a change is a new entry.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
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
  {
    version: 7,
    name: 'site lexicon and code statistics learned from coded history',
    sql: `
      CREATE TABLE site_learning (
        id           INTEGER PRIMARY KEY,
        corpus       TEXT NOT NULL,
        split        TEXT NOT NULL,
        documents    INTEGER NOT NULL,
        terms        INTEGER NOT NULL,
        learned_at   TEXT NOT NULL,
        details      TEXT NOT NULL
      );
      CREATE TABLE site_lexicon (
        term       TEXT NOT NULL,
        code       TEXT NOT NULL,
        system     TEXT NOT NULL,
        together   INTEGER NOT NULL,
        documents  INTEGER NOT NULL,
        origin     TEXT NOT NULL CHECK (origin IN ('reference', 'learned')),
        PRIMARY KEY (term, code, system)
      ) WITHOUT ROWID;
      CREATE TABLE site_code_stats (
        code       TEXT NOT NULL,
        system     TEXT NOT NULL,
        documents  INTEGER NOT NULL,
        PRIMARY KEY (code, system)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'claim fingerprints of released claims, for the duplicate-claim edit',
    sql: `
      CREATE TABLE claim_fingerprints (
        fingerprint   TEXT NOT NULL,
        source        TEXT NOT NULL,
        encounter_id  TEXT NOT NULL,
        claim_id      TEXT NOT NULL,
        run_id        INTEGER NOT NULL,
        PRIMARY KEY (fingerprint, source, encounter_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'X12 control numbers per sender, and the interchange each run wrote per receiver',
    sql: `
      CREATE TABLE x12_control (
        sender  TEXT PRIMARY KEY,
        isa     INTEGER NOT NULL,
        gs      INTEGER NOT NULL,
        st      INTEGER NOT NULL
      );
      CREATE TABLE x12_files (
        run_id      INTEGER NOT NULL,
        receiver    TEXT NOT NULL,
        claim_type  TEXT NOT NULL,
        sender      TEXT NOT NULL,
        isa         INTEGER NOT NULL,
        gs          INTEGER NOT NULL,
        st          INTEGER NOT NULL,
        sets        INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (run_id, sender, receiver, claim_type),
        UNIQUE (sender, isa)
      );
    `,
  },
  {
    version: 10,
    name: 'exception work queue: status and age per finding, resolutions, claims released or voided by them',
    sql: `
      -- Findings of held claims (record_state exception) as a work queue: when each was
      -- first and last raised, and whether it is open, held, resolved or superseded (the
      -- encounter was processed again with other content).
      CREATE TABLE exception_status (
        exception_id   TEXT PRIMARY KEY,
        source         TEXT NOT NULL,
        encounter_id   TEXT NOT NULL,
        severity       TEXT NOT NULL,
        first_run_id   INTEGER NOT NULL,
        first_seen     TEXT NOT NULL,
        last_run_id    INTEGER NOT NULL,
        last_seen      TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('open', 'held', 'resolved', 'superseded')),
        resolution_id  INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX exception_status_key ON exception_status (source, encounter_id);
      CREATE INDEX exception_status_open ON exception_status (status, last_run_id);

      -- What staff answered, line by line, from which file: the audit of every decision.
      CREATE TABLE resolutions (
        id             INTEGER PRIMARY KEY,
        exception_id   TEXT NOT NULL,
        source         TEXT NOT NULL,
        encounter_id   TEXT NOT NULL,
        claim_run_id   INTEGER NOT NULL,
        action         TEXT NOT NULL CHECK (action IN ('release', 'recode', 'hold', 'void')),
        codes          TEXT,
        note           TEXT,
        user           TEXT NOT NULL,
        file           TEXT NOT NULL,
        line           INTEGER NOT NULL,
        file_sha256    TEXT NOT NULL,
        applied_at     TEXT NOT NULL,
        -- The claim's codes before a recode (JSON), for the accuracy report.
        pipeline_codes TEXT
      );
      CREATE INDEX resolutions_exception ON resolutions (exception_id);
      CREATE INDEX resolutions_claim ON resolutions (source, encounter_id, claim_run_id);

      -- A claim a resolution decided (released as answered, or voided), waiting for the
      -- next run's claim files; released_run_id is the run whose files carried it.
      CREATE TABLE resolved_claims (
        id              INTEGER PRIMARY KEY,
        source          TEXT NOT NULL,
        encounter_id    TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('release', 'void')),
        content_hash    TEXT NOT NULL,
        resolution_id   INTEGER NOT NULL,
        payload         TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        released_run_id INTEGER,
        released_claim  TEXT
      );
      CREATE INDEX resolved_claims_pending ON resolved_claims (released_run_id);
      -- A run's record of one encounter (emit holds a visit sent again when its resolved claim could not go out).
      CREATE INDEX run_records_encounter ON run_records (source, encounter_id);
      -- Fingerprints of one encounter (a void or an unreleased claim takes them back).
      CREATE INDEX claim_fingerprints_encounter ON claim_fingerprints (source, encounter_id);
      -- A receiver's file holds a functional group per claim type: GS06 runs from gs for groups.
      ALTER TABLE x12_files ADD COLUMN groups INTEGER NOT NULL DEFAULT 1;
    `,
  },
  {
    version: 11,
    name: 'reference library: POA exempt lists',
    sql: `
      -- The CMS present-on-admission exempt list of a fiscal year (codes reported with a blank POA).
      CREATE TABLE poa_exempt_lists (
        id              INTEGER PRIMARY KEY,
        version         TEXT NOT NULL UNIQUE,
        effective_from  TEXT NOT NULL,
        effective_to    TEXT NOT NULL,
        sources         TEXT NOT NULL,
        rows            INTEGER NOT NULL,
        imported_at     TEXT NOT NULL
      );
      CREATE TABLE poa_exempt_codes (
        list_id   INTEGER NOT NULL REFERENCES poa_exempt_lists (id) ON DELETE CASCADE,
        code_key  TEXT NOT NULL,
        PRIMARY KEY (list_id, code_key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 12,
    name: 'reference library: SNOMED CT to ICD-10-CM maps',
    sql: `
      -- A site's licensed SNOMED CT to ICD-10-CM map (NLM), by release.
      CREATE TABLE snomed_maps (
        id              INTEGER PRIMARY KEY,
        version         TEXT NOT NULL UNIQUE,
        effective_from  TEXT NOT NULL,
        effective_to    TEXT NOT NULL,
        sources         TEXT NOT NULL,
        rows            INTEGER NOT NULL,
        imported_at     TEXT NOT NULL
      );
      CREATE TABLE snomed_map_rows (
        map_id        INTEGER NOT NULL REFERENCES snomed_maps (id) ON DELETE CASCADE,
        concept       TEXT NOT NULL,
        map_group     INTEGER NOT NULL,
        map_priority  INTEGER NOT NULL,
        map_rule      TEXT NOT NULL,
        map_target    TEXT NOT NULL,
        map_advice    TEXT NOT NULL
      );
      CREATE INDEX snomed_map_rows_concept ON snomed_map_rows (map_id, concept);
    `,
  },
];
