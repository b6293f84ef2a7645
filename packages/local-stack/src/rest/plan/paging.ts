// Which rows of a read a request asks for: `offset`/`limit` from the query and, on GET only, a
// `Range: a-b` header intersected with them, as PostgREST's RangeQuery does.
import { RestError } from "../errors.ts";
import type { NodeModifiers } from "../parse/query-params.ts";

export interface Paging {
  offset: number;
  /** undefined = no limit asked for; null = an open `Range: a-` (no upper bound). */
  limit: number | null | undefined;
}

const RANGE = /^\s*(?:items=)?(\d+)-(\d*)\s*$/;

export function planPaging(method: string, rangeHeader: string | undefined, root: NodeModifiers | undefined): Paging {
  let offset = root?.offset ?? 0;
  let limit: number | null | undefined = root?.limit;
  const range = method === "GET" ? rangeHeader : undefined;
  if (!range) return { offset, limit };
  const match = RANGE.exec(range);
  if (!match || (match[2] !== "" && Number(match[2]) < Number(match[1])))
    throw new RestError(416, "PGRST103", "Requested range not satisfiable", null);
  const lower = Number(match[1]);
  const upper = match[2] === "" ? null : Number(match[2]);
  const rangeLimit = upper === null ? null : upper - lower + 1;
  offset = Math.max(offset, lower);
  limit = limit === undefined ? rangeLimit : rangeLimit === null ? limit : Math.min(limit, rangeLimit);
  return { offset, limit };
}
