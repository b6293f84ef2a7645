// The REST request pipeline: authenticate, pick the schema (profiles), parse the URL grammar,
// build ONE statement, run it in the request's transaction, and answer as PostgREST does.
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import type { JwtVerifier } from "../keys/verify-jwt.ts";
import { errorResponse, fromPgError, type PgErrorLike, RestError } from "./errors.ts";
import { type MainRow, runTransaction } from "./execute.ts";
import { openApiDocument } from "./openapi.ts";
import { canonicalQuery } from "./parse/canonical-query.ts";
import { parseJsonBody } from "./parse/json-body.ts";
import { assertParametersApply, type RequestKind } from "./parse/parameter-scope.ts";
import { appliedPreferences, countsExactly, type Preferences, parsePrefer } from "./parse/prefer.ts";
import { type ApiQuery, parseQuery } from "./parse/query-params.ts";
import { identify, type RequestIdentity, transactionSettings } from "./request-context.ts";
import { answer, contentRange, type MediaChoice, negotiate, singularError } from "./respond.ts";
import { type Relation, relationKey, type SchemaCache } from "./schema-cache.ts";
import { type BuiltStatement, buildDelete, buildInsert, buildPut, buildUpdate } from "./sql/build-mutate.ts";
import { assertPathsUsed, buildRead } from "./sql/build-read.ts";
import { buildRpc, chooseFunction, similarity } from "./sql/build-rpc.ts";
import { Params, qualified } from "./sql/fragments.ts";
import { type BodyShape, rowCheckFailure, wrapStatement } from "./sql/wrap.ts";
import { ConnectionLostError } from "./wire/connection.ts";
import type { WirePool } from "./wire/pool.ts";

export interface RestSettings {
  schemas: string[];
  extraSearchPath: string[];
  maxRows: number | null;
  /** Public URL of the API, for the OpenAPI document. */
  externalUrl: string;
}

export interface RestRouterDeps {
  pool: WirePool;
  verifier: JwtVerifier;
  settings: RestSettings;
  /** The current schema cache (waits while a reload is running); undefined = not loaded. */
  cache: () => Promise<SchemaCache | undefined>;
}

interface Prepared {
  identity: RequestIdentity;
  cache: SchemaCache;
  schema: string;
  media: MediaChoice;
  prefs: Preferences;
  search: string;
  headers: Record<string, string>;
}

function header(request: GatewayRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function chooseSchema(request: GatewayRequest, schemas: string[]): { schema: string; explicit: boolean } {
  const name = request.method === "GET" || request.method === "HEAD" ? "accept-profile" : "content-profile";
  const wanted = header(request, name);
  if (wanted === undefined) return { schema: schemas[0], explicit: false };
  if (!schemas.includes(wanted))
    throw new RestError(
      406,
      "PGRST106",
      `Invalid schema: ${wanted}`,
      null,
      `Only the following schemas are exposed: ${schemas.join(", ")}`,
    );
  return { schema: wanted, explicit: true };
}

function shapeFor(media: MediaChoice, head: boolean): BodyShape {
  if (head) return "none";
  return media.kind;
}

/** Offset/limit from the query and, on GET, a `Range: a-b` header (intersected). */
function paging(request: GatewayRequest, query: ApiQuery): { offset: number; limit: number | null | undefined } {
  const root = query.nodes.get("") ?? { filters: [] };
  let offset = root.offset ?? 0;
  let limit: number | null | undefined = root.limit;
  const range = request.method === "GET" ? header(request, "range") : undefined;
  if (range) {
    const match = /^\s*(?:items=)?(\d+)-(\d*)\s*$/.exec(range);
    if (!match || (match[2] !== "" && Number(match[2]) < Number(match[1])))
      throw new RestError(416, "PGRST103", "Requested range not satisfiable", null);
    const lower = Number(match[1]);
    const upper = match[2] === "" ? null : Number(match[2]);
    const rangeLimit = upper === null ? null : upper - lower + 1;
    offset = Math.max(offset, lower);
    limit = limit === undefined ? rangeLimit : rangeLimit === null ? limit : Math.min(limit, rangeLimit);
  }
  return { offset, limit };
}

const MUTATIONS: Record<string, RequestKind> = { POST: "insert", PATCH: "update", PUT: "put", DELETE: "delete" };

export function createRestRouter(deps: RestRouterDeps) {
  const { pool, verifier, settings } = deps;

  async function run(
    p: Prepared,
    built: BuiltStatement & { explain?: string | null },
    opts: { readOnly: boolean; method: string; path: string; request: GatewayRequest },
  ) {
    try {
      return await runTransaction(pool, {
        settings: transactionSettings({
          readOnly: opts.readOnly,
          identity: p.identity,
          cache: p.cache,
          schema: p.schema,
          extraSearchPath: settings.extraSearchPath,
          method: opts.method,
          path: opts.path,
          headers: opts.request.headers,
          timezone: p.prefs.timezone,
        }),
        preRequest: p.cache.preRequest
          ? p.cache.preRequest
              .split(".")
              .map((part) => `"${part.replace(/"/g, '""')}"`)
              .join(".")
          : null,
        statement: built.sql,
        params: built.params,
        explain: built.explain,
      });
    } catch (error) {
      if (error instanceof RestError) throw error;
      if (
        error &&
        typeof error === "object" &&
        "code" in error &&
        "message" in error &&
        (error as { name?: string }).name === "PostgresError"
      ) {
        const failure = rowCheckFailure(error as PgErrorLike);
        if (failure?.check === "singular") throw singularError(failure.rows);
        if (failure?.check === "put") throw new RestError(400, "PGRST115", "Payload values do not match URL in primary key column(s)");
        if (failure?.check === "limit")
          throw new RestError(
            400,
            "PGRST110",
            "The maximum number of rows allowed to change was surpassed",
            `Results contain ${failure.rows} rows changed but the maximum number allowed is ${built.maxChanged}`,
          );
        if (failure?.check === "max-affected")
          throw new RestError(
            400,
            "PGRST124",
            "Query result exceeds max-affected preference constraint",
            `The query affects ${failure.rows} rows`,
          );
        throw fromPgError(error as PgErrorLike, p.identity.isAnon);
      }
      if (error instanceof ConnectionLostError)
        throw new RestError(503, "PGRST000", "Database connection error. Retrying the connection.", error.message);
      throw error;
    }
  }

  function unknownTable(cache: SchemaCache, schema: string, name: string): RestError {
    const similar = [...cache.relations.values()].find((r) => r.schema === schema && similarity(r.name, name) >= 0.55);
    return new RestError(
      404,
      "PGRST205",
      `Could not find the table '${schema}.${name}' in the schema cache`,
      null,
      similar ? `Perhaps you meant the table '${schema}.${similar.name}'` : null,
    );
  }

  async function readTable(request: GatewayRequest, p: Prepared, relation: Relation, path: string): Promise<GatewayResponse> {
    const head = request.method === "HEAD";
    const query = parseQuery(p.search);
    assertParametersApply(query, "read");
    const { offset, limit } = paging(request, query);
    const params = new Params();
    const ctx = { cache: p.cache, params, nodes: query.nodes, maxRows: settings.maxRows, counter: 0, usedPaths: new Set<string>() };
    const read = buildRead(
      ctx,
      { from: `${qualified(relation.schema, relation.name)} AS "${relation.name.replace(/"/g, '""')}"`, alias: relation.name, relation },
      query.select,
      { path: [], limit, offset },
    );
    assertPathsUsed(ctx);
    const count = p.prefs.count;
    // estimated: exact up to max_rows (the count stops one row past it), else the planner's guess.
    const countSql = count === "estimated" && settings.maxRows !== null ? `${read.countSql} LIMIT ${settings.maxRows + 1}` : read.countSql;
    const sql = wrapStatement({
      ctes: [`pgrst_source AS (${read.sql})`],
      rows: "SELECT * FROM pgrst_source",
      shape: shapeFor(p.media, head),
      stripNulls: p.media.stripNulls,
      countSql: countsExactly(p.prefs) ? countSql : null,
    });
    // The unused CTE carries every bound parameter, so the EXPLAIN takes the main statement's binds.
    const explain =
      count === "planned" || count === "estimated" ? `EXPLAIN (FORMAT JSON) WITH pgrst_source AS (${read.sql}) ${read.countSql}` : null;
    const row = await run(p, { sql, params: params.values, explain }, { readOnly: true, method: request.method, path, request });
    const exact = row.total === null ? null : Number(row.total);
    const planned = row.planned ?? null;
    let total = exact;
    if (count === "planned") total = planned;
    else if (count === "estimated" && exact !== null && (settings.maxRows === null || exact > settings.maxRows))
      total = planned === null ? null : Math.max(exact, planned);
    const canonical = canonicalQuery(p.search);
    const location = `/${encodeURIComponent(relation.name)}${canonical ? `?${canonical}` : ""}`;
    return readAnswer(p, row, { offset, head, total, rpc: false, headers: { "content-location": location } });
  }

  function readAnswer(
    p: Prepared,
    row: MainRow,
    opts: { offset: number; head: boolean; total: number | null; rpc: boolean; headers?: Record<string, string> },
  ): GatewayResponse {
    const { offset, total } = opts;
    const rows = Number(row.page_total);
    if (p.media.kind === "object" && rows !== 1) throw singularError(rows);
    if (total !== null && offset > total)
      throw new RestError(
        416,
        "PGRST103",
        "Requested range not satisfiable",
        `An offset of ${offset} was requested, but there are only ${total} rows.`,
      );
    const status = total !== null && rows < total ? 206 : 200;
    const headers: Record<string, string> = { ...p.headers, ...opts.headers, "content-range": contentRange(offset, rows, total) };
    const applied = appliedPreferences(p.prefs, { mutation: false, resolution: false, maxAffected: opts.rpc });
    if (applied) headers["preference-applied"] = applied;
    return answer({ row, status, media: p.media, headers, head: opts.head });
  }

  async function mutate(request: GatewayRequest, p: Prepared, relation: Relation, path: string): Promise<GatewayResponse> {
    const query = parseQuery(p.search);
    assertParametersApply(query, MUTATIONS[request.method]);
    const prefs = p.prefs;
    const body = request.method === "DELETE" ? "" : (await request.body(10 * 1024 * 1024)).toString("utf8");
    const method = request.method;
    const singular = p.media.kind === "object";
    const limited = method === "PATCH" || method === "DELETE";
    const input = {
      cache: p.cache,
      relation,
      query,
      prefs,
      shape: shapeFor(p.media, false),
      stripNulls: p.media.stripNulls,
      singular,
      maxAffected: limited && prefs.handling === "strict" ? prefs.maxAffected : undefined,
      applyRootFilters: method === "POST",
    };
    const built =
      method === "POST"
        ? buildInsert(input, body)
        : method === "PATCH"
          ? buildUpdate(input, body)
          : method === "PUT"
            ? buildPut(input, body)
            : buildDelete(input);
    const row = await run(p, built, { readOnly: false, method, path, request });
    const rows = Number(row.page_total);
    if (singular && rows !== 1 && method !== "PUT") throw singularError(rows);
    const total = row.total === null ? null : Number(row.total);
    const headers: Record<string, string> = { ...p.headers };
    const upsert =
      method === "POST" && prefs.resolution !== undefined && (query.onConflict !== undefined || relation.primaryKey.length > 0);
    const applied = appliedPreferences(prefs, {
      mutation: true,
      resolution: upsert,
      missing: method === "POST" || method === "PATCH",
      maxAffected: limited,
    });
    if (applied) headers["preference-applied"] = applied;
    const returnPref = prefs.return ?? "minimal";
    let status: number;
    if (method === "PUT") {
      status = returnPref === "representation" ? (Number(row.inserted) > 0 ? 201 : 200) : 204;
    } else if (method === "POST") {
      headers["content-range"] = `*/${total ?? "*"}`;
      status = upsert && prefs.resolution === "merge-duplicates" && row.inserted === "0" ? 200 : 201;
      if (returnPref === "headers-only" && rows === 1 && relation.primaryKey.length) {
        const created = JSON.parse(row.body ?? "[]")[0] as Record<string, unknown>;
        const filters = relation.primaryKey.map((k) => `${encodeURIComponent(k)}=eq.${encodeURIComponent(String(created[k]))}`);
        headers.location = `/${encodeURIComponent(relation.name)}?${filters.join("&")}`;
      }
    } else {
      headers["content-range"] = method === "PATCH" ? contentRange(0, rows, total) : `*/${total ?? "*"}`;
      status = returnPref === "representation" ? 200 : 204;
    }
    return answer({ row, status, media: p.media, headers, empty: returnPref !== "representation" });
  }

  async function rpc(request: GatewayRequest, p: Prepared, name: string, path: string): Promise<GatewayResponse> {
    const isPost = request.method === "POST";
    if (!isPost && request.method !== "GET" && request.method !== "HEAD")
      throw new RestError(405, "PGRST101", "Only GET, HEAD or POST are allowed for this resource");
    const overloads = p.cache.functions.get(relationKey(p.schema, name)) ?? [];
    const argNames = new Set(overloads.flatMap((fn) => fn.args.map((a) => a.name)));
    const query = parseQuery(p.search, isPost ? undefined : (key) => argNames.has(key));
    assertParametersApply(query, isPost ? "rpc-call" : "rpc-read");
    let body: string | null = null;
    let given: string[];
    if (isPost) {
      body = (await request.body(10 * 1024 * 1024)).toString("utf8");
      const parsed = parseJsonBody(body);
      given = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : [];
      if (query.columns) given = given.filter((g) => query.columns?.includes(g));
    } else given = [...query.args.keys()];
    const call = chooseFunction(p.cache, p.schema, name, given, isPost);
    const { offset, limit } = paging(request, query);
    const head = request.method === "HEAD";
    const readOnly = !isPost || call.fn.volatility !== "v";
    const singular = p.media.kind === "object";
    const maxAffected = p.prefs.handling === "strict" ? p.prefs.maxAffected : undefined;
    if (maxAffected !== undefined && !call.fn.returnsSet)
      throw new RestError(400, "PGRST128", "Function must return SETOF or TABLE when max-affected preference is used with handling=strict");
    const built = buildRpc({
      cache: p.cache,
      call,
      query,
      body,
      shape: shapeFor(p.media, head),
      stripNulls: p.media.stripNulls,
      // Functions have no planned count: `planned` leaves the total out, `estimated` counts exactly.
      count: countsExactly(p.prefs),
      limit,
      offset,
      maxRows: settings.maxRows,
      requireOne: singular && !readOnly,
      maxAffected,
    });
    const row = await run(p, built, { readOnly, method: request.method, path, request });
    const total = row.total === null ? null : Number(row.total);
    if (built.isVoid || !call.fn.returnsSet) {
      const headers: Record<string, string> = { ...p.headers, "content-range": contentRange(0, 1, total) };
      const applied = appliedPreferences(p.prefs, { mutation: false, resolution: false, maxAffected: true });
      if (applied) headers["preference-applied"] = applied;
      if (built.isVoid) return answer({ row, status: 204, media: p.media, headers, empty: true });
      return answer({ row, status: 200, media: p.media, headers, head });
    }
    return readAnswer(p, row, { offset, head, total, rpc: true });
  }

  return async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    let identity: RequestIdentity | undefined;
    try {
      identity = await identify(request.headers, verifier);
      const cache = await deps.cache();
      if (!cache) throw new RestError(503, "PGRST002", "Could not query the database for the schema cache. Retrying.");
      const path = request.path;
      const { schema, explicit } = chooseSchema(request, settings.schemas);
      const search = request.url.search.slice(1);
      if (path === "/" || path === "") {
        if (request.method !== "GET" && request.method !== "HEAD")
          throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${request.method}`);
        return openApiDocument(cache, schema, settings, request.method === "HEAD");
      }
      const prefs = parsePrefer(request.headers.prefer, (zone) => cache.timezones?.has(zone) ?? true);
      const media = negotiate(header(request, "accept"));
      const headers: Record<string, string> = {};
      if (explicit || settings.schemas.length > 1) headers["content-profile"] = schema;
      const p: Prepared = { identity, cache, schema, media, prefs, search, headers };
      const segments = path.slice(1).split("/");
      if (segments.length === 2 && segments[0] === "rpc") return await rpc(request, p, decodeURIComponent(segments[1]), path);
      if (segments.length !== 1) throw new RestError(404, "PGRST125", `Invalid path specified in request URL`);
      const name = decodeURIComponent(segments[0]);
      const relation = cache.relations.get(relationKey(schema, name));
      if (!relation) throw unknownTable(cache, schema, name);
      if (request.method === "GET" || request.method === "HEAD") return await readTable(request, p, relation, path);
      if (request.method === "POST" || request.method === "PATCH" || request.method === "PUT" || request.method === "DELETE")
        return await mutate(request, p, relation, path);
      throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${request.method}`);
    } catch (error) {
      if (error instanceof RestError) return errorResponse(error);
      if (error instanceof URIError) return errorResponse(new RestError(400, "PGRST100", "Invalid percent-encoding in the request URL"));
      throw error;
    }
  };
}
