// Queries built once per database. drizzle turns a query builder into SQL text on every call:
// a CPU profile of a node taking connections showed a fifth of its time there. A prepared query
// keeps its text and only fills in the values (sql.placeholder) on each run.

import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client';

const built = new WeakMap<Executor, Map<string, unknown>>();

/**
 * The query `name` for this database (or transaction), built by `build` on first use (which
 * prepares it under that name). `build` must give the same query every time: the values of a
 * run go in through placeholders.
 */
export function preparedFor<Q>(
  db: Executor,
  name: string,
  build: (db: Executor, name: string) => Q,
): Q {
  let queries = built.get(db);
  if (!queries) {
    queries = new Map();
    built.set(db, queries);
  }
  let query = queries.get(name) as Q | undefined;
  if (query === undefined) {
    query = build(db, name);
    queries.set(name, query);
  }
  return query;
}

/**
 * The values of a placeholder that holds a JSON array of them, as an array for `= any(...)`: a
 * prepared statement takes any number of values this way, and the rows still come through the
 * index.
 */
export function arrayFromJson(placeholder: string, type: 'text' | 'uuid'): SQL {
  return sql`array(select jsonb_array_elements_text(${sql.placeholder(placeholder)}::jsonb)::${sql.raw(type)})`;
}

/**
 * A count of rows (a LIMIT) written into the statement as a literal rather than sent as a
 * parameter. PostgreSQL keeps one plan for a named statement after its fifth run unless that
 * plan looks dearer than planning each run for its values; a plan made without knowing how
 * many rows a LIMIT wants was priced as reading most of the index, so a history page of a big
 * conversation was planned again on every run (0.26 ms of PostgreSQL's 0.69 ms a page, in a
 * conversation of 1,000,000 messages). Each count is a statement of its own: pass counts of a
 * small range, such as a page size the protocol bounds.
 */
export function literalCount(count: number): SQL {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`A row count must be a whole number ≥ 0, not ${count}.`);
  }
  return literal(count);
}

/**
 * A constant of the code (never a value from outside) written into the statement as a literal
 * rather than sent as a parameter, so that the plan PostgreSQL keeps for every run is made
 * knowing it, as the plan for one run's values is. Otherwise a column whose statistics are
 * lopsided makes the two look far apart (while no direct chat holds a message yet, `last_seq >
 * $1` for 0 looks like no row at all, for an unknown value like a third of them), and the
 * statement is planned again on every run: in a reconnect storm of 10,000 clients, PostgreSQL
 * spent 4.8 s planning the presence audience against 0.7 s running it.
 */
export function literal(value: string | number): SQL {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}.`);
    return sql.raw(String(value));
  }
  return sql.raw(`'${value.replaceAll("'", "''")}'`);
}
