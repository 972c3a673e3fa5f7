import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import type { Config } from '../config/schema.js';
import type { LoadedPipeline } from '../config/load.js';
import { inputDirFor } from '../config/load.js';
import { asRunError, NightcodeError } from '../contract/errors.js';
import { writeManifest, writeReport, writeRunOutputs, writeSummary, type OutputFile } from '../emit/write-run-outputs.js';
import { allocateControlNumbers } from '../emit/x12/control-numbers.js';
import { writeX12Files } from '../emit/x12/x12-files.js';
import { payerClaimNumberLookup, recordSentClaims, SentClaims } from '../payer/claim-lifecycle.js';
import type { ImportSummary } from '../payer/import-responses.js';
import { acceptedPayerPolicies } from '../payer/payer-rules.js';
import { hasPayerAnswers, payerAnalytics } from '../payer/payer-analytics.js';
import type { X12SegmentCheck } from '../emit/x12/x12-check.js';
import { ISSUE_CODES } from '../contract/issue-codes.js';
import { resolvedCounts } from '../resolve/release-resolved.js';
import { storedReleasedClaims } from './stored-claims.js';
import { startClaimsFiles } from './claims-files-thread.js';
import type { InboxFileResult } from '../resolve/inbox.js';
import { readNightAnswers } from './night-answers.js';
import { hash64 } from './process-record.js';
import type { StagedFileReport } from '../ingest/csv/stage-csv.js';
import { stageExport } from '../ingest/stage-export.js';
import { codeSetsForRun } from './reference-versions.js';
import { StagingStore } from '../ingest/staging.js';
import type { Logger } from '../log/logger.js';
import { NO_PROGRESS, type Progress } from '../log/progress.js';
import { openDatabase } from '../store/database.js';
import { createRecordPool } from './record-pool.js';
import { inProcessChunks } from './chunk-processor.js';
import { billedClaims } from './record-tools.js';
import type { QueueStats } from './queue-stats.js';
import { acquireLock } from './lock.js';
import { billingBasis, holdDuplicatesOfTheNight } from './process-record.js';
import { recordContext } from './record-context.js';
import { morningWork } from './morning.js';
import { RunFindings } from './run-findings.js';
import { RunRepository, type RecordOutcome, type RunRow } from './run-repository.js';
import { checkSkipLimit, childRowsOf, parseCounts, peakRssMb, releaseRate, stageDurations, stagingFileFor, type Counts, type RunSummary } from './run-summary.js';

export type { Counts, RunSummary } from './run-summary.js';

/** The queue figures the process step recorded (also when a later execution only emits). */
function queueOf(details: string | null | undefined): QueueStats | undefined {
  return details ? (JSON.parse(details) as { queue?: QueueStats }).queue : undefined;
}

export interface RunRequest {
  config: Config;
  pipeline: LoadedPipeline;
  businessDate: string;
  /** Export folder; default: the pipeline's `input` with `{date}` filled in. */
  inputDir?: string;
  force?: boolean;
  log: Logger;
  progress?: Progress;
  now?: () => Date;
  /** Who the audit log names for this run's changes. */
  actor?: string;
  /** `--queue`: chunks to `nightcode worker` processes through BullMQ on this Redis (over config run.queue). */
  queue?: string;
  /** The 837 self-check, fed each file as it is written (tests put a failing one here); default: createX12Checker. */
  x12Check?: () => X12SegmentCheck;
}

/**
 * One run of a pipeline for a business date: lock, find or create the job instance,
 * then stage → process (chunked, committed per chunk) → emit, resuming a crashed run
 * where it stopped. Returns the reconciled summary; throws NightcodeError when the
 * run fails (after recording the failure).
 */
export async function runPipeline(req: RunRequest): Promise<RunSummary> {
  const { config, pipeline, businessDate, log } = req;
  const now = req.now ?? (() => new Date());
  const progress = req.progress ?? NO_PROGRESS;
  const name = pipeline.def.name;
  const db = openDatabase(config.database);
  const repo = new RunRepository(db, now);
  const stored = new RunFindings(db);
  const startedAt = now();
  let lock: ReturnType<typeof acquireLock> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let run: RunRow | undefined;
  let store: StagingStore | undefined;
  let resolutionFiles: InboxFileResult[] = [];
  let payerFiles: ImportSummary | undefined;
  try {
    lock = acquireLock(db, { staleSeconds: config.run.lockStaleSeconds, label: `${name} ${businessDate}` });
    const held = lock;
    if (held.recoveredFrom) log.warn({ lock: 'runner', previousHolder: held.recoveredFrom }, 'took over a lock whose holder died');
    heartbeat = setInterval(() => {
      try {
        held.heartbeat();
      } catch {
        // Reported at the next chunk commit, which stops the run.
      }
    }, (config.run.lockStaleSeconds * 1000) / 4);
    heartbeat.unref();

    const existing = repo.findInstance(name, businessDate);
    if (existing?.status === 'completed' && !req.force) {
      log.info({ runId: existing.id, pipeline: name, businessDate }, 'run already completed; nothing to do (use --force to run again)');
      const stage = repo.step(existing.id, 'stage');
      return {
        runId: existing.id, pipeline: name, businessDate, status: 'completed', noop: true, resumed: false, forced: false,
        executions: existing.executions, counts: parseCounts(existing), reconciled: true,
        resolved: resolvedCounts(db, existing.id), autoReleaseRate: releaseRate(parseCounts(existing)), resolutionFiles: [], notReleased: [], notReady: [],
        rows: stage?.details ? ((JSON.parse(stage.details) as { files: StagedFileReport[] }).files) : [],
        findingsByCode: stored.exceptionCounts(existing.id), outDir: existing.out_dir, outputs: [],
        startedAt: existing.started_at, endedAt: existing.ended_at ?? existing.started_at, durationMs: 0, recordsPerSecond: 0, peakRssMb: peakRssMb(), codeSets: [], codeSetWarnings: [],
      };
    }
    const resumed = existing !== undefined && !req.force;
    // Outputs go to <outDir>/<pipeline>/<business date>/ (--out overrides outDir).
    const outDir = resolve(config.outDir, name, businessDate);
    if (resumed) {
      run = repo.resumeRun(existing.id);
      log.info({ runId: run.id, pipeline: name, businessDate, execution: run.executions }, 'resuming run from its last committed chunk');
    } else {
      const inputDir = inputDirFor(pipeline, businessDate, req.inputDir);
      run = repo.createRun(name, businessDate, inputDir, outDir, Boolean(req.force), existing?.id);
      // A superseded run will never resume: its staged copy of the export (PHI) goes now.
      if (existing?.staging_file) StagingStore.remove(existing.staging_file);
      log.info({ runId: run.id, pipeline: name, businessDate, forced: Boolean(req.force), superseded: existing?.id }, 'run started');
    }
    if (resumed && req.inputDir && resolve(req.inputDir) !== run.input_dir) {
      // A retry that names another export is not a resume of this one: say so rather than mix two exports in one night.
      throw new NightcodeError('RUN_INPUT_CHANGED',
        `run ${run.id} (${name} ${businessDate}) was interrupted while reading ${run.input_dir}; this retry names ${resolve(req.inputDir)}. Re-run with --force to start the night over from the new export, or without --input to resume`);
    }
    const runId = run.id;
    held.setLabel(`run ${runId}: ${name} ${businessDate}`);

    // Step 1: stage the export (all or nothing; an interrupted staging starts over).
    const stagingFile = run.staging_file ?? stagingFileFor(config.database, runId);
    const stageStep = repo.step(runId, 'stage');
    if (stageStep?.status !== 'completed') {
      repo.startStep(runId, 'stage');
      repo.setStagingFile(runId, stagingFile);
      store = new StagingStore(stagingFile, { create: true });
      progress.start(0, 'stage');
      const report = await stageExport({ dir: run.input_dir, pipeline, businessDate, store, timeZone: config.timezone, onRecords: (n) => progress.increment(n) });
      progress.stop();
      const rejects = store.rejects();
      repo.completeStaging(runId, rejects, report.inputRecords, store.encounterCount(), { files: report.files, inputRecords: report.inputRecords });
      log.info({ runId, step: 'stage', inputRecords: report.inputRecords, rejectedRows: rejects.length }, 'export staged');
    } else {
      if (!existsSync(stagingFile)) {
        throw new NightcodeError('RUN_STATE', `run ${runId} cannot resume: its staging file ${stagingFile} is gone; re-run with --force`);
      }
      store = new StagingStore(stagingFile, { create: false });
    }
    const { used: codeSets, warnings: codeSetWarnings } = codeSetsForRun(db, store, pipeline, log, runId);
    const stageStepDone = repo.step(runId, 'stage')!;
    const inputRecords = stageStepDone.read_count;
    const children = childRowsOf((JSON.parse(stageStepDone.details ?? '{"files":[]}') as { files: StagedFileReport[] }).files);
    let quarantined = repo.stateCounts(runId).quarantined;
    checkSkipLimit(config, quarantined, inputRecords, children);

    // Step 2: process encounters chunk by chunk.
    const processStep = repo.step(runId, 'process');
    const queueUrl = req.queue ?? config.run.queue;
    let queueStats: QueueStats | undefined;
    if (processStep?.status !== 'completed') {
      const step = repo.startStep(runId, 'process');
      const ctx = recordContext(config, pipeline, {
        runId, businessDate, acceptedPolicies: acceptedPayerPolicies(db), supersededRunIds: repo.supersededRunIds(name, businessDate),
      });
      const processor = queueUrl
        // The queue's modules (BullMQ, ioredis) are loaded only for a queued night.
        ? await (await import('../queue/queued-chunks.js')).openQueuedChunks(queueUrl, req.queue ? '--queue' : 'run.queue', db, ctx, config.run, log)
        : inProcessChunks(createRecordPool(config.run.workers === 'auto' ? Math.min(64, availableParallelism()) : config.run.workers), pLimit(config.run.concurrency), ctx, config.run.chunkSize,
          ctx.database === ':memory:' ? undefined : billedClaims(db));
      const superseded = repo.supersededRunIds(name, businessDate);
      const staging = store;
      const total = staging.encounterCount();
      // Chunks after the one awaited are processed while it is committed (the in-process pool:
      // the next one; the queue: run.queueAhead of them). Chunks hold distinct encounters
      // (their ledger rows are read before the chunk starts), commits stay in chunk order, and
      // a crash loses only uncommitted work, redone on resume.
      type Chunk = ReturnType<typeof staging.readChunk>;
      const inFlight: { chunk: Chunk; outcomes: Promise<RecordOutcome[]> }[] = [];
      let readAfter = step.committed_seq;
      const fill = () => {
        while (inFlight.length <= processor.ahead) {
          const chunk = staging.readChunk(readAfter, config.run.chunkSize);
          if (chunk.length === 0) return;
          readAfter = chunk[chunk.length - 1]!.staged.seq;
          const bases = chunk.map((b) => billingBasis(repo.ledgerFor(ctx.sourceSystem, b.staged.encounterId), superseded) ?? null);
          const outcomes = processor.process(chunk, bases);
          outcomes.catch(() => undefined); // awaited in order below; not an unhandled rejection meanwhile
          inFlight.push({ chunk, outcomes });
        }
      };
      // The processor is open (the pool started, or the queue reached and its snapshot
      // published): from here on it is closed whatever happens.
      try {
        // Payers' and staff answers from the inboxes, then the claims resolutions decided:
        // tonight's records see them billed. Only before the first chunk: a resumed run leaves answers
        // given meanwhile to the next run, so no record of this run was decided without them.
        const fresh = step.committed_seq === 0;
        const answers = fresh ? readNightAnswers(db, repo, config, { runId, businessDate, source: pipeline.def.sourceSystem, superseded, now, log }) : undefined;
        resolutionFiles = answers?.resolutionFiles ?? [];
        payerFiles = answers?.payerFiles;
        const decided = answers?.decided ?? { released: 0, voided: 0, stale: 0 };
        if (decided.released + decided.voided + decided.stale > 0) log.info({ runId, ...decided }, 'claims decided by resolutions join this run');
        // Tonight's released claims by fingerprint, so two encounters of the night are not both
        // billed: those resolutions released tonight and the committed chunks' (also on a resume).
        const firstTonight = repo.firstReleasedTonightLookup(runId);
        const duplicateSeverity = (payerId: string | undefined) => (payerId ? config.payers.find((p) => p.id === payerId)?.editSeverity?.EDIT_DUPLICATE_CLAIM : undefined)
          ?? config.editSeverity.EDIT_DUPLICATE_CLAIM ?? ISSUE_CODES.EDIT_DUPLICATE_CLAIM.severity;
        log.info({ runId, step: 'process', total, committedSeq: step.committed_seq, processor: processor.label }, 'processing encounters');
        progress.start(total, 'process');
        progress.increment(repo.processedCount(runId));
        fill();
        while (inFlight.length > 0) {
          const { chunk, outcomes: pending } = inFlight.shift()!;
          const results = await pending;
          fill();
          const outcomes = holdDuplicatesOfTheNight(results, firstTonight, duplicateSeverity);
          const after = chunk[chunk.length - 1]!.staged.seq;
          repo.commitChunk(runId, outcomes, after, req.actor ?? 'nightcode', () => held.heartbeat());
          log.debug({ runId, step: 'process', committedSeq: after, records: chunk.length }, 'chunk committed');
          progress.increment(chunk.length);
          quarantined += outcomes.filter((o) => o.state === 'quarantined').length;
          checkSkipLimit(config, quarantined, inputRecords, children);
          await processor.committed?.(chunk);
        }
        queueStats = await processor.finish?.();
      } finally {
        progress.stop();
        // A failed commit leaves later chunks in flight: let them settle before the processor closes.
        await Promise.allSettled(inFlight.map((c) => c.outcomes));
        await processor.close();
      }
      repo.endStep(runId, 'process', 'completed', repo.processedCount(runId), total, queueStats ? { queue: queueStats } : undefined);
      log.info({ runId, step: 'process', records: total, ...(queueStats ? { queue: queueStats } : {}) }, 'encounters processed');
    }

    // Step 3: emit outputs from the stored results (idempotent: redone whole after a crash).
    repo.startStep(runId, 'emit');
    log.info({ runId, step: 'emit', outDir }, 'emitting outputs');
    const inputCounts = (): Counts => ({ input: inputRecords, ...repo.stateCounts(runId) });
    const before = inputCounts();
    const accounted = before.released + before.exception + before.quarantined + before.unchanged;
    const processed = repo.processedCount(runId);
    if (accounted !== inputRecords || processed !== store.encounterCount()) {
      throw new NightcodeError('RECONCILIATION_FAILED',
        `run ${runId} does not reconcile: ${inputRecords} input records, ${accounted} accounted for (${JSON.stringify(before)}), ${processed} of ${store.encounterCount()} staged encounters processed`);
    }
    const released = storedReleasedClaims(db, runId);
    // claims.jsonl, claims.csv and the findings files are written on a thread of their own while
    // the 837 files are (with run.workers 0, on this one later, with the other data files).
    const early = config.x12.enabled && config.run.workers !== 0 ? await startClaimsFiles({ database: db.name, runId, outDir, findings: { pipeline: name, businessDate } }) : undefined;
    // X12 837 files per receiver and claim type, self-checked before release. A file that
    // fails is not written; its claims become exceptions before the data files are written.
    // Each claim sent, with the group and set it travels in, is recorded: what payers' answers
    // are matched to.
    const sent = new SentClaims(db, runId);
    let x12: Awaited<ReturnType<typeof writeX12Files>>;
    try {
      x12 = config.x12.enabled
        ? await writeX12Files(outDir, released, config.x12, (receiver, claimType, sets, groups) => allocateControlNumbers(db, { runId, sender: config.x12.sender.id, receiver, claimType, sets, groups }, now),
          req.x12Check, payerClaimNumberLookup(db), sent)
        : { files: [], failures: [] };
      recordSentClaims(db, { runId, businessDate, sender: config.x12.sender.id, files: x12.files, sent, now, actor: req.actor ?? 'nightcode' });
    } catch (err) {
      await early?.settled();
      throw err;
    } finally {
      sent.close();
    }
    for (const f of x12.files.filter((x) => !x.ready)) {
      log.warn({ runId, file: f.name, receiver: f.receiver, placeholders: f.placeholders }, 'claim file carries placeholders for what is not configured: not ready to send');
    }
    for (const f of x12.failures) {
      const code = f.reason === 'not-configured' ? 'EMIT_X12_NOT_CONFIGURED' : 'EMIT_X12_SELF_CHECK';
      log.error({ runId, file: f.name, receiver: f.receiver, claims: f.claimIds.length, problems: f.problems, code },
        f.reason === 'not-configured' ? 'production claim file refused: not configured; its claims become exceptions' : 'claim file failed its self-check: not released; its claims become exceptions');
      const def = ISSUE_CODES[code];
      repo.demoteUnreleased(runId, new Set(f.claimIds), (r) => {
        const claim = JSON.parse(r.payload) as { patient?: { id?: string }; providers?: { billingNpi?: string } };
        return {
          exceptionId: `EX${hash64([r.source, r.encounterId, r.contentHash, code, f.name].join('\u0000')).toUpperCase()}`,
          runId, businessDate, source: r.source, encounterId: r.encounterId, recordState: 'exception',
          ...(claim.patient?.id ? { patientId: claim.patient.id } : {}), ...(claim.providers?.billingNpi ? { billingNpi: claim.providers.billingNpi } : {}),
          severity: def.severity, code, stage: def.stage, action: def.action,
          message: f.reason === 'not-configured'
            ? `configure ${f.problems.map((p) => p.replace(/^not configured: /, '')).slice(0, 3).join('; ')}, then release: ${f.name} (x12.usage P) was refused because it would carry placeholders`
            : `${f.name} failed its self-check and was not released (${f.problems.length} problem(s)): ${f.problems.slice(0, 3).join('; ')}`,
        };
      }, req.actor ?? 'nightcode');
    }
    // The files written meanwhile stand, unless a claim file failed: its claims are exceptions now.
    let written: readonly OutputFile[] | undefined;
    if (early && x12.failures.length === 0) written = await early.files;
    else await early?.settled();
    const counts = x12.failures.length > 0 ? inputCounts() : before; // only a refused file's claims (demoted) change a state
    const findings = stored.ofNight(name, runId, businessDate);
    const resolved = resolvedCounts(db, runId);
    const morning = morningWork(db, config, {
      runId, pipeline: name, businessDate, released: counts.released, held: counts.exception, autoReleaseRate: releaseRate(counts),
      resolvedClaims: resolved.released + resolved.voided,
    });
    const outputs: OutputFile[] = await writeRunOutputs(outDir, {
      claims: () => released.all(), ...(written ? { written } : {}),
      findings,
      quarantine: () => stored.quarantineInOrder(runId),
      worklist: () => morning.worklist.rows(),
    });
    const x12Files = x12.files;
    outputs.push(...x12Files.map((f) => ({ name: f.name, path: f.path, bytes: f.bytes, sha256: f.sha256, records: f.claims })));
    // The report's figures are the night's as it is written.
    const reportAt = now();
    const soFarMs = reportAt.getTime() - startedAt.getTime();
    const notReleased = x12.failures.map((f) => ({ name: f.name, receiver: f.receiver, claimTypes: f.claimTypes, claims: f.claimIds.length, problems: f.problems, reason: f.reason }));
    const notReady = x12Files.filter((f) => !f.ready).map((f) => ({ name: f.name, receiver: f.receiver, placeholders: f.placeholders }));
    const report = await writeReport(outDir, {
      runId, pipeline: name, businessDate, generatedAt: reportAt.toISOString(), counts, resolved, autoReleaseRate: releaseRate(counts),
      durationMs: soFarMs, recordsPerSecond: soFarMs > 0 ? Math.round((inputRecords / soFarMs) * 1000) : inputRecords, codeSets, codeSetWarnings,
      claimFiles: x12Files.map((f) => ({ name: f.name, receiver: f.receiver, claims: f.claims, totalCharge: f.totalCharge, ready: f.ready, placeholders: f.placeholders })),
      notReleased, resolutionFiles, worklist: morning.worklist, trend: morning.trend, providerNames: morning.providerNames,
      replacements: morning.replacements, voids: morning.voids,
      ...(hasPayerAnswers(db) ? { payers: payerAnalytics(db, { pipeline: name }) } : {}), ...(payerFiles ? { payerFiles: payerFiles.results } : {}),
    }, findings, () => stored.quarantineInOrder(runId));
    outputs.push(report);
    // The summary's and the manifest's end (and the emit step's in stagesMs): every file but
    // those two written, the report included (it was left out: 0.5 s of a 20k night's emit).
    const endedAt = now();
    const durationMs = endedAt.getTime() - startedAt.getTime();
    const recordsPerSecond = durationMs > 0 ? Math.round((inputRecords / durationMs) * 1000) : inputRecords;
    // Its rows are read: the stored worklist goes (a scheduler's connection outlives the night).
    morning.worklist.close();
    const stageDetails = JSON.parse(repo.step(runId, 'stage')!.details ?? '{"files":[]}') as { files: StagedFileReport[] };
    const queueSummary = queueOf(repo.step(runId, 'process')?.details);
    const summary: RunSummary = {
      runId, pipeline: name, businessDate, status: 'completed', noop: false, resumed, forced: Boolean(req.force),
      executions: run.executions, counts, reconciled: true, rows: stageDetails.files,
      resolved, autoReleaseRate: releaseRate(counts), resolutionFiles,
      ...(payerFiles ? { payerFiles } : {}),
      worklist: {
        claims: morning.worklist.summary.claims, new: morning.worklist.summary.newClaims,
        heldDollars: morning.worklist.summary.heldCents / 100, replacements: morning.replacements, voids: morning.voids,
      },
      notReleased, notReady,
      findingsByCode: stored.exceptionCounts(runId), outDir,
      outputs: outputs.map((o) => ({ name: o.name, path: o.path, bytes: o.bytes, sha256: o.sha256, records: o.records })),
      startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), durationMs,
      recordsPerSecond,
      peakRssMb: peakRssMb(),
      stagesMs: stageDurations(repo, runId, endedAt),
      ...(queueSummary ? { queue: queueSummary } : {}),
      codeSets, codeSetWarnings,
    };
    await writeSummary(outDir, summary);
    // The manifest last: billing reconciles against it and never reads a file it does not list.
    await writeManifest(outDir, {
      runId, pipeline: name, businessDate, generatedAt: endedAt.toISOString(), counts, resolved: summary.resolved,
      notReleased: summary.notReleased,
      claimFiles: x12Files.map((f) => ({
        name: f.name, receiver: f.receiver, ready: f.ready, ...(f.ready ? {} : { placeholders: f.placeholders }), claims: f.claims, totalCharge: f.totalCharge,
        groups: f.groups, control: f.control, bytes: f.bytes, sha256: f.sha256,
      })),
      dataFiles: outputs.filter((o) => !o.name.endsWith('.837')).map((o) => ({ name: o.name, records: o.records, bytes: o.bytes, sha256: o.sha256 })),
    });
    repo.endStep(runId, 'emit', 'completed', processed, outputs.length, { outputs: summary.outputs });
    repo.finishRun(runId, 'completed', counts);
    store.close();
    store = undefined;
    StagingStore.remove(stagingFile);
    log.info({ runId, pipeline: name, businessDate, counts, durationMs }, 'run completed');
    return summary;
  } catch (err) {
    const error = asRunError(err);
    if (run && error.code !== 'LOCK_HELD') {
      try {
        repo.finishRun(run.id, 'failed', { input: repo.step(run.id, 'stage')?.read_count ?? 0, ...repo.stateCounts(run.id) }, { code: error.code, message: error.message });
      } catch (recordErr) {
        log.error({ runId: run.id, err: (recordErr as Error).message }, 'could not record the run failure');
      }
      log.error({ runId: run.id, pipeline: name, businessDate, code: error.code }, `run failed: ${error.message}`);
    }
    throw error;
  } finally {
    if (heartbeat) clearInterval(heartbeat);
    // Each step on its own: a full disk or a damaged file must not keep the lock held or the database open.
    for (const [what, close] of [['staging', () => store?.close()], ['lock', () => lock?.release()], ['database', () => db.close()]] as const) {
      try {
        close();
      } catch (closeErr) {
        log.error({ step: 'cleanup', what, err: asRunError(closeErr).code }, `could not close the ${what} cleanly`);
      }
    }
  }
}

