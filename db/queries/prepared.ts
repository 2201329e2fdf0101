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
