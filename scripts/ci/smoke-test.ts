// After a deploy: the deployed project answers on every service the app uses, with the unmodified
// supabase-js and only the public key, as the web app will. Exits non-zero naming what failed.
import { createClient } from "@supabase/supabase-js";
import ws from "ws";

const url = process.env.SUPABASE_URL;
const anonKey = process.env.SUPABASE_ANON_KEY;
if (!url || !anonKey) {
  console.error("smoke test: SUPABASE_URL and SUPABASE_ANON_KEY must be set");
  process.exit(2);
}
const supabase = createClient(url, anonKey, {
  auth: { persistSession: false },
  // Node 20 has no global WebSocket; supabase-js wants one even when realtime is unused.
  realtime: { transport: ws as never },
});

const checks: [string, () => Promise<string | undefined>][] = [
  [
    "auth settings",
    async () => {
      const response = await fetch(`${url}/auth/v1/settings`, { headers: { apikey: anonKey } });
      return response.ok ? undefined : `HTTP ${response.status}`;
    },
  ],
  [
    "migrations deployed (rpc is_username_available)",
    async () => {
      const { data, error } = await supabase.rpc("is_username_available", { username: `smoke_${Date.now()}` });
      return error ? error.message : data === true ? undefined : `unexpected answer ${JSON.stringify(data)}`;
    },
  ],
  [
    "edge functions (hello)",
    async () => {
      const { data, error } = await supabase.functions.invoke("hello", { body: { name: "smoke" } });
      return error ? error.message : data?.message === "Hello smoke!" ? undefined : `unexpected answer ${JSON.stringify(data)}`;
    },
  ],
];

let failed = 0;
for (const [name, check] of checks) {
  const problem = await check().catch((error: Error) => error.message);
  console.log(`${problem ? "FAIL" : "ok  "} ${name}${problem ? `: ${problem}` : ""}`);
  if (problem) failed++;
}
process.exitCode = failed ? 1 : 0;
