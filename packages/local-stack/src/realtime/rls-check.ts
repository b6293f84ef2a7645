// Which subscribers may see a changed row: decided by Postgres under RLS, for all subscribers of a
// change in ONE call. Subscribers with identical role and claims are checked once. The per-table
// check function (created by _realtime.prepare_rls_check) sets role and claims per subscriber and
// selects the row by its primary key.
import type { Sql } from "../db/connect.ts";

/** Chunks below this many distinct viewers are not worth a round trip of their own. */
const MIN_CHUNK = 50;
/** At most this many chunks per change. */
const MAX_CHUNKS = 16;
/** Chunks checked at once, each on its own connection (Postgres uses every core). */
const CONCURRENT_CHUNKS = 3;

/** Checks of a chunk whose row is not yet visible, 1, 2, 4 ... 64 ms apart (127 ms at most): on a
 * busy machine the committing backend can lag the replication stream by more than a few ms. */
const COMMIT_VISIBILITY_ATTEMPTS = 8;

export interface Viewer {
  role: string;
  /** JSON text of the JWT claims, as request.jwt.claims holds them. */
  claims: string;
}

export interface TableCheck {
  /** Quoted function name, or null when the table has no primary key. */
  fn: string | null;
  rowSecurity: boolean;
  /** The primary key's columns, as Supabase's walrus reads them: not the replica identity, which
   * under REPLICA IDENTITY FULL is every column. */
  primaryKey: string[];
}

export class RlsChecker {
  private readonly tables = new Map<number, Promise<TableCheck>>();
  private readonly columnGrants = new Map<string, { at: number; columns: Promise<Set<string>> }>();

  private role?: Promise<string>;

  constructor(private readonly sql: Sql) {}

  /** The role this service connects as (a superuser: RLS does not apply to it). */
  private ownRole(): Promise<string> {
    this.role ??= this.sql<{ role: string }[]>`select current_user as role`.then(([row]) => row.role);
    this.role.catch(() => (this.role = undefined));
    return this.role;
  }

  /** Forget everything learned about the database (it was recreated). */
  forgetAll(): void {
    this.tables.clear();
    this.columnGrants.clear();
    this.role = undefined;
  }

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
      check = this.sql<{ fn: string | null; row_security: boolean; primary_key: string[] }[]>`
        select _realtime.prepare_rls_check(${relationOid}::oid::regclass) as fn,
               (select relrowsecurity from pg_catalog.pg_class where oid = ${relationOid}) as row_security,
               array(select a.attname::text from pg_catalog.pg_index i
                     join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                     where i.indrelid = ${relationOid} and i.indisprimary order by a.attnum) as primary_key`.then(([row]) => ({
        fn: row.fn,
        rowSecurity: row.row_security,
        primaryKey: row.primary_key,
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
    const result = viewers.map(() => false);
    await this.visibleInChunks(relationOid, key, viewers, (indexes) => {
      for (const index of indexes) result[index] = true;
    });
    return result;
  }

  /**
   * Checks viewers in chunks of distinct (role, claims), several chunks at once on separate
   * connections, and hands each chunk's visible viewer indexes to `onVisible` as soon as that
   * chunk is decided: Postgres checks later chunks while the caller already delivers to earlier
   * ones. Resolves when every chunk is decided.
   */
  async visibleInChunks(
    relationOid: number,
    key: Record<string, string | null | undefined>,
    viewers: Viewer[],
    onVisible: (viewerIndexes: number[]) => void,
  ): Promise<void> {
    const { fn } = await this.table(relationOid);
    if (!fn) return;
    // Distinct (role, claims) -> the viewers that share them.
    const groups = new Map<string, number[]>();
    for (let i = 0; i < viewers.length; i++) {
      const id = `${viewers[i].role}\u0000${viewers[i].claims}`;
      const members = groups.get(id);
      if (members) members.push(i);
      else groups.set(id, [i]);
    }
    const distinct = [...groups.values()];
    const chunkSize = Math.max(MIN_CHUNK, Math.ceil(distinct.length / MAX_CHUNKS));
    const chunks: number[][][] = [];
    for (let at = 0; at < distinct.length; at += chunkSize) chunks.push(distinct.slice(at, at + chunkSize));
    const text = `select ${fn}($1::jsonb, $2::text[], $3::text[]) as visible`;
    // Each chunk first checks the row as this connection's own role, which bypasses RLS: the
    // replication stream can report a commit a moment before new snapshots see it, and a check in
    // that moment would find no row and wrongly deny everyone. Such a chunk is retried (bounded);
    // a row that stays invisible (deleted since) is denied, as Supabase's check of the live table
    // would deny it.
    const self = await this.ownRole();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) {
        const roles = [self, ...chunk.map((members) => viewers[members[0]].role)];
        const claims = ["{}", ...chunk.map((members) => viewers[members[0]].claims)];
        let visible: number[] = [];
        for (let attempt = 0; attempt < COMMIT_VISIBILITY_ATTEMPTS; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** (attempt - 1)));
          const [row] = await this.sql.unsafe<{ visible: number[] }[]>(text, [key, roles, claims] as never[], { prepare: true });
          visible = row.visible;
          if (visible[0] === 1) break;
        }
        const indexes: number[] = [];
        // Position 1 is the probe; subscriber groups start at 2.
        for (const position of visible) if (position > 1) indexes.push(...chunk[position - 2]);
        if (indexes.length > 0) onVisible(indexes);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_CHUNKS, chunks.length) }, worker));
  }
}
