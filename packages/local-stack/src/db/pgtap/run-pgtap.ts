// Runs pgTAP test files and prints TAP, like pg_prove: each file is sent as one script, the text
// rows it returns are the TAP stream, and a file fails on any `not ok`, a plan mismatch or an error.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Sql } from "../connect.ts";

export interface FileResult {
  file: string;
  passed: number;
  failed: number;
  planned?: number;
  error?: string;
  ok: boolean;
}

export function findTestFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    if (!existsSync(path)) throw new Error(`No such test file or folder: ${path}`);
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    } else if (/\.(sql|pg)$/.test(path)) files.push(resolve(path));
  };
  for (const path of paths) visit(path);
  return files;
}

/** Flattens postgres.js results of a multi-statement script into TAP lines. */
function tapLines(results: unknown): string[] {
  const sets = Array.isArray(results) && Array.isArray(results[0]) ? (results as unknown[][]) : [results as unknown[]];
  const lines: string[] = [];
  for (const rows of sets) {
    if (!Array.isArray(rows)) continue;
    for (const row of rows) {
      const values = Object.values(row as Record<string, unknown>);
      if (values.length === 1 && typeof values[0] === "string") lines.push(...values[0].split("\n"));
    }
  }
  return lines;
}

export function summarize(file: string, lines: string[]): FileResult {
  let passed = 0;
  let failed = 0;
  let planned: number | undefined;
  for (const line of lines) {
    const plan = /^1\.\.(\d+)/.exec(line);
    if (plan) planned = Number(plan[1]);
    else if (/^not ok\b/.test(line) && !/# TODO/i.test(line)) failed++;
    else if (/^(not )?ok\b/.test(line)) passed++;
  }
  const planMismatch = planned !== undefined && planned !== passed + failed;
  return { file, passed, failed, planned, ok: failed === 0 && !planMismatch && passed + failed > 0 };
}

export async function runPgTapFile(sql: Sql, file: string, print: (line: string) => void, cwd = process.cwd()): Promise<FileResult> {
  const name = relative(cwd, file);
  print(`# ${name}`);
  let lines: string[];
  try {
    lines = tapLines(await sql.unsafe(readFileSync(file, "utf8")).simple());
  } catch (error) {
    const message = (error as Error).message;
    print(`not ok - ${name}: ${message}`);
    // A failed script may leave its transaction open on this connection.
    await sql.unsafe("rollback").catch(() => {});
    return { file: name, passed: 0, failed: 1, error: message, ok: false };
  }
  for (const line of lines) print(line);
  const result = summarize(name, lines);
  if (result.planned !== undefined && result.planned !== result.passed + result.failed) {
    print(`# ${name}: planned ${result.planned} tests but ran ${result.passed + result.failed}`);
  }
  return result;
}
