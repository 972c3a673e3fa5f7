import type { TelehealthConfig } from '../code/telehealth.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { validate as validateCron } from 'node-cron';
import type { z } from 'zod';
import { NightcodeError } from '../contract/errors.js';
import { CANONICAL_MAPPING, configSchema, mappingSchema, pipelineSchema, type Config, type Mapping, type PipelineDef } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'config/nightcode.json';

/** Environment variables that override the config file (flag > env > file > default). */
export const CONFIG_ENV = {
  NIGHTCODE_DB: 'database',
  NIGHTCODE_OUT: 'outDir',
  NIGHTCODE_TZ: 'timezone',
} as const;

function formatZodIssues(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const path = i.path.map(String).join('.') || '(root)';
    const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
    return `${file}: ${path}: ${i.message}${keys}`;
  });
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new NightcodeError('CONFIG_INVALID', `${what} not found: ${file}`);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new NightcodeError('CONFIG_INVALID', `${what} ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, file: string, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = formatZodIssues(file, result.error.issues);
    throw new NightcodeError('CONFIG_INVALID', `${what} ${file} is invalid:\n  ${details.join('\n  ')}`, { details });
  }
  return result.data;
}

export interface LoadedConfig {
  config: Config;
  /** The file read, or undefined when only embedded defaults apply. */
  file?: string;
}

/**
 * Loads the config file (or the embedded defaults when there is none), applies
 * environment overrides, validates everything and reports every error by its path.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<Config> } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const explicit = options.file ?? env.NIGHTCODE_CONFIG;
  const file = explicit ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const raw = (file ? readJson(file, 'Config file') : {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new NightcodeError('CONFIG_INVALID', `Config file ${file} must hold a JSON object`);
  }
  const merged: Record<string, unknown> = { ...raw };
  for (const [name, key] of Object.entries(CONFIG_ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  const config = parseOrThrow(configSchema, merged, file ?? '(defaults)', 'Config');
  const extra: string[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: config.timezone });
  } catch {
    extra.push(`${file ?? '(defaults)'}: timezone: unknown IANA time zone "${config.timezone}"`);
  }
  if (!validateCron(config.schedule.cron)) {
    extra.push(`${file ?? '(defaults)'}: schedule.cron: not a valid cron expression "${config.schedule.cron}"`);
  }
  if (extra.length > 0) {
    throw new NightcodeError('CONFIG_INVALID', `Config is invalid:\n  ${extra.join('\n  ')}`, { details: extra });
  }
  return file === undefined ? { config } : { config, file };
}

export interface LoadedPipeline {
  def: PipelineDef;
  file: string;
  mapping: Mapping;
  mappingFile: string;
}

/** Resolves a path written inside a definition file against that file's folder. */
export function resolveFrom(file: string, target: string): string {
  return isAbsolute(target) ? target : resolve(dirname(file), target);
}

export function loadPipeline(file: string): LoadedPipeline {
  const def = parseOrThrow(pipelineSchema, readJson(file, 'Pipeline'), file, 'Pipeline');
  if (!def.mapping) return { def, file, mapping: CANONICAL_MAPPING, mappingFile: '(canonical)' };
  const mappingFile = resolveFrom(file, def.mapping);
  const mapping = parseOrThrow(mappingSchema, readJson(mappingFile, 'Column mapping'), mappingFile, 'Column mapping');
  return { def, file, mapping, mappingFile };
}

/** The export folder for a business date: `{date}` in the pipeline's input is replaced. */
export function inputDirFor(pipeline: LoadedPipeline, businessDate: string, override?: string): string {
  if (override) return resolve(override);
  return resolveFrom(pipeline.file, pipeline.def.input.replaceAll('{date}', businessDate));
}

/**
 * The pipeline's claimDefaults; the billing NPI, when it names none, is the one billing
 * provider the site configured for its 837 files (x12.billingProviders), if there is exactly one.
 */
export function claimDefaultsOf(def: PipelineDef, config: Config): PipelineDef['claimDefaults'] {
  const configured = Object.keys(config.x12.billingProviders);
  const billingNpi = def.claimDefaults?.billingNpi ?? (configured.length === 1 ? configured[0] : undefined);
  return { ...def.claimDefaults, ...(billingNpi ? { billingNpi } : {}) };
}

/** Config telehealth with each payer's own over it, as coding and the edits read it. */
export function telehealthConfig(config: Config): TelehealthConfig {
  const payers = Object.fromEntries(config.payers.filter((p) => p.telehealth).map((p) => [p.id, p.telehealth!]));
  return { ...config.telehealth, ...(Object.keys(payers).length > 0 ? { payers } : {}) };
}
