// The REST request pipeline: authenticate, pick the schema (profiles), parse the URL grammar,
// build ONE statement, run it in the request's transaction, and answer as PostgREST does.
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import type { JwtVerifier } from "../keys/verify-jwt.ts";
import { errorResponse, RestError } from "./errors.ts";
import { type MainRow, runTransaction } from "./execute.ts";
import { executionError } from "./execution-errors.ts";
import type { RestSettings } from "./in-database-config.ts";
import { openApiDocument } from "./openapi.ts";
import { callBodyType, formArguments } from "./parse/call-body.ts";
import { canonicalQuery } from "./parse/canonical-query.ts";
import { parseJsonBody } from "./parse/json-body.ts";
import { appliedPreferences, countsExactly, type Preferences, parsePrefer } from "./parse/prefer.ts";
import { type CallBody, type CallPlan, parseCallQuery, planCall } from "./plan/call-plan.ts";
import { closestMatch } from "./plan/fuzzy-set.ts";
import { isMutationMethod, type MutatePlan, planMutation } from "./plan/mutate-plan.ts";
import { chooseProfile } from "./plan/profile.ts";
import { planRead, type ReadPlan, type RequestLine } from "./plan/read-plan.ts";
import { endsInRollback, honourTxPreference } from "./plan/transaction-end.ts";
import { identify, type RequestIdentity, transactionSettings } from "./request-context.ts";
import { answer, contentRange, type MediaChoice, negotiate, singularError } from "./respond.ts";
import { type Relation, relationKey, type SchemaCache } from "./schema-cache.ts";
import { type BuiltStatement, buildDelete, buildInsert, buildPut, buildUpdate } from "./sql/build-mutate.ts";
import { assertPathsUsed, buildRead } from "./sql/build-read.ts";
import { buildRpc } from "./sql/build-rpc.ts";
import { Params, qualified } from "./sql/fragments.ts";
import { type BodyShape, wrapStatement } from "./sql/wrap.ts";
import type { WirePool } from "./wire/pool.ts";

export interface RestRouterDeps {
  pool: WirePool;
  verifier: JwtVerifier;
  /** config.toml's [api] with the in-database `pgrst.*` config applied (current after `cache()`). */
  settings: () => RestSettings;
  /** The current schema cache (waits while a reload is running); undefined = not loaded. */
  cache: () => Promise<SchemaCache | undefined>;
}

interface Prepared {
  identity: RequestIdentity;
  cache: SchemaCache;
  schema: string;
  media: MediaChoice;
  prefs: Preferences;
  line: RequestLine;
  path: string;
  settings: RestSettings;
  headers: Record<string, string>;
}

function header(request: GatewayRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function shapeFor(media: MediaChoice, head: boolean): BodyShape {
  return head ? "none" : media.kind;
}

const BODY_LIMIT = 10 * 1024 * 1024;

export function createRestRouter(deps: RestRouterDeps) {
  const { pool, verifier } = deps;

  async function run(p: Prepared, built: BuiltStatement & { explain?: string | null }, readOnly: boolean, request: GatewayRequest) {
    try {
      return await runTransaction(pool, {
        settings: transactionSettings({
          readOnly,
          identity: p.identity,
          cache: p.cache,
          schema: p.schema,
          extraSearchPath: p.settings.extraSearchPath,
          method: request.method,
          path: p.path,
          headers: request.headers,
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
        rollback: endsInRollback(p.prefs, p.settings.txEnd),
      });
    } catch (error) {
      throw executionError(error, { isAnon: p.identity.isAnon, maxChanged: built.maxChanged });
    }
  }

  function unknownTable(cache: SchemaCache, schema: string, name: string): RestError {
    const similar = closestMatch(
      name,
      [...cache.relations.values()].flatMap((r) => (r.schema === schema ? [r.name] : [])),
    );
    return new RestError(
      404,
      "PGRST205",
      `Could not find the table '${schema}.${name}' in the schema cache`,
      null,
      similar === undefined ? null : `Perhaps you meant the table '${schema}.${similar}'`,
    );
  }

  async function readTable(request: GatewayRequest, p: Prepared, plan: ReadPlan): Promise<GatewayResponse> {
    const { relation, query, count } = plan;
    const { offset, limit } = plan.paging;
    const params = new Params();
    const ctx = { cache: p.cache, params, nodes: query.nodes, maxRows: p.settings.maxRows, counter: 0, usedPaths: new Set<string>() };
    const read = buildRead(
      ctx,
      { from: `${qualified(relation.schema, relation.name)} AS "${relation.name.replace(/"/g, '""')}"`, alias: relation.name, relation },
      query.select,
      { path: [], limit, offset },
    );
    assertPathsUsed(ctx);
    // estimated: exact up to max_rows (the count stops one row past it), else the planner's guess.
    const countSql =
      count === "estimated" && p.settings.maxRows !== null ? `${read.countSql} LIMIT ${p.settings.maxRows + 1}` : read.countSql;
    const sql = wrapStatement({
      ctes: [`pgrst_source AS (${read.sql})`],
      rows: "SELECT * FROM pgrst_source",
      shape: shapeFor(p.media, plan.head),
      stripNulls: p.media.stripNulls,
      countSql: countsExactly(p.prefs) ? countSql : null,
    });
    // The unused CTE carries every bound parameter, so the EXPLAIN takes the main statement's binds.
    const explain =
      count === "planned" || count === "estimated" ? `EXPLAIN (FORMAT JSON) WITH pgrst_source AS (${read.sql}) ${read.countSql}` : null;
    const row = await run(p, { sql, params: params.values, explain }, true, request);
    const exact = row.total === null ? null : Number(row.total);
    const planned = row.planned ?? null;
    let total = exact;
    if (count === "planned") total = planned;
    else if (count === "estimated" && exact !== null && (p.settings.maxRows === null || exact > p.settings.maxRows))
      total = planned === null ? null : Math.max(exact, planned);
    const canonical = canonicalQuery(p.line.search);
    const location = `/${encodeURIComponent(relation.name)}${canonical ? `?${canonical}` : ""}`;
    return readAnswer(p, row, { offset, head: plan.head, total, rpc: false, headers: { "content-location": location } });
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

  async function mutate(request: GatewayRequest, p: Prepared, plan: MutatePlan): Promise<GatewayResponse> {
    const { method, relation, query, singular } = plan;
    const prefs = p.prefs;
    const body = plan.takesBody ? (await request.body(BODY_LIMIT)).toString("utf8") : "";
    const input = {
      cache: p.cache,
      relation,
      query,
      prefs,
      shape: shapeFor(p.media, false),
      stripNulls: p.media.stripNulls,
      singular,
      maxAffected: plan.maxAffected,
      applyRootFilters: plan.applyRootFilters,
    };
    const built =
      method === "POST"
        ? buildInsert(input, body)
        : method === "PATCH"
          ? buildUpdate(input, body)
          : method === "PUT"
            ? buildPut(input, body)
            : buildDelete(input);
    const row = await run(p, built, false, request);
    const rows = Number(row.page_total);
    if (singular && rows !== 1 && method !== "PUT") throw singularError(rows);
    const total = row.total === null ? null : Number(row.total);
    const headers: Record<string, string> = { ...p.headers };
    const applied = appliedPreferences(prefs, {
      mutation: true,
      resolution: plan.upsert,
      missing: method === "POST" || method === "PATCH",
      maxAffected: method === "PATCH" || method === "DELETE",
    });
    if (applied) headers["preference-applied"] = applied;
    const returnPref = prefs.return ?? "minimal";
    let status: number;
    if (method === "PUT") {
      status = returnPref === "representation" ? (Number(row.inserted) > 0 ? 201 : 200) : 204;
    } else if (method === "POST") {
      headers["content-range"] = `*/${total ?? "*"}`;
      status = plan.upsert && prefs.resolution === "merge-duplicates" && row.inserted === "0" ? 200 : 201;
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

  async function rpc(request: GatewayRequest, p: Prepared, name: string): Promise<GatewayResponse> {
    const target = { cache: p.cache, schema: p.schema, name };
    const query = parseCallQuery(p.line, p.settings);
    let body: string | null = null;
    let call: CallBody | undefined;
    if (request.method === "POST") {
      const raw = await request.body(BODY_LIMIT);
      const type = callBodyType(header(request, "content-type"));
      if (type === "octet") body = `\\x${raw.toString("hex")}`;
      else if (type === "form") body = JSON.stringify(formArguments(raw.toString("utf8")));
      else body = raw.toString("utf8");
      call = { type, value: type === "json" ? (parseJsonBody(body) ?? null) : type === "form" ? JSON.parse(body) : null };
    }
    const plan: CallPlan = planCall(p.line, target, query, call, p.prefs, p.media.kind === "object");
    const { offset, limit } = plan.paging;
    const fn = plan.call.fn;
    const built = buildRpc({
      cache: p.cache,
      call: plan.call,
      query,
      body,
      shape: shapeFor(p.media, plan.head),
      stripNulls: p.media.stripNulls,
      // Functions have no planned count: `planned` leaves the total out, `estimated` counts exactly.
      count: countsExactly(p.prefs),
      limit,
      offset,
      maxRows: p.settings.maxRows,
      requireOne: plan.requireOne,
      maxAffected: plan.maxAffected,
    });
    const row = await run(p, built, plan.readOnly, request);
    const total = row.total === null ? null : Number(row.total);
    if (built.isVoid || !fn.returnsSet) {
      const headers: Record<string, string> = { ...p.headers, "content-range": contentRange(0, 1, total) };
      const applied = appliedPreferences(p.prefs, { mutation: false, resolution: false, maxAffected: true });
      if (applied) headers["preference-applied"] = applied;
      if (built.isVoid) return answer({ row, status: 204, media: p.media, headers, empty: true });
      return answer({ row, status: 200, media: p.media, headers, head: plan.head });
    }
    return readAnswer(p, row, { offset, head: plan.head, total, rpc: true });
  }

  return async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    let identity: RequestIdentity | undefined;
    try {
      identity = await identify(request.headers, verifier);
      const cache = await deps.cache();
      if (!cache) throw new RestError(503, "PGRST002", "Could not query the database for the schema cache. Retrying.");
      const settings = deps.settings();
      const path = request.path;
      const method = request.method;
      const { schema, explicit } = chooseProfile(
        method,
        { accept: header(request, "accept-profile"), content: header(request, "content-profile") },
        settings.schemas,
      );
      if (path === "/" || path === "") {
        if (method !== "GET" && method !== "HEAD") throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
        return openApiDocument(cache, schema, settings, method === "HEAD");
      }
      const prefs = honourTxPreference(
        parsePrefer(request.headers.prefer, (zone) => cache.timezones?.has(zone) ?? true),
        settings.txEnd,
      );
      const media = negotiate(header(request, "accept"));
      const headers: Record<string, string> = {};
      if (explicit || settings.schemas.length > 1) headers["content-profile"] = schema;
      const line: RequestLine = { method, search: request.url.search.slice(1), range: header(request, "range") };
      const p: Prepared = { identity, cache, schema, media, prefs, line, path, settings, headers };
      const segments = path.slice(1).split("/");
      if (segments.length === 2 && segments[0] === "rpc") return await rpc(request, p, decodeURIComponent(segments[1]));
      if (segments.length !== 1) throw new RestError(404, "PGRST125", `Invalid path specified in request URL`);
      const name = decodeURIComponent(segments[0]);
      const relation: Relation | undefined = cache.relations.get(relationKey(schema, name));
      if (!relation) throw unknownTable(cache, schema, name);
      if (method === "GET" || method === "HEAD") return await readTable(request, p, planRead(line, relation, prefs, settings));
      if (isMutationMethod(method)) return await mutate(request, p, planMutation(line, relation, prefs, media.kind === "object", settings));
      throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
    } catch (error) {
      if (error instanceof RestError) return errorResponse(error);
      if (error instanceof URIError) return errorResponse(new RestError(400, "PGRST100", "Invalid percent-encoding in the request URL"));
      throw error;
    }
  };
}
