import Database from 'better-sqlite3';

/** A statement prepared while `statementsOf` ran: its plan (EXPLAIN QUERY PLAN, parameters bound to NULL) and how often it ran. */
export interface Seen {
  plan: string[];
  executions: number;
}

/** Every statement prepared while `body` runs, with its plan and how often it ran. */
export async function statementsOf(body: () => Promise<void>): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  const proto = Database.prototype as unknown as { prepare: (sql: string) => Database.Statement };
  const prepare = proto.prepare;
  const planOf = (db: Database.Database, sql: string): string[] => {
    if (!/^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\b/i.test(sql)) return [];
    const explain = prepare.call(db, `EXPLAIN QUERY PLAN ${sql}`);
    // Positional parameters bound to NULL: the plan does not depend on the values without statistics.
    for (let n = 0; n <= 64; n++) {
      try {
        return (explain.all(...new Array(n).fill(null)) as { detail: string }[]).map((r) => r.detail);
      } catch (e) {
        if (!/Too few parameter/.test((e as Error).message)) throw new Error(`EXPLAIN QUERY PLAN ${sql}: ${(e as Error).message}`);
      }
    }
    throw new Error(`EXPLAIN QUERY PLAN ${sql}: more than 64 parameters`);
  };
  proto.prepare = function (this: Database.Database, sql: string) {
    const statement = prepare.call(this, sql);
    let entry = seen.get(sql);
    if (!entry) seen.set(sql, (entry = { plan: planOf(this, sql), executions: 0 }));
    const counted = entry;
    const s = statement as unknown as Record<'run' | 'get' | 'all' | 'iterate', (...a: unknown[]) => unknown>;
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = s[method]!;
      s[method] = function (this: unknown, ...args: unknown[]) {
        counted.executions++;
        return original.apply(this, args);
      };
    }
    return statement;
  };
  try {
    await body();
  } finally {
    proto.prepare = prepare;
  }
  return seen;
}
