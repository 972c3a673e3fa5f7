import { ISSUE_CODES } from '../contract/issue-codes.js';
import { ageInDays, latestCompletedRuns } from '../run/exception-rows.js';
import type { Db } from '../store/database.js';
import { claimAsAnswered } from './answer-claim.js';
import { claimCodeParts, claimCodesCell } from './claim-edits.js';
import { claimWorkReader, routeTeam, type TeamRouting, NO_ROUTING } from './claim-work.js';

/** One open finding of a claim on the worklist. */
export interface WorklistFinding {
  exceptionId: string;
  code: string;
  severity: string;
  /** The message with the action first ("Query the physician: …"). */
  message: string;
  evidence?: string;
  action?: string;
  team: string;
  status: 'open' | 'held';
  firstSeen: string;
}

/** A claim that needs a person: held tonight or carried over, with what it carries and what is open on it. */
export interface WorklistRow {
  source: string;
  encounterId: string;
  patientId: string;
  claimType: string;
  payerId?: string;
  payerName?: string;
  serviceFrom?: string;
  serviceTo?: string;
  amount: number;
  /** All current codes in claim order, as answered so far (claimCodesCell). */
  claimCodes: string;
  /** The same codes by part, for the report. */
  codeParts: { dx: string[]; lines: string[]; pcs: string[] };
  billingNpi?: string;
  /** The billing provider's name from config (x12.billingProviders or providerNames), when known. */
  providerName?: string;
  /** new: every finding first raised in the report's run; held: a person put it on hold; open otherwise. */
  status: 'new' | 'open' | 'held';
  firstSeen: string;
  ageDays: number;
  /** The assigned team, else the team the claim's first error finding routes to. */
  team: string;
  /** Every team a finding of the claim routes to. */
  teams: string[];
  owner?: string;
  holdReason?: string;
  note?: string;
  updatedBy?: string;
  findings: WorklistFinding[];
  /** The run that held the claim (its stored claim). */
  claimRunId: number;
}

/** The words that say what to do, by suggested action: the worklist's messages lead with them. */
const ACTION_WORDS: Record<string, string> = {
  'query-physician': 'Query the physician',
  'add-modifier': 'Add or correct a modifier',
  'correct-demographics': "Correct the patient's demographics",
  'correct-coverage': 'Correct the coverage',
  'correct-provider': 'Correct the provider set-up',
  'correct-export': 'Correct the export',
  review: 'Review',
  resubmit: 'Correct and resubmit',
  appeal: 'Appeal',
  'write-off': 'Write off',
};

/** Findings whose own words say the action better than the generic one. */
const CODE_WORDS: Partial<Record<string, string>> = {
  CODE_LOW_CONFIDENCE: 'Review the codes below the confidence threshold',
  EDIT_DUPLICATE_CLAIM: 'Confirm or void the duplicate',
  INGEST_ENCOUNTER_WITHDRAWN: 'Void the billed claim or hold it',
  EMIT_X12_NOT_CONFIGURED: 'Configure the claim file, then release',
  CODE_PROCEDURE_UNPRICED: 'Price the service in the chargemaster',
};

/** A finding's message led by what to do: "Query the physician: …". */
export function actionFirst(code: string, action: string | undefined, message: string): string {
  // A message that already opens with what to do keeps its words.
  if (/^(query|configure|review|correct|add|remove|void|price|confirm|bill|code|check|import|set|fix|answer)\b/i.test(message)) return message[0]!.toUpperCase() + message.slice(1);
  const lead = CODE_WORDS[code] ?? (action ? ACTION_WORDS[action] : undefined) ?? 'Review';
  return `${lead}: ${message}`;
}

interface OpenRow {
  exception_id: string;
  source: string;
  encounter_id: string;
  status: 'open' | 'held';
  first_run_id: number;
  first_seen: string;
  last_run_id: number;
  seq: number;
  severity: string;
  code: string;
  message: string;
  evidence: string | null;
  action: string | null;
  patient_id: string | null;
  billing_npi: string | null;
  pipeline: string;
}

export interface WorklistOptions {
  /** Age is counted to this date (the report's business date). */
  reportDate: string;
  /** Findings first raised by this run are "new" (default: by the latest completed run of the claim's pipeline). */
  runId?: number;
  /** Only claims held by runs of this pipeline. */
  pipeline?: string;
  routing?: TeamRouting;
  /** Billing provider names by NPI. */
  providerNames?: Readonly<Record<string, string>>;
}


/** The order to work claims in: oldest first, then the largest amount. */
export function workOrder(a: Pick<WorklistRow, 'ageDays' | 'amount' | 'encounterId'>, b: Pick<WorklistRow, 'ageDays' | 'amount' | 'encounterId'>): number {
  return b.ageDays - a.ageDays || b.amount - a.amount || a.encounterId.localeCompare(b.encounterId);
}

/**
 * The claims that need a person: every claim with a finding open or held, one row each, in
 * the order to work them (workOrder). The claim is shown as answered so far: edits from
 * earlier resolutions files are applied.
 */
export function worklistRows(db: Db, o: WorklistOptions): WorklistRow[] {
  return [...claimsNeedingWork(db, o)].sort(workOrder);
}

/**
 * The worklist's claims one at a time, in (source, encounter) order, each read with its own
 * findings and claim: nothing of the whole worklist is held, so a night can store the rows
 * as they come (a million-encounter night's ~100k open findings, read at once with their
 * messages and evidence, held ~260 MB).
 */
export function* claimsNeedingWork(db: Db, o: WorklistOptions): Generator<WorklistRow> {
  const open = `FROM exception_status s
                JOIN exceptions e ON e.run_id = s.last_run_id AND e.exception_id = s.exception_id
                JOIN runs r ON r.id = s.last_run_id
                WHERE s.status IN ('open', 'held') AND (? IS NULL OR r.pipeline = ?)`;
  const claims = db.prepare(`SELECT DISTINCT s.source, s.encounter_id ${open} ORDER BY s.source, s.encounter_id`).raw()
    .all(o.pipeline ?? null, o.pipeline ?? null) as [string, string][];
  const findingsOf = db.prepare(`SELECT s.exception_id, s.source, s.encounter_id, s.status, s.first_run_id, s.first_seen, s.last_run_id,
                                        e.seq, e.severity, e.code, e.message, e.evidence, e.action, e.patient_id, e.billing_npi, r.pipeline
                                 ${open} AND s.source = ? AND s.encounter_id = ?
                                 ORDER BY s.last_run_id DESC, e.seq, s.exception_id`);
  // The claim a finding is about, read once per claim rather than joined to every finding.
  // A payer's answer to a claim a resolution released has seq minus its resolved_claims id.
  const payload = db.prepare(`SELECT coalesce((SELECT payload FROM run_records WHERE run_id = ? AND seq = ?),
                                              (SELECT released_claim FROM resolved_claims WHERE ? < 0 AND id = -?))`).pluck();
  const payloadOf = (runId: number, seq: number) => (payload.get(runId, seq, seq, seq) as string | null) ?? undefined;
  const workOf = claimWorkReader(db);
  const latest = latestCompletedRuns(db);
  const routing = o.routing ?? NO_ROUTING;
  for (const [source, encounterId] of claims) {
    const rows = findingsOf.all(o.pipeline ?? null, o.pipeline ?? null, source, encounterId) as OpenRow[];
    if (rows.length === 0) continue;
    // Findings of an older run of the same encounter are closed when it is processed again; keep the latest run's.
    const list = rows.filter((r) => r.last_run_id === rows[0]!.last_run_id);
    yield worklistRow(db, list, { o, payloadOf, workOf, latest, routing });
  }
}

interface RowReaders {
  o: WorklistOptions;
  payloadOf: (runId: number, seq: number) => string | undefined;
  workOf: ReturnType<typeof claimWorkReader>;
  latest: ReadonlyMap<string, number>;
  routing: TeamRouting;
}

/** One claim's row from its open findings (the latest run's, in order). */
function worklistRow(db: Db, list: readonly OpenRow[], { o, payloadOf, workOf, latest, routing }: RowReaders): WorklistRow {
  const first = list[0]!;
  let payload: string | undefined;
  for (const r of list) {
    payload = payloadOf(r.last_run_id, r.seq);
    if (payload) break;
  }
  const claim = payload ? claimAsAnswered(db, { source: first.source, encounterId: first.encounter_id, runId: first.last_run_id, payload }).claim : undefined;
  const findings: WorklistFinding[] = list.map((r) => ({
    exceptionId: r.exception_id, code: r.code, severity: r.severity, message: actionFirst(r.code, r.action ?? undefined, r.message),
    ...(r.evidence ? { evidence: r.evidence } : {}), ...(r.action ? { action: r.action } : {}),
    team: routeTeam(r.code, r.action ?? ISSUE_CODES[r.code as keyof typeof ISSUE_CODES]?.action, routing), status: r.status, firstSeen: r.first_seen,
  }));
  const firstSeen = list.map((r) => r.first_seen).sort()[0]!;
  const w = workOf(first.source, first.encounter_id);
  const lead = findings.find((f) => f.severity === 'error') ?? findings[0]!;
  const billingNpi = claim?.providers.billingNpi ?? first.billing_npi ?? undefined;
  const providerName = billingNpi ? o.providerNames?.[billingNpi] : undefined;
  const dates = [claim?.serviceDate, claim?.admissionDate, claim?.dischargeDate, ...(claim?.lines.map((l) => l.serviceDate) ?? [])].filter((d): d is string => Boolean(d)).sort();
  return {
    source: first.source, encounterId: first.encounter_id, patientId: claim?.patient.id ?? first.patient_id ?? '',
    claimType: claim?.claimType ?? '',
    ...(claim?.coverage.payerId ? { payerId: claim.coverage.payerId } : {}), ...(claim?.coverage.payerName ? { payerName: claim.coverage.payerName } : {}),
    ...(dates.length > 0 ? { serviceFrom: dates[0]!, serviceTo: dates.at(-1)! } : {}),
    amount: claim ? Math.round(claim.lines.reduce((s, l) => s + l.charge, 0) * 100) / 100 : 0,
    claimCodes: claim ? claimCodesCell(claim) : '', codeParts: claim ? claimCodeParts(claim) : { dx: [], lines: [], pcs: [] },
    ...(billingNpi ? { billingNpi } : {}), ...(providerName ? { providerName } : {}),
    status: list.some((r) => r.status === 'held') ? 'held' : list.every((r) => r.first_run_id === (o.runId ?? latest.get(r.pipeline))) ? 'new' : 'open',
    firstSeen, ageDays: ageInDays(firstSeen, o.reportDate),
    team: w?.team ?? lead.team, teams: [...new Set(findings.map((f) => f.team))].sort(),
    ...(w?.owner ? { owner: w.owner } : {}), ...(w?.holdReason ? { holdReason: w.holdReason } : {}), ...(w?.note ? { note: w.note } : {}),
    ...(w ? { updatedBy: w.updatedBy } : {}),
    findings, claimRunId: first.last_run_id,
  };
}

/** Provider names by NPI from the config's x12 section: billing providers' names, then people's names. */
export function providerNamesFrom(x12: { billingProviders: Readonly<Record<string, { name: string }>>; providerNames: Readonly<Record<string, { last: string; first?: string }>> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [npi, p] of Object.entries(x12.providerNames)) out[npi] = p.first ? `${p.first} ${p.last}` : p.last;
  for (const [npi, p] of Object.entries(x12.billingProviders)) out[npi] = p.name;
  return out;
}
