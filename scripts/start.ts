// `npm start`: the local stack and the web app's dev server together. Starts `basekit start`,
// waits for it, then runs Vite on port 5173 pointed at the stack; Ctrl-C stops both.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { loadConfig } from "../packages/local-stack/src/config/load-config.ts";
import { notificationProcessorEnv } from "./notification-processor-env.ts";

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages", "local-stack", "bin", "basekit.js");
const webPort = Number(process.env.WEB_PORT ?? 5173);

function status(): Record<string, string> | undefined {
  const result = spawnSync(process.execPath, [bin, "status", "-o", "json", "--workdir", root], { encoding: "utf8" });
  return result.status === 0 ? (JSON.parse(result.stdout) as Record<string, string>) : undefined;
}

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGINT");
  Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null))).then(() =>
    process.exit(code),
  );
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

// Notifications flow without manual steps: cron and the enqueue kick reach the local processor.
const stack = spawn(process.execPath, [bin, "start", "--workdir", root, ...process.argv.slice(2)], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, ...notificationProcessorEnv(loadConfig(root)) },
});
children.push(stack);
stack.once("exit", (code) => {
  if (!stopping) console.error(`basekit stopped (exit ${code}); stopping the web app too.`);
  stopAll(code ?? 1);
});

let values: Record<string, string> | undefined;
for (let waited = 0; !values && !stopping && waited < 180_000; waited += 250) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  values = status();
}
if (!values) {
  if (!stopping) console.error("basekit did not come up; see the messages above.");
  stopAll(1);
} else {
  const web = spawn(process.execPath, [join(root, "node_modules", "vite", "bin", "vite.js"), "--port", String(webPort), "--strictPort"], {
    cwd: join(root, "web"),
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, VITE_SUPABASE_URL: values.API_URL, VITE_SUPABASE_ANON_KEY: values.ANON_KEY },
  });
  children.push(web);
  web.once("exit", (code) => {
    if (!stopping) console.error(`The web dev server stopped (exit ${code}); stopping basekit too.`);
    stopAll(code ?? 1);
  });
  console.log(
    `\n  Web app:   http://127.0.0.1:${webPort}\n  API:       ${values.API_URL}\n  Mail:      ${values.MAILPIT_URL}\n\nPress Ctrl-C to stop both.\n`,
  );
}
