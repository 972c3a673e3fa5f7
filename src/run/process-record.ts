import { createHash } from 'node:crypto';
import { abstractNotes } from '../abstract/abstract-encounter.js';
import { codeEncounter, type CodingContext } from '../code/code-encounter.js';
import { starterPrices } from '../codesets/starter-library.js';
import { ISSUE_CODES } from '../contract/issue-codes.js';
import type { BillingContext, Encounter, Issue, ValidatedClaim } from '../contract/types.js';
import { toClaimRecord } from '../emit/claims/claim-record.js';
import type { ExceptionRow } from '../emit/exceptions/exceptions-csv.js';
import { assembleEncounter } from '../ingest/assemble-encounter.js';
import type { StagedBundle } from '../ingest/staging.js';
import { claimFingerprint } from '../validate/edits/claim-data.js';
import { validateClaim } from '../validate/validate-claim.js';
import { TEAM_POA_EXEMPT } from '../code/poa.js';
import type { RecordContext } from './record-context.js';
import type { RecordTools } from './record-tools.js';
import { validationOptions } from './validation-options.js';
import type { LedgerRow, RecordOutcome } from './run-repository.js';


/** Thrown before or between stages when a record is over its budget; processRecordSafely holds the record. */
class RecordBudgetExceeded extends Error {}

function checkBudget(ctx: RecordContext, started: number, stage: string): void {
  const elapsed = performance.now() - started;
  if (ctx.recordBudgetMs !== undefined && elapsed > ctx.recordBudgetMs) {
    throw new RecordBudgetExceeded(`${stage} took ${Math.round(elapsed)} ms, over the record budget run.recordBudgetMs (${ctx.recordBudgetMs} ms)`);
  }
}

/** Stable claim id base per encounter key: the same encounter always gets the same id. */
export function claimIdBase(source: string, encounterId: string): string {
  const digest = createHash('sha256').update(`${source}\u0000${encounterId}`).digest('base64url');
  return `NC${digest.replace(/[-_]/g, '').slice(0, 12).toUpperCase()}`;
}

/**
 * Ledger state this run decides against. When a forced re-run replaces an earlier run
 * of the same (pipeline, date), that run's ledger changes are looked through to what
 * was there before it, so re-running a night does not turn its own claims into
 * "unchanged" or "replacement".
 */
export function billingBasis(row: LedgerRow | undefined, superseded: ReadonlySet<number>): LedgerRow | undefined {
  let current = row;
  while (current && superseded.has(current.last_run_id)) {
    current = current.prior ? (JSON.parse(current.prior) as LedgerRow) : undefined;
  }
  return current;
}

/**
 * A fast 64-bit string hash (two 32-bit multiply-xor lanes, after cyrb53). Used for
 * ids that must be stable and well spread, not secret; SHA-256 per finding cost more
 * than the rest of validation.
 */
export function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** Stable exception id: the same finding on the same content keeps its id from night to night. */
export function exceptionId(encounter: { source: string; encounterId: string }, contentHash: string, issue: Issue, occurrence: number): string {
  const basis = [encounter.source, encounter.encounterId, contentHash, issue.code, (issue.codes ?? []).join(','), issue.path ?? '', issue.source?.line ?? '', occurrence].join('\u0000');
  return `EX${hash64(basis).toUpperCase()}`;
}

function exceptionRows(claim: ValidatedClaim, state: 'released' | 'exception'): ExceptionRow[] {
  const e = claim.coded.encounter;
  const seen = new Map<string, number>();
  return claim.issues.map((i) => {
    const sig = `${i.code}|${(i.codes ?? []).join(',')}|${i.path ?? ''}|${i.source?.line ?? ''}`;
    const n = (seen.get(sig) ?? 0) + 1;
    seen.set(sig, n);
    return {
      exceptionId: exceptionId(e.key, e.contentHash, i, n),
      runId: 0, businessDate: '',
      source: e.key.source, encounterId: e.key.encounterId, recordState: state,
      ...(e.patient.id ? { patientId: e.patient.id } : {}),
      ...(e.providers.billingNpi ? { billingNpi: e.providers.billingNpi } : {}),
      severity: i.severity, code: i.code, stage: i.stage, message: i.message,
      ...(i.codes?.length ? { codes: i.codes.join('|') } : {}),
      ...(i.evidence ? { evidence: i.evidence } : {}),
      ...(i.source ? { sourceFile: i.source.file, ...(i.source.line !== undefined ? { sourceLine: i.source.line } : {}), ...(i.source.path ? { sourcePath: i.source.path } : {}) } : {}),
      ...(i.path && !i.source?.path ? { sourcePath: i.path } : {}),
      ...(i.action ? { action: i.action } : {}),
      ...(i.tableVersion ? { tableVersion: i.tableVersion } : {}),
    };
  });
}

/**
 * The reference data coding reads for this encounter's date of service. With only the
 * starter tables loaded there is no tabular to walk: candidates are coded as abstracted.
 * Prices: the configured chargemaster, else the starter table's typical charges.
 */
function codingContext(e: Encounter, ctx: RecordContext, tools: RecordTools): CodingContext {
  const date = e.serviceDate ?? e.dischargeDate ?? e.admissionDate ?? ctx.businessDate;
  const lib = tools.codeSets;
  const icd10cm = lib && !lib.isStarterOnly('ICD-10-CM') ? lib.codeSetFor('ICD-10-CM', date) : undefined;
  const pcs = lib && !lib.isStarterOnly('ICD-10-PCS') ? lib.codeSetFor('ICD-10-PCS', date) : undefined;
  const entries = Object.entries(ctx.chargemaster ?? {});
  const prices = entries.length > 0 ? new Map(entries.map(([code, v]) => [code, typeof v === 'number' ? v : v.price])) : starterPrices();
  const revenueCodes = new Map(entries.flatMap(([code, v]) => (typeof v === 'object' && v.revenueCode ? [[code, v.revenueCode] as const] : [])));
  return {
    ...(icd10cm ? { icd10cm } : {}), ...(pcs ? { pcs } : {}), prices, ...(revenueCodes.size > 0 ? { revenueCodes } : {}), poaExempt: tools.poaExemptFor?.(date) ?? TEAM_POA_EXEMPT,
    ...(ctx.telehealth ? { telehealth: ctx.telehealth } : {}),
  };
}

/**
 * A date of service no ICD-10-CM version covers (a future date, or a fiscal year not
 * imported) is this record's problem, not the night's: it is held with a finding that
 * says what to import, and coded only against what abstraction found.
 */
function codeSetGap(e: Encounter, ctx: RecordContext, tools: RecordTools): Issue | undefined {
  const lib = tools.codeSets;
  if (!lib || lib.isStarterOnly('ICD-10-CM')) return undefined;
  const date = e.serviceDate ?? e.dischargeDate ?? e.admissionDate ?? ctx.businessDate;
  if (lib.codeSetFor('ICD-10-CM', date)) return undefined;
  const def = ISSUE_CODES.CODE_CODESET_MISSING;
  return {
    code: 'CODE_CODESET_MISSING', severity: def.severity, stage: def.stage, action: def.action, source: e.source, path: 'serviceDate',
    message: `import the ICD-10-CM release in force on ${date} (nightcode codesets import), then release: no ICD-10-CM version covers that date, so its codes could not be checked`,
  };
}

/**
 * One record through assemble → abstract → code → validate, decided against what the
 * ledger says was billed (`basis`, looked up by the caller): unreadable → quarantined;
 * billed before with the same content → unchanged; otherwise released (original or
 * replacement) or held as an exception. Pure and synchronous, so it runs on worker threads.
 */
export function processRecord(bundle: StagedBundle, basis: LedgerRow | undefined, ctx: RecordContext, tools: RecordTools): RecordOutcome {
  const staged = bundle.staged;
  // The map in force on the business date (the service date is not known before assembly).
  const snomedMap = tools.snomedMapFor?.(ctx.businessDate);
  const assembled = assembleEncounter(bundle, {
    sourceSystem: ctx.sourceSystem, defaultKind: ctx.defaultKind, mapping: ctx.mapping,
    ...(ctx.claimDefaults ? { claimDefaults: ctx.claimDefaults } : {}), ...(snomedMap ? { snomedMap } : {}),
  });
  const base = { seq: staged.seq, source: ctx.sourceSystem, encounterId: staged.encounterId };
  if (!assembled.ok) {
    const first = assembled.issues[0]!;
    return {
      ...base, state: 'quarantined', exceptions: [],
      quarantine: {
        role: 'encounters', file: staged.file, line: staged.line, encounterId: staged.encounterId, code: first.code,
        message: assembled.issues.map((i) => i.message).join('; '),
      },
    };
  }
  const encounter = assembled.encounter;
  const prior = basis ? JSON.stringify(basis) : null;

  const supersedesHold = basis?.last_state === 'exception' ? { supersedesHold: true } : {};
  // Withdrawn by the source and never billed: nothing to bill, and the same content sent
  // again stays withdrawn. Billed before, it is held below for a person to void.
  if (encounter.withdrawn && !basis?.billed_claim_id) {
    return {
      ...base, contentHash: encounter.contentHash, state: 'unchanged', exceptions: [], ...supersedesHold,
      ledger: {
        source: ctx.sourceSystem, encounter_id: staged.encounterId, last_hash: encounter.contentHash, last_state: 'voided', last_run_id: ctx.runId,
        billed_hash: null, billed_claim_id: null, billed_run_id: null, claim_version: basis?.claim_version ?? 0, prior,
      },
      audit: { action: 'skip-withdrawn', fromState: basis?.last_state ?? null, toState: 'unchanged', detail: `withdrawn by the source (status ${encounter.withdrawn.status}); never billed` },
    };
  }
  // Withdrawn by a resolution (void) and sent again unchanged: the decision stands.
  if (basis?.last_state === 'voided' && basis.last_hash === encounter.contentHash) {
    return {
      ...base, contentHash: encounter.contentHash, state: 'unchanged', exceptions: [],
      ledger: { ...basis, last_run_id: ctx.runId, prior },
      audit: { action: 'skip-voided', fromState: 'voided', toState: 'unchanged', detail: 'voided by a resolution; sent again without changes' },
    };
  }
  if (basis?.billed_hash === encounter.contentHash) {
    return {
      ...base, contentHash: encounter.contentHash, state: 'unchanged', exceptions: [], ...supersedesHold,
      ...(basis.billed_claim_id ? { claimId: basis.billed_claim_id } : {}),
      ledger: { ...basis, last_hash: encounter.contentHash, last_state: 'unchanged', last_run_id: ctx.runId, prior },
      audit: { action: 'skip-unchanged', fromState: basis.last_state, toState: 'unchanged', detail: `already billed as ${basis.billed_claim_id}` },
    };
  }

  // Never reuse an id: after a void the next claim takes the next version too.
  const version = (basis?.claim_version ?? 0) + 1;
  const billing: BillingContext = {
    claimId: `${claimIdBase(ctx.sourceSystem, staged.encounterId)}-${version}`,
    frequency: basis?.billed_claim_id ? '7' : '1',
    ...(basis?.billed_claim_id ? { originalClaimId: basis.billed_claim_id } : {}),
  };
  if (encounter.withdrawn && basis?.billed_claim_id) {
    const def = ISSUE_CODES.INGEST_ENCOUNTER_WITHDRAWN;
    encounter.issues.push({
      code: 'INGEST_ENCOUNTER_WITHDRAWN', severity: def.severity, stage: def.stage, action: def.action, source: encounter.withdrawn.source,
      message: `the source withdrew this encounter (status "${encounter.withdrawn.status}") after claim ${basis.billed_claim_id} was billed: answer void to send a void (frequency 8), or hold while checking`,
      codes: [],
    });
  }
  const gap = codeSetGap(encounter, ctx, tools);
  if (gap) encounter.issues.push(gap);
  // Size first, deterministically: a megabytes-long "note" is not a chart, and abstracting it
  // would cost the night minutes and a gigabyte.
  const noteChars = encounter.notes.reduce((n, x) => n + x.text.length, 0);
  if (ctx.maxNoteChars !== undefined && noteChars > ctx.maxNoteChars) {
    throw new RecordBudgetExceeded(`notes of ${noteChars} characters, over run.maxNoteChars (${ctx.maxNoteChars})`);
  }
  const started = performance.now();
  const findings = abstractNotes(encounter.notes, tools.lexicon);
  checkBudget(ctx, started, 'abstraction');
  const coding = codingContext(encounter, ctx, tools);
  const coded = codeEncounter(encounter, findings, coding);
  checkBudget(ctx, started, 'coding');
  const date = encounter.serviceDate ?? encounter.dischargeDate ?? encounter.admissionDate ?? ctx.businessDate;
  const claim = validateClaim(coded, billing, validationOptions(ctx, tools, {
    encounterId: staged.encounterId, date, ...(coding.icd10cm ? { icd10cm: coding.icd10cm } : {}), ...(coding.poaExempt ? { poaExempt: coding.poaExempt } : {}),
  }));
  const state = claim.route === 'release' ? 'released' : 'exception';
  const ledger: Omit<LedgerRow, 'updated_at'> = state === 'released'
    ? {
        source: ctx.sourceSystem, encounter_id: staged.encounterId, last_hash: encounter.contentHash, last_state: 'released', last_run_id: ctx.runId,
        billed_hash: encounter.contentHash, billed_claim_id: billing.claimId, billed_run_id: ctx.runId, claim_version: version, prior,
      }
    : {
        source: ctx.sourceSystem, encounter_id: staged.encounterId, last_hash: encounter.contentHash, last_state: 'exception', last_run_id: ctx.runId,
        billed_hash: basis?.billed_hash ?? null, billed_claim_id: basis?.billed_claim_id ?? null, billed_run_id: basis?.billed_run_id ?? null,
        claim_version: basis?.claim_version ?? 0, prior,
      };
  return {
    ...base,
    ...supersedesHold,
    contentHash: encounter.contentHash,
    state,
    claimId: billing.claimId,
    frequency: billing.frequency,
    confidence: coded.confidence,
    payload: JSON.stringify(toClaimRecord(claim)),
    ...(state === 'released' ? { fingerprint: claimFingerprint(coded) } : {}),
    exceptions: exceptionRows(claim, state),
    ledger,
    audit: {
      action: billing.frequency === '7' ? 'replace' : 'code',
      fromState: basis?.last_state ?? null,
      toState: state,
      detail: `${billing.claimId} frequency ${billing.frequency}${billing.originalClaimId ? ` replaces ${billing.originalClaimId}` : ''}`,
    },
  };
}

/**
 * Duplicates inside one night: two encounters of the same chunk are processed side by side,
 * so neither sees the other's fingerprint in the ledger. Before a chunk commits, a released
 * claim whose fingerprint an earlier claim of the night already has is held (or warned, by
 * the edit's severity in config) as EDIT_DUPLICATE_CLAIM, the first one keeping its release.
 * `earlier` names the night's first released claim with a fingerprint among those already
 * committed (the run repository's claim_fingerprints: the night's fingerprints are not held
 * in memory, which grew with the night); this chunk's own are remembered here.
 */
export function holdDuplicatesOfTheNight(
  outcomes: RecordOutcome[], earlier: (fingerprint: string) => { claimId: string; encounterId: string } | undefined,
  severityFor: (payerId: string | undefined) => 'error' | 'warning' | 'off',
): RecordOutcome[] {
  const seen = new Map<string, { claimId: string; encounterId: string }>();
  return outcomes.map((o) => {
    if (o.state !== 'released' || !o.fingerprint || !o.payload || !o.claimId || !o.contentHash) return o;
    const first = seen.get(o.fingerprint) ?? earlier(o.fingerprint);
    if (!first || first.encounterId === o.encounterId) {
      seen.set(o.fingerprint, { claimId: o.claimId, encounterId: o.encounterId });
      return o;
    }
    const claim = JSON.parse(o.payload) as { coverage?: { payerId?: string }; patient?: { id?: string }; providers?: { billingNpi?: string } };
    const severity = severityFor(claim.coverage?.payerId);
    if (severity === 'off') return o;
    const def = ISSUE_CODES.EDIT_DUPLICATE_CLAIM;
    const issue: Issue = {
      code: 'EDIT_DUPLICATE_CLAIM', severity, stage: def.stage, action: def.action, codes: [first.claimId],
      message: `same patient, payer, dates and services as claim ${first.claimId} of encounter ${first.encounterId}, released earlier tonight`,
    };
    const state = severity === 'error' ? 'exception' : 'released';
    const row: ExceptionRow = {
      exceptionId: exceptionId(o, o.contentHash, issue, 1), runId: 0, businessDate: '', source: o.source, encounterId: o.encounterId, recordState: state,
      ...(claim.patient?.id ? { patientId: claim.patient.id } : {}), ...(claim.providers?.billingNpi ? { billingNpi: claim.providers.billingNpi } : {}),
      severity, code: issue.code, stage: issue.stage, message: issue.message, codes: first.claimId, action: def.action,
    };
    if (state === 'released') return { ...o, exceptions: [...o.exceptions, row] };
    // Held: the released claim's findings are the held claim's now; the ledger keeps what was billed before.
    const basis = o.ledger?.prior ? (JSON.parse(o.ledger.prior) as LedgerRow) : undefined;
    const { fingerprint: _dropped, ...rest } = o;
    return {
      ...rest, state, exceptions: [...o.exceptions.map((x) => ({ ...x, recordState: state })), row],
      ...(o.ledger ? {
        ledger: {
          ...o.ledger, last_state: 'exception', billed_hash: basis?.billed_hash ?? null, billed_claim_id: basis?.billed_claim_id ?? null,
          billed_run_id: basis?.billed_run_id ?? null, claim_version: basis?.claim_version ?? 0,
        },
      } : {}),
      ...(o.audit ? { audit: { ...o.audit, toState: state, detail: `${o.audit.detail ?? ''}; held: duplicate of ${first.claimId}`.replace(/^; /, '') } } : {}),
    };
  });
}

/**
 * A record whose processing throws (a bug, or input no rule foresaw) is that record's
 * problem, not the night's: it is held with RUN_RECORD_FAILED naming the error (its kind and
 * first line, not the record's data), its ledger row keeps what was billed before, and the
 * night goes on. A record that cannot even be assembled is quarantined the same way.
 */
export function processRecordSafely(bundle: StagedBundle, basis: LedgerRow | undefined, ctx: RecordContext, tools: RecordTools): RecordOutcome {
  try {
    return processRecord(bundle, basis, ctx, tools);
  } catch (err) {
    const e = err as Error;
    const overBudget = err instanceof RecordBudgetExceeded;
    const what = overBudget ? e.message : `${e?.name ?? 'Error'}: ${String(e?.message ?? err).split('\n')[0]!.slice(0, 200)}`;
    return heldByTheRun(bundle, basis, ctx, overBudget
      ? { code: 'RUN_RECORD_BUDGET_EXCEEDED', what, audit: 'over-budget', message: `${what}: the record is held, the night went on; its notes are far larger than a chart's, check the export` }
      : { code: 'RUN_RECORD_FAILED', what, audit: 'fail', message: `processing failed (${what}); the record is held, the night went on: report it with the encounter id` });
  }
}

/**
 * A record the run could not process (its processing threw, it went over its budget, or the
 * chunk holding it failed every attempt on the queue's workers): held with one finding naming
 * why (no record data in it), its ledger row keeping what was billed before.
 */
export function heldByTheRun(
  bundle: StagedBundle, basis: LedgerRow | undefined, ctx: RecordContext,
  why: { code: 'RUN_RECORD_FAILED' | 'RUN_RECORD_BUDGET_EXCEEDED' | 'RUN_CHUNK_FAILED'; message: string; what: string; audit: string },
): RecordOutcome {
  const staged = bundle.staged;
  const def = ISSUE_CODES[why.code];
  const base = { seq: staged.seq, source: ctx.sourceSystem, encounterId: staged.encounterId };
  const issue: Issue = { code: why.code, severity: def.severity, stage: def.stage, action: def.action, message: why.message, source: { file: staged.file, line: staged.line } };
  const contentHash = createHash('sha256').update(JSON.stringify(staged.data)).digest('hex');
  return {
    ...base, contentHash, state: 'exception',
    exceptions: [{
      exceptionId: exceptionId(base, contentHash, issue, 1), runId: 0, businessDate: '', source: base.source, encounterId: base.encounterId, recordState: 'exception',
      patientId: staged.patientId, severity: def.severity, code: why.code, stage: def.stage, message: why.message, action: def.action, sourceFile: staged.file, sourceLine: staged.line,
    }],
    ledger: {
      source: ctx.sourceSystem, encounter_id: staged.encounterId, last_hash: contentHash, last_state: 'exception', last_run_id: ctx.runId,
      billed_hash: basis?.billed_hash ?? null, billed_claim_id: basis?.billed_claim_id ?? null, billed_run_id: basis?.billed_run_id ?? null,
      claim_version: basis?.claim_version ?? 0, prior: basis ? JSON.stringify(basis) : null,
    },
    audit: { action: why.audit, fromState: basis?.last_state ?? null, toState: 'exception', detail: why.what },
  };
}
