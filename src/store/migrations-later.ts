import type { Migration } from './migration.js';

/** Schema versions 7 and later: site learning, claim fingerprints, control numbers, the work queue, POA lists, SNOMED maps. Append only: new versions go at the end. */
export const LATER_MIGRATIONS: readonly Migration[] = [
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
  {
    version: 13,
    name: 'site lexicon: learned terms keep their held-out precision',
    sql: `
      -- A learned term's counts on training folds it was not learned from (its weight).
      ALTER TABLE site_lexicon ADD COLUMN held_out_together INTEGER;
      ALTER TABLE site_lexicon ADD COLUMN held_out_documents INTEGER;
    `,
  },
  {
    version: 14,
    name: 'worklist: answers about a whole claim and answers that edit one thing; owner, team and hold reason per claim; metrics per night',
    sql: `
      -- exception_id is NULL for an answer about the whole claim (a worklist row); action is
      -- checked by the reader (release, recode, hold, void, the edit actions, assign); target
      -- is the line, field or position an edit names; hold_reason a hold's reason.
      CREATE TABLE resolutions_v14 (
        id             INTEGER PRIMARY KEY,
        exception_id   TEXT,
        source         TEXT NOT NULL,
        encounter_id   TEXT NOT NULL,
        claim_run_id   INTEGER NOT NULL,
        action         TEXT NOT NULL,
        target         TEXT,
        codes          TEXT,
        hold_reason    TEXT,
        note           TEXT,
        user           TEXT NOT NULL,
        file           TEXT NOT NULL,
        line           INTEGER NOT NULL,
        file_sha256    TEXT NOT NULL,
        applied_at     TEXT NOT NULL,
        pipeline_codes TEXT
      );
      INSERT INTO resolutions_v14 (id, exception_id, source, encounter_id, claim_run_id, action, codes, note, user, file, line, file_sha256, applied_at, pipeline_codes)
        SELECT id, exception_id, source, encounter_id, claim_run_id, action, codes, note, user, file, line, file_sha256, applied_at, pipeline_codes FROM resolutions;
      DROP TABLE resolutions;
      ALTER TABLE resolutions_v14 RENAME TO resolutions;
      CREATE INDEX resolutions_exception ON resolutions (exception_id);
      CREATE INDEX resolutions_claim ON resolutions (source, encounter_id, claim_run_id);
      CREATE INDEX resolutions_file ON resolutions (file_sha256);

      -- Who works a held claim and why it waits: kept across nights, shown every morning.
      CREATE TABLE claim_work (
        source       TEXT NOT NULL,
        encounter_id TEXT NOT NULL,
        owner        TEXT,
        team         TEXT,
        hold_reason  TEXT,
        note         TEXT,
        updated_by   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (source, encounter_id)
      ) WITHOUT ROWID;

      -- One row per completed run: the figures the report draws its trends from.
      CREATE TABLE night_metrics (
        run_id           INTEGER PRIMARY KEY,
        pipeline         TEXT NOT NULL,
        business_date    TEXT NOT NULL,
        released         INTEGER NOT NULL,
        held             INTEGER NOT NULL,
        auto_release_rate REAL NOT NULL,
        needing_person   INTEGER NOT NULL,
        new_claims       INTEGER NOT NULL,
        resolved_claims  INTEGER NOT NULL,
        held_dollars     REAL NOT NULL,
        replacements     INTEGER NOT NULL,
        voids            INTEGER NOT NULL,
        -- {"EDIT_CODE": claims needing a person with that finding}
        edits            TEXT NOT NULL
      );
      CREATE INDEX night_metrics_pipeline ON night_metrics (pipeline, business_date);
    `,
  },
];
