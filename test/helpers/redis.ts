import { haveRedis, REDIS_SERVER } from '../../bench/redis-server.js';

/** The queue tests' own redis-server (bench/redis-server.ts): CI installs it (scripts/install-redis.sh). */
export { freePort, haveRedis, startRedis, type OwnRedis as TestRedis } from '../../bench/redis-server.js';
if (!haveRedis && process.env.CI) throw new Error(`${REDIS_SERVER} is missing: CI must run scripts/install-redis.sh`);
