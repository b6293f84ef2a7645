// The fixture project's functions, written into each fixture stack by the tests: one small
// function per behaviour the service must carry through to Deno and back.
export const FIXTURE_FUNCTIONS: Record<string, string> = {
  "functions/echo/index.ts": `
Deno.serve(async (req) => {
  const url = new URL(req.url);
  const route = url.pathname.split("/").slice(2).join("/");
  if (route === "json") return Response.json({ method: req.method, received: await req.json() });
  if (route === "text") return new Response("got: " + (await req.text()), { headers: { "content-type": "text/plain" } });
  if (route === "binary") {
    const bytes = new Uint8Array(await req.arrayBuffer()).reverse();
    return new Response(bytes, { headers: { "content-type": "application/octet-stream" } });
  }
  if (route === "stream") {
    const encoder = new TextEncoder();
    let sent = 0;
    const stream = new ReadableStream({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (sent === 3) return controller.close();
        controller.enqueue(encoder.encode("data: event " + sent++ + "\\n\\n"));
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  }
  if (route === "count") {
    let bytes = 0;
    for await (const chunk of req.body!) bytes += chunk.length;
    return Response.json({ bytes });
  }
  if (route === "status") {
    return Response.json({ created: true }, { status: 201, headers: { "x-custom": "yes", "x-echo": req.headers.get("x-test") ?? "" } });
  }
  return Response.json({ method: req.method, path: url.pathname, q: url.searchParams.get("q"), all: url.searchParams.getAll("tag") });
});
`,
  "functions/open/index.ts": `
export default {
  fetch(req: Request) {
    return Response.json({ ran: true, authorization: req.headers.get("authorization") });
  },
};
`,
  "functions/whoami/index.ts": `
let calls = 0;
Deno.serve((req) => Response.json({ pid: Deno.pid, calls: ++calls, headers: Object.fromEntries(req.headers) }));
`,
  "functions/counter/index.ts": `
let count = 0;
Deno.serve(() => {
  count += 1;
  return Response.json({ count });
});
`,
  "functions/env/index.ts": `
const names = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_DB_URL", "SUPABASE_PUBLISHABLE_KEYS",
  "SUPABASE_SECRET_KEYS", "FROM_DOTENV", "FROM_SECRETS", "BASEKIT_FUNCTION_ENTRY", "HOME", "BASEKIT_TEST_ARTIFACTS"];
Deno.serve(() => Response.json(Object.fromEntries(names.map((name) => [name, Deno.env.get(name) ?? null]))));
`,
  "functions/boom/index.ts": `
let served = 0;
Deno.serve((req) => {
  served += 1;
  if (new URL(req.url).searchParams.has("fail")) throw new Error("boom on purpose");
  return Response.json({ served });
});
`,
  "functions/broken/index.ts": `
throw new Error("fails while loading");
`,
  "functions/shared/index.ts": `
import { greet } from "../_shared/greeting.ts";
Deno.serve(() => new Response(greet("shared"), { headers: { "content-type": "text/plain" } }));
`,
  "functions/_shared/greeting.ts": `
export const greet = (name: string) => "hello from " + name;
`,
  "functions/_shared/index.ts": `
Deno.serve(() => new Response("never served"));
`,
  "functions/.env": "FROM_DOTENV=dotenv-value\nSUPABASE_URL=http://not-this\n",
};

export const fixtureConfig = (policy: "per_worker" | "oneshot") => `project_id = "functions-fixture"

[edge_runtime]
policy = "${policy}"

[edge_runtime.secrets]
FROM_SECRETS = "secret-value"

[functions.open]
verify_jwt = false
`;
