import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { NightcodeError } from '../contract/errors.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { configFrom, loggerFor, type CommonFlags } from './common.js';

interface WorkerFlags extends CommonFlags {
  queue?: string;
  concurrency?: string;
  cache?: string;
  name?: string;
  lockSeconds: string;
}

function positiveInt(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new NightcodeError('USAGE', `${flag} must be a whole number from 1 to ${max}, not "${text}"`);
  return n;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('process chunks of runs started with --queue (any machine with this nightcode build and access to the Redis); stops on SIGTERM after the chunks in hand')
    .option('--queue <url>', 'the Redis the coordinators enqueue on: redis://HOST:PORT[/DB] (default: config run.queue)')
    .option('--concurrency <n>', 'chunks processed at once, one thread each (default: one per core)')
    .option('--cache <dir>', 'where reference snapshots are kept between nights (default: ~/.cache/nightcode/snapshots)')
    .option('--name <name>', 'the name status and run summaries show (default: host-pid)')
    .option('--lock-seconds <s>', 'a chunk whose worker stops answering for this long is handed to another worker', '30')
    .addHelpText('after', `
Examples:
  nightcode worker --queue redis://10.0.0.5:6379/0
  nightcode worker --queue redis://10.0.0.5:6379/0 --concurrency 8 --name coder-03

The worker holds no database: it codes with the reference snapshot the coordinator publishes
(checked by its SHA-256), and refuses chunks from another nightcode build.
A worker that cannot reach Redis logs a warning and keeps trying: a Redis restart pauses it,
it does not stop it. Exit codes: 0 stopped on SIGTERM/SIGINT, 2 bad usage.`)
    .action(async (flags: WorkerFlags, cmd: Command) => {
      const global = cmd.optsWithGlobals<CommonFlags>();
      const log = loggerFor(global);
      const url = flags.queue ?? configFrom({ ...global }).run.queue;
      if (!url) throw new NightcodeError('USAGE', 'nightcode worker needs --queue redis://HOST:PORT[/DB] (or config run.queue)');
      const queue = parseQueueUrl(url, flags.queue ? '--queue' : 'run.queue');
      const concurrency = flags.concurrency ? positiveInt(flags.concurrency, '--concurrency', 256) : availableParallelism();
      const lockMs = positiveInt(flags.lockSeconds, '--lock-seconds', 3600) * 1000;
      const cacheDir = flags.cache ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'nightcode', 'snapshots');
      const { startWorker } = await import('../queue/queue-worker.js');
      const worker = await startWorker({ queue, concurrency, cacheDir, lockMs, log, ...(flags.name ? { name: flags.name } : {}) });
      process.stderr.write(`worker ${worker.name} waiting for chunks on ${queue.redacted} (concurrency ${concurrency}); SIGTERM stops it after the chunks in hand\n`);
      const stop = () => void worker.close();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await worker.closed;
      // A connection still retrying (Redis gone) must not keep a stopped worker alive.
      setTimeout(() => process.exit(0), 1000).unref();
    });
}
