import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { snapshotMetaKey, snapshotPartKey } from '../../src/queue/chunk-job.js';
import { SnapshotCache } from '../../src/queue/queue-worker.js';
import { buildSnapshot, type SnapshotFile } from '../../src/queue/snapshot.js';
import { openDatabase } from '../../src/store/database.js';
import { haveRedis, startRedis, type TestRedis } from '../helpers/redis.js';
import { tempDir } from '../helpers/tmp.js';

/** A worker's copy of the reference snapshot: fetched once, checked by its SHA-256, never used unchecked. */
const dir = tempDir('nightcode-snapshot-cache-');
let redis: TestRedis;
let client: Redis;
let snap: SnapshotFile;

async function publish(bytes: Buffer, s: SnapshotFile): Promise<void> {
  await client.set(snapshotPartKey(s.sha256, 0), bytes);
  await client.set(snapshotMetaKey(s.sha256), JSON.stringify({ sha256: s.sha256, bytes: s.bytes, parts: 1, schema: s.schema }));
}

describe.skipIf(!haveRedis)('the snapshot cache of nightcode worker', () => {
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    const db = openDatabase(join(dir, 'repo.db'));
    snap = buildSnapshot(db, join(dir, 'built'));
    db.close();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  test('fetched once, verified, kept by hash; a copy damaged on disk is fetched again', async () => {
    await publish(readFileSync(snap.file), snap);
    const cache = new SnapshotCache(client, join(dir, 'cache-1'));
    const path = await cache.path(snap.sha256, snap.schema);
    expect(readFileSync(path).equals(readFileSync(snap.file))).toBe(true);
    // The same process trusts what it verified; a new process (a new cache) checks the file again.
    writeFileSync(path, 'damaged');
    const again = new SnapshotCache(client, join(dir, 'cache-1'));
    expect(readFileSync(await again.path(snap.sha256, snap.schema)).equals(readFileSync(snap.file))).toBe(true);
  });

  test('refused: bytes that do not hash to the name, a snapshot not on the queue, another schema, a malformed name', async () => {
    const damaged = Buffer.from(readFileSync(snap.file));
    damaged.writeUInt8(damaged.readUInt8(100) ^ 0xff, 100);
    await publish(damaged, snap);
    const cache = new SnapshotCache(client, join(dir, 'cache-2'));
    await expect(cache.path(snap.sha256, snap.schema)).rejects.toThrow(/failed verification .* refusing to code with it/);
    await expect(cache.path('0'.repeat(64), snap.schema)).rejects.toThrow(/is not on the queue/);
    await expect(cache.path(snap.sha256, snap.schema + 1)).rejects.toThrow(/this worker reads schema \d+: run the coordinator's nightcode version/);
    await expect(cache.path('../../etc/passwd', snap.schema)).rejects.toThrow(/names no valid reference snapshot/);
  });
});
