import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { importPayerFiles, payerInboxFiles, type ImportSummary } from '../payer/import-responses.js';
import { acceptedPayerPolicies } from '../payer/payer-rules.js';
import { applyInbox, type InboxFileResult } from '../resolve/inbox.js';
import { recodeEditOptions } from '../resolve/recode-edits.js';
import { releaseResolvedClaims, type ResolvedRelease } from '../resolve/release-resolved.js';
import type { Db } from '../store/database.js';
import { routingFrom } from './morning.js';
import type { RunRepository } from './run-repository.js';

export interface NightAnswers {
  payerFiles?: ImportSummary;
  resolutionFiles: InboxFileResult[];
  decided: ResolvedRelease;
}

/**
 * What the night reads before its first record, in this order: payers' answers (config
 * remit.inbox; their rejections and denials join the worklist, and a claim rejected before
 * adjudication is no longer billed when tonight's records are decided), then staff answers
 * (config resolutions.inbox), then the claims those answers decided join the night.
 */
export function readNightAnswers(db: Db, repo: RunRepository, config: Config, o: {
  runId: number; businessDate: string; source: string; superseded: ReadonlySet<number>; now: () => Date; log: Logger;
}): NightAnswers {
  const { runId, log } = o;
  let payerFiles: ImportSummary | undefined;
  if (config.remit.inbox) {
    payerFiles = importPayerFiles(db, payerInboxFiles(resolve(config.remit.inbox)), { runId, businessDate: o.businessDate, now: o.now });
    for (const f of payerFiles.results.filter((r) => r.status === 'quarantined')) {
      log.error({ runId, file: f.file, code: f.code, segment: f.segment }, `payer response file quarantined: ${f.message ?? ''}`);
    }
    const { results: _r, unmatchedResponses: _u, ...counts } = payerFiles;
    if (payerFiles.files > 0) log.info({ runId, ...counts }, 'payer responses read');
  }
  let resolutionFiles: InboxFileResult[] = [];
  if (config.resolutions.inbox) {
    resolutionFiles = applyInbox(db, resolve(config.resolutions.inbox), o.now, recodeEditOptions(config, acceptedPayerPolicies(db)), routingFrom(config));
    for (const f of resolutionFiles) {
      if (f.status === 'refused') log.error({ runId, file: f.file, problems: f.problems.slice(0, 20) }, 'resolutions file refused: nothing in it was applied; fix it and it is applied next run');
      else if (f.status === 'applied') log.info({ runId, file: f.file, applied: f.applied, toRelease: f.toRelease, toVoid: f.toVoid, held: f.held }, 'resolutions file applied');
    }
  }
  const decided = releaseResolvedClaims(db, repo, { runId, source: o.source, superseded: o.superseded });
  return { ...(payerFiles ? { payerFiles } : {}), resolutionFiles, decided };
}
