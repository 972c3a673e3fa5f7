import type { LoadedPipeline } from '../config/load.js';
import { pipelineSources } from '../config/schema.js';
import { finishStaging, stageCsvExport, type StageReport, type StagedFileReport } from './csv/stage-csv.js';
import { stageDocuments } from './documents/stage-documents.js';
import type { StagingStore } from './staging.js';

/**
 * Stages a whole export, whatever its formats: the CSV files the mapping names, then the
 * document files of each document source (C-CDA …), into one staging store. A file is read
 * by one source only.
 */
export async function stageExport(options: {
  dir: string;
  pipeline: LoadedPipeline;
  businessDate: string;
  store: StagingStore;
  /** The configured time zone document dates are taken in. */
  timeZone?: string;
  onRecords?: (n: number) => void;
}): Promise<StageReport> {
  const { pipeline, store } = options;
  const files: StagedFileReport[] = [];
  const claimed = new Set<string>();
  let inputRecords = 0;
  const sources = pipelineSources(pipeline.def);
  if (sources.some((s) => s.format === 'csv')) {
    const r = await stageCsvExport({ dir: options.dir, mapping: pipeline.mapping, store, finish: false, claimed, ...(options.onRecords ? { onRecords: options.onRecords } : {}) });
    files.push(...r.files);
    inputRecords += r.inputRecords;
  }
  for (const source of sources) {
    if (source.format === 'csv') continue;
    const r = await stageDocuments({
      dir: options.dir, format: source.format, claimed, store,
      ...(source.pattern ? { pattern: source.pattern } : {}),
      reader: {
        maxBytes: pipeline.def.documents.maxBytes, encounterRule: pipeline.def.documents.encounterRule, businessDate: options.businessDate,
        hl7Events: pipeline.def.documents.hl7Events, ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      },
      limits: pipeline.def.documents.limits,
      ...(options.onRecords ? { onRecords: options.onRecords } : {}),
    });
    files.push(...r.files);
    inputRecords += r.inputRecords;
  }
  finishStaging(store, files);
  return { files, inputRecords };
}
