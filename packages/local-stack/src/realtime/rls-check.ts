// Which subscribers may see a changed row: decided by Postgres under RLS, for all subscribers of a
// change in ONE call. Subscribers with identical role and claims are checked once. The per-table
// check function (created by _realtime.prepare_rls_check) sets role and claims per subscriber and
// selects the row by its primary key.
import type { Sql } from "../db/connect.ts";

export interface Viewer {
  role: string;
  /** JSON text of the JWT claims, as request.jwt.claims holds them. */
  claims: string;
}

interface TableCheck {
  /** Quoted function name, or null when the table has no primary key. */
  fn: string | null;
  rowSecurity: boolean;
}

export class RlsChecker {
  private readonly tables = new Map<number, Promise<TableCheck>>();
  private readonly columnGrants = new Map<string, { at: number; columns: Promise<Set<string>> }>();

  constructor(private readonly sql: Sql) {}

  /** Forget a table's check (its definition changed: pgoutput re-sent its relation). */
  invalidate(relationOid: number): void {
    this.tables.delete(relationOid);
    for (const key of this.columnGrants.keys()) if (key.startsWith(`${relationOid}:`)) this.columnGrants.delete(key);
  }

  /** Columns the role may select (has_column_privilege), remembered for a few seconds. */
  columns(relationOid: number, role: string): Promise<Set<string>> {
    const key = `${relationOid}:${role}`;
    const hit = this.columnGrants.get(key);
    if (hit && Date.now() - hit.at < 5000) return hit.columns;
    const columns = this.sql<{ name: string }[]>`
      select attname as name from pg_catalog.pg_attribute
      where attrelid = ${relationOid} and attnum > 0 and not attisdropped
        and pg_catalog.has_column_privilege(${role}, attrelid, attnum, 'SELECT')`.then((rows) => new Set(rows.map((row) => row.name)));
    columns.catch(() => this.columnGrants.delete(key));
    this.columnGrants.set(key, { at: Date.now(), columns });
    return columns;
  }

  table(relationOid: number): Promise<TableCheck> {
    let check = this.tables.get(relationOid);
    if (!check) {
      check = this.sql<{ fn: string | null; row_security: boolean }[]>`
        select _realtime.prepare_rls_check(${relationOid}::oid::regclass) as fn,
               (select relrowsecurity from pg_catalog.pg_class where oid = ${relationOid}) as row_security`.then(([row]) => ({
        fn: row.fn,
        rowSecurity: row.row_security,
      }));
      check.catch(() => this.tables.delete(relationOid));
      this.tables.set(relationOid, check);
    }
    return check;
  }

  /**
   * Returns, for each viewer, whether it may select the row identified by `key` (primary key
   * values as text). Identical viewers are checked once.
   */
  async visible(relationOid: number, key: Record<string, string | null | undefined>, viewers: Viewer[]): Promise<boolean[]> {
    const { fn } = await this.table(relationOid);
    if (!fn) return viewers.map(() => false);
    const groups = new Map<string, number>();
    const roles: string[] = [];
    const claims: string[] = [];
    const groupOf = viewers.map((viewer) => {
      const id = `${viewer.role}\u0000${viewer.claims}`;
      let index = groups.get(id);
      if (index === undefined) {
        index = roles.length;
        groups.set(id, index);
        roles.push(viewer.role);
        claims.push(viewer.claims);
      }
      return index;
    });
    const [row] = await this.sql.unsafe<{ visible: number[] }[]>(`select ${fn}($1::jsonb, $2::text[], $3::text[]) as visible`, [
      key,
      roles,
      claims,
    ] as never[]);
    const seen = new Set(row.visible);
    return groupOf.map((index) => seen.has(index + 1));
  }
}
