// ioredis (with BullMQ) is loaded only when a queue is used: every night and every CLI call
// loaded them, queue or not (`nightcode --help` 0.62 -> 0.54 s without).
import type { Redis, RedisOptions } from 'ioredis';
import { NightcodeError } from '../contract/errors.js';

/**
 * `redis://[user:password@]HOST:PORT[/DB]` (or `rediss://` for TLS), checked before anything
 * connects. What logs and summaries print is `redacted`: never the password.
 */
export interface QueueUrl {
  url: string;
  redacted: string;
}

export function parseQueueUrl(text: string, what = '--queue'): QueueUrl {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new NightcodeError('USAGE', `${what} "${text}" is not a URL: expected redis://HOST:PORT[/DB]`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new NightcodeError('USAGE', `${what} must be a redis:// or rediss:// URL, not ${u.protocol}//`);
  if (!u.hostname) throw new NightcodeError('USAGE', `${what} "${text}" names no host: expected redis://HOST:PORT[/DB]`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new NightcodeError('USAGE', `${what}: the database "${db}" is not a number (redis://HOST:PORT/DB)`);
  const redacted = `${u.protocol}//${u.username ? `${u.username}:***@` : u.password ? ':***@' : ''}${u.host}${db ? `/${db}` : ''}`;
  return { url: text, redacted };
}

/**
 * A connection for short commands that fails fast: a coordinator (or `status`) whose Redis is
 * gone stops with QUEUE_UNREACHABLE rather than waiting forever.
 */
export async function connectFailFast(q: QueueUrl, timeoutMs = 5000): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(q.url, {
    lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: timeoutMs,
    retryStrategy: (times) => (times > 3 ? null : 200 * times),
  } satisfies RedisOptions);
  // Reported through the failing command; the socket's own error (ECONNREFUSED …) says more than "Connection is closed".
  let socketError: Error | undefined;
  redis.on('error', (err: Error) => (socketError = err));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw unreachable(q, socketError ?? err);
  }
}

export function unreachable(q: QueueUrl, err: unknown): NightcodeError {
  const message = String((err as Error)?.message ?? err).split('\n')[0]!;
  // ioredis' words for a connection that went away mid-run.
  const why = /Stream isn't writeable|Connection is closed|max retries per request/.test(message) ? 'the connection was lost' : message;
  return new NightcodeError('QUEUE_UNREACHABLE',
    `the queue at ${q.redacted} cannot be reached (${why}): start Redis there, or run without --queue; the night resumes after its last committed chunk when run again`, { cause: err });
}
