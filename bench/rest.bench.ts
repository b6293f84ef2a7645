// REST (/rest/v1) throughput against baselines measured in the same run: the same SQL sent
// straight to Postgres with postgres.js, and, for GET-by-id, a bare node:http + postgres.js
// server running that SQL. Loopback only; concurrent keep-alive clients; bounded iterations.
// Each figure alternates baseline and REST rounds and reports the median ratio with its spread,
// so load from other processes on the machine shifts both sides alike.
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { startRestFixture } from "../packages/local-stack/src/rest/test-fixture/start-rest-fixture.ts";

const CONCURRENCY = 24;
const REQUESTS = 3000;
const WARMUP = 300;
const ROUNDS = 3;

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function httpCall(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
    req.end(body);
  });
}

/** Runs `task(i)` REQUESTS times with CONCURRENCY in flight; returns operations per second. */
async function throughput(task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async (count: number) => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(WARMUP)));
  next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(REQUESTS)));
  return REQUESTS / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Alternating rounds of baseline and REST: median throughputs and the median ratio with its range. */
async function compare(base: (i: number) => Promise<unknown>, viaRest: (i: number) => Promise<unknown>) {
  const bases: number[] = [];
  const rests: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bases.push(await throughput(base));
    rests.push(await throughput(viaRest));
    ratios.push(rests[round] / bases[round]);
  }
  const text = `${median(ratios).toFixed(2)}x [${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}]`;
  return { base: median(bases), rest: median(rests), text };
}

export async function run(): Promise<void> {
  const stack = await startRestFixture();
  const admin = postgres(stack.db.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`
    insert into public.directors select g, 'director ' || g from generate_series(100, 199) g;
    insert into public.films (id, title, director_id, year)
      select g, 'film ' || g, 100 + g % 100, 1900 + g % 120 from generate_series(1000, 20999) g;
    analyze;`);
  await admin.end();
  // The baseline connects as postgres (no role switch, no claims): the cost REST adds is measured.
  const direct = postgres(stack.db.url("postgres"), { max: 16, prepare: true, onnotice: () => {} });
  const rest = new URL(`${stack.apiUrl}/rest/v1/`);
  const headers = { apikey: stack.keys.anonKey, authorization: `Bearer ${stack.keys.serviceRoleKey}` };
  const jsonHeaders = { ...headers, "content-type": "application/json" };
  const byIdSql = "select coalesce(json_agg(t), '[]')::text as body from (select * from public.films where id = $1) t";
  const id = (i: number) => String(1000 + (i % 20000));

  const bare = createServer(async (req, res) => {
    const filmId = new URL(req.url ?? "/", "http://x").searchParams.get("id") ?? "0";
    const [row] = await direct.unsafe(byIdSql, [filmId]);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(row.body);
  });
  await new Promise<void>((resolve) => bare.listen(0, "127.0.0.1", resolve));
  const barePort = (bare.address() as AddressInfo).port;

  const cases: { name: string; rest: (i: number) => Promise<unknown>; sql: (i: number) => Promise<unknown> }[] = [
    {
      name: "single-row read (GET by id)",
      rest: (i) => httpCall(new URL(`films?id=eq.${id(i)}`, rest), "GET", headers),
      sql: (i) => direct.unsafe(byIdSql, [id(i)]),
    },
    {
      name: "50-row filtered read + embed",
      rest: (i) => httpCall(new URL(`films?select=id,title,directors(name)&year=eq.${1900 + (i % 120)}&limit=50`, rest), "GET", headers),
      sql: (i) =>
        direct.unsafe(
          "select coalesce(json_agg(t), '[]')::text from (select f.id, f.title, (select row_to_json(d) from (select name from public.directors d where d.id = f.director_id) d) as directors from public.films f where f.year = $1 limit 50) t",
          [String(1900 + (i % 120))],
        ),
    },
    {
      name: "insert (return=minimal)",
      rest: (i) => httpCall(new URL("items", rest), "POST", jsonHeaders, JSON.stringify({ name: `bench-rest-${i}-${Math.random()}` })),
      sql: (i) => direct.unsafe("insert into public.items (name) values ($1)", [`bench-sql-${i}-${Math.random()}`]),
    },
    {
      name: "rpc (scalar function)",
      rest: (i) => httpCall(new URL("rpc/add_them", rest), "POST", jsonHeaders, JSON.stringify({ a: i, b: 1 })),
      sql: (i) => direct.unsafe("select public.add_them($1, $2)", [String(i), "1"]),
    },
  ];

  console.log(
    `${CONCURRENCY} requests in flight, ${REQUESTS} requests per round (after ${WARMUP} warm-up), ${ROUNDS} alternating rounds; median ratio [min-max]`,
  );
  for (const c of cases) {
    const m = await compare(c.sql, c.rest);
    console.log(`${c.name.padEnd(32)} REST ${m.rest.toFixed(0).padStart(6)}/s  = ${m.text} postgres.js direct (${m.base.toFixed(0)}/s)`);
  }
  const bareUrl = (i: number) => new URL(`http://127.0.0.1:${barePort}/films?id=${id(i)}`);
  const m = await compare(
    (i) => httpCall(bareUrl(i), "GET", {}),
    (i) => httpCall(new URL(`films?id=eq.${id(i)}`, rest), "GET", headers),
  );
  console.log(
    `${"GET by id vs bare http server".padEnd(32)} REST ${m.rest.toFixed(0).padStart(6)}/s  = ${m.text} node:http + postgres.js (${m.base.toFixed(0)}/s; target >= 0.8x)`,
  );

  agent.destroy();
  await new Promise((resolve) => bare.close(resolve));
  await direct.end();
  await stack.dispose();
}
