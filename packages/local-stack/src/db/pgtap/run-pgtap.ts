// Runs pgTAP test files and prints TAP, like pg_prove: each file is sent as one script on its own
// connection, the rows it returns are printed as psql prints them for pg_prove, and the result is
// judged as TAP::Parser judges it: `not ok`, a missing or wrong plan, numbering, bail out, an error.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Sql } from "../connect.ts";

export interface FileResult {
  file: string;
  passed: number;
  failed: number;
  planned?: number;
  error?: string;
  /** What makes the file fail besides `not ok` lines, in TAP::Parser's words. */
  problems: string[];
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

/**
 * The lines psql prints for a script's results as pg_prove runs it (unaligned, tuples only):
 * every row, of every width, its columns joined by "|", NULL as nothing. `select ok(...), 'why'`
 * thus gives "ok 1 - ...|why", a test line, as under pg_prove.
 */
export function tapLines(results: unknown): string[] {
  const isResultSet = (value: unknown) => Array.isArray(value) && "command" in value;
  const sets = Array.isArray(results) && results.some(isResultSet) ? (results as unknown[][]) : [results as unknown[]];
  const lines: string[] = [];
  for (const rows of sets) {
    if (!Array.isArray(rows)) continue;
    for (const row of rows) {
      if (!Array.isArray(row)) continue;
      const text = row.map((value) => (value === null || value === undefined ? "" : String(value))).join("|");
      lines.push(...text.split("\n"));
    }
  }
  return lines;
}

const PLAN = /^1\.\.(\d+)\s*(?:#\s*(.*))?$/;
const TEST = /^(not )?ok\b\s*(\d+)?(.*)$/;
/** A `# TODO` directive (an unescaped `#`): its failure does not fail the file. */
const TODO = /(?<!\\)#\s*todo\b/i;

/** Reads one file's TAP as TAP::Parser (pg_prove's) does: plan, numbering, TODO/SKIP, bail out. */
export function summarize(file: string, lines: string[]): FileResult {
  let passed = 0;
  let failed = 0;
  let planned: number | undefined;
  let skipAll = false;
  let planAfterTests = false;
  const problems: string[] = [];
  for (const line of lines) {
    const plan = PLAN.exec(line);
    const test = TEST.exec(line);
    if (plan) {
      if (planned !== undefined) problems.push("More than one plan found in TAP output");
      planned = Number(plan[1]);
      skipAll = planned === 0 && /^skip\b/i.test(plan[2] ?? "");
      planAfterTests = passed + failed > 0;
    } else if (test) {
      if (planAfterTests) problems.push(`Plan (1..${planned}) must be at the beginning or end of the TAP output`);
      planAfterTests = false;
      const number = passed + failed + 1;
      if (test[2] !== undefined && Number(test[2]) !== number)
        problems.push(`Tests out of sequence. Found (${test[2]}) but expected (${number})`);
      const todo = TODO.test(test[3]);
      if (test[1] && !todo) failed++;
      else passed++;
    } else if (/^Bail out!/.test(line)) problems.push(line);
  }
  const ran = passed + failed;
  if (planned === undefined) problems.push("No plan found in TAP output");
  else if (planned !== ran) problems.push(`planned ${planned} tests but ran ${ran}`);
  const ok = failed === 0 && problems.length === 0 && (ran > 0 || skipAll);
  return { file, passed, failed, planned, problems: [...new Set(problems)], ok };
}

export async function runPgTapFile(sql: Sql, file: string, print: (line: string) => void, cwd = process.cwd()): Promise<FileResult> {
  const name = relative(cwd, file);
  print(`# ${name}`);
  let lines: string[];
  try {
    lines = tapLines(await sql.unsafe(readFileSync(file, "utf8")).simple().raw());
  } catch (error) {
    const message = (error as Error).message;
    print(`not ok - ${name}: ${message}`);
    return { file: name, passed: 0, failed: 1, error: message, problems: [], ok: false };
  }
  for (const line of lines) print(line);
  const result = summarize(name, lines);
  for (const problem of result.problems) print(`# ${name}: ${problem}`);
  return result;
}
