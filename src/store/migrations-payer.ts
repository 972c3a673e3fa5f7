import type { Migration } from './migration.js';

/** Schema versions 15 and later: the payer loop (claims sent, the answers read back, the claim lifecycle), then what came after it. Append only. */
export const PAYER_MIGRATIONS: readonly Migration[] = [
  {
    version: 15,
    name: 'payer loop: every claim sent with its control numbers and lifecycle, the response files read and the responses in them, CARC and RARC lists as published, coverage policies learned from denials',
    sql: `
      -- Every claim an 837 file carried: the file, group and set it travelled in, and where it
      -- stands with the payer. Amounts in cents.
      CREATE TABLE claim_lifecycle (
        claim_id          TEXT PRIMARY KEY,
        source            TEXT NOT NULL,
        encounter_id      TEXT NOT NULL,
        -- The run whose files carried it, and its run_records row (NULL for a claim a
        -- resolution released: resolved_id names its resolved_claims row).
        run_id            INTEGER NOT NULL,
        seq               INTEGER,
        resolved_id       INTEGER,
        content_hash      TEXT NOT NULL,
        frequency         TEXT NOT NULL,
        original_claim_id TEXT,
        claim_type        TEXT NOT NULL,
        payer_id          TEXT,
        sender            TEXT NOT NULL,
        receiver          TEXT NOT NULL,
        file              TEXT NOT NULL,
        isa               INTEGER NOT NULL,
        gs                INTEGER NOT NULL,
        st                INTEGER NOT NULL,
        billed            INTEGER NOT NULL,
        allowed           INTEGER,
        paid              INTEGER,
        patient_resp      INTEGER,
        adjusted          INTEGER,
        payer_claim_id    TEXT,
        status            TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'rejected', 'paid', 'partially-paid', 'denied', 'reversed',
                                                          'resubmitted', 'appealed', 'written-off', 'voided')),
        sent_date         TEXT NOT NULL,
        status_date       TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      );
      CREATE INDEX claim_lifecycle_encounter ON claim_lifecycle (source, encounter_id);
      CREATE INDEX claim_lifecycle_set ON claim_lifecycle (sender, gs, st);

      -- Every response file read (999, 277CA, 835), once per content; a quarantined one with
      -- its problem (stable code, segment).
      CREATE TABLE payer_files (
        id          INTEGER PRIMARY KEY,
        sha256      TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        kind        TEXT,
        status      TEXT NOT NULL CHECK (status IN ('read', 'quarantined')),
        code        TEXT,
        segment     INTEGER,
        message     TEXT,
        responses   INTEGER NOT NULL DEFAULT 0,
        matched     INTEGER NOT NULL DEFAULT 0,
        unmatched   INTEGER NOT NULL DEFAULT 0,
        duplicates  INTEGER NOT NULL DEFAULT 0,
        run_id      INTEGER,
        read_at     TEXT NOT NULL
      );

      -- Every response, per claim it names (a 999 set rejection names each claim of the set),
      -- matched or not. response_key is the answer's identity: read twice, it is applied once.
      CREATE TABLE payer_responses (
        id             INTEGER PRIMARY KEY,
        file_id        INTEGER NOT NULL REFERENCES payer_files (id),
        segment        INTEGER NOT NULL,
        kind           TEXT NOT NULL,
        response_key   TEXT NOT NULL,
        reference      TEXT NOT NULL,
        claim_id       TEXT,
        status         TEXT NOT NULL,
        payer_id       TEXT,
        payer_claim_id TEXT,
        response_date  TEXT NOT NULL,
        billed         INTEGER,
        paid           INTEGER,
        patient_resp   INTEGER,
        allowed        INTEGER,
        adjusted       INTEGER,
        adjustments    TEXT,
        remarks        TEXT,
        status_codes   TEXT,
        trace          TEXT NOT NULL,
        applied        INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX payer_responses_key ON payer_responses (response_key, reference);
      CREATE INDEX payer_responses_claim ON payer_responses (claim_id);

      -- Coverage policies proposed from repeated medical-necessity denials, as staff decided
      -- them: accepted ones (policy: the coverage policy JSON) apply to every later run.
      -- The publisher's full lists of claim adjustment reason codes (carc) and remittance
      -- advice remark codes (rarc), as a site imports them: the worklist's words for codes the
      -- team's short list (data/payer/reason-codes.json) does not describe.
      CREATE TABLE payer_reason_codes (
        list         TEXT NOT NULL CHECK (list IN ('carc', 'rarc')),
        code         TEXT NOT NULL,
        description  TEXT NOT NULL,
        start_date   TEXT,
        stop_date    TEXT,
        source       TEXT NOT NULL,
        imported_at  TEXT NOT NULL,
        PRIMARY KEY (list, code)
      ) WITHOUT ROWID;

      CREATE TABLE payer_rules (
        id          TEXT PRIMARY KEY,
        payer       TEXT NOT NULL,
        procedure   TEXT NOT NULL,
        diagnosis   TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('accepted', 'dismissed')),
        policy      TEXT,
        evidence    TEXT NOT NULL,
        decided_by  TEXT NOT NULL,
        decided_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 16,
    name: 'site lexicon: alternative readings (another code of the category of a term\'s reading), ranked but never predicted alone',
    sql: `
      ALTER TABLE site_lexicon ADD COLUMN alternative INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 17,
    name: 'run records and exceptions as rowid tables: their rows (a claim of ~1.8 KB, findings with evidence) are too large for WITHOUT ROWID',
    // SQLite advises WITHOUT ROWID only for rows under about a twentieth of a page
    // (https://www.sqlite.org/withoutrowid.html, section 4). run_records carries each claim's
    // JSON (1.8 KB on average, a 4 KiB page) and exceptions' keys are hashes, so every chunk's
    // commit split pages across the run's key range. As rowid tables the rows are appended and
    // only the key index takes the scattered inserts. Measured by replaying a 20k night's
    // outcomes through commitChunk: commit CPU 1.25 -> 0.85 s, and reading every claim by
    // (run_id, seq) in random order, as emit does, 0.54 -> 0.18 s. Same columns, keys and
    // indexes; the 12-step rebuild of https://www.sqlite.org/lang_altertable.html (nothing
    // references either table).
    sql: `
      CREATE TABLE run_records_rowid (
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
      );
      INSERT INTO run_records_rowid (run_id, seq, source, encounter_id, content_hash, state, claim_id, frequency, confidence, payload)
        SELECT run_id, seq, source, encounter_id, content_hash, state, claim_id, frequency, confidence, payload FROM run_records ORDER BY run_id, seq;
      DROP TABLE run_records;
      ALTER TABLE run_records_rowid RENAME TO run_records;
      CREATE INDEX run_records_encounter ON run_records (source, encounter_id);

      CREATE TABLE exceptions_rowid (
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
      );
      INSERT INTO exceptions_rowid (run_id, exception_id, seq, source, encounter_id, record_state, patient_id, billing_npi, code, severity, stage, message,
                                    codes, evidence, source_file, source_line, source_path, action, table_version)
        SELECT run_id, exception_id, seq, source, encounter_id, record_state, patient_id, billing_npi, code, severity, stage, message,
               codes, evidence, source_file, source_line, source_path, action, table_version FROM exceptions ORDER BY run_id, seq, exception_id;
      DROP TABLE exceptions;
      ALTER TABLE exceptions_rowid RENAME TO exceptions;
      CREATE INDEX exceptions_key ON exceptions (source, encounter_id);
    `,
  },
  {
    version: 18,
    name: 'exceptions in the order the files and report read them: by run, record state and seq',
    // Each night's files and report read the run's findings of one state in seq order
    // (run-findings.ts). Through the primary key (run_id, exception_id), whose ids are hashes,
    // that visited the rows in random order and sorted them after: at 100k encounters, 0.75 s
    // for each of the warnings' passes. In this order the rows are visited as they were
    // appended (chunks commit in seq order), nothing is sorted, a pass that stops at the
    // report's limit stops early, and a state's findings are counted from the index alone.
    sql: `
      CREATE INDEX exceptions_order ON exceptions (run_id, record_state, seq, exception_id);
    `,
  },
];
