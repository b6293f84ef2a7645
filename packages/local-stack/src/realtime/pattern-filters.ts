// The pattern operators of postgres_changes filters (like, ilike, match, imatch), decided by
// Postgres's own LIKE and regular-expression engines, as Supabase's filter SQL decides them. Never
// by JavaScript's backtracking RegExp: one subscriber's `^(a|a)*$` would stall the whole process.
// The pool's statement timeout bounds the patterns Postgres itself finds hard (backreferences).
import type { Sql } from "../db/connect.ts";
import type { PatternOperator } from "./filters.ts";

export interface PatternCheck {
  op: PatternOperator;
  pattern: string;
  value: string;
}

/** Postgres refused or gave up on a pattern; `detail` reads as Supabase's `Exception:` part. */
export class PatternError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get detail(): string {
    return `ERROR ${this.code} (${CONDITION_NAMES[this.code] ?? "error"}) ${this.message}`;
  }
}

const CONDITION_NAMES: Record<string, string> = {
  "57014": "query_canceled",
  "2201B": "invalid_regular_expression",
  "22025": "invalid_escape_sequence",
  "54000": "program_limit_exceeded",
  P0001: "raise_exception",
};

const MATCH_SQL = `
  select coalesce(array_agg(f.i::int), '{}') as matched
  from unnest($1::text[], $2::text[], $3::text[]) with ordinality as f(op, pattern, value, i)
  where case f.op
    when 'like' then f.value like f.pattern
    when 'ilike' then f.value ilike f.pattern
    when 'match' then f.value ~ f.pattern
    when 'imatch' then f.value ~* f.pattern
  end`;

function asPatternError(error: unknown): PatternError {
  const { code, message } = error as { code?: string; message?: string };
  // A dropped connection is not the pattern's fault; let the caller's error path handle it.
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) throw error;
  return new PatternError(code, message ?? "unknown error");
}

function trailingBackslashes(text: string): number {
  let count = 0;
  while (count < text.length && text[text.length - 1 - count] === "\\") count++;
  return count;
}

export class PatternMatcher {
  /** `sql` must carry a statement_timeout: it is what bounds a pathological pattern. */
  constructor(private readonly sql: Sql) {}

  /**
   * Compiles a pattern as Supabase's subscription check does (`'' ~ pattern`), so a bad one is
   * refused at join rather than failing for every change. Undefined when Postgres accepts it.
   */
  async validate(op: PatternOperator, pattern: string): Promise<PatternError | undefined> {
    // LIKE only notices a trailing escape when matching reaches it; refuse it up front.
    if ((op === "like" || op === "ilike") && trailingBackslashes(pattern) % 2 === 1)
      return new PatternError("22025", "LIKE pattern must not end with escape character");
    try {
      await this.sql.unsafe(MATCH_SQL, [[op], [pattern], [""]] as never[], { prepare: true });
      return undefined;
    } catch (error) {
      const failure = asPatternError(error);
      if (op === "match" || op === "imatch")
        return new PatternError("P0001", `invalid regular expression for ${op} filter: ${failure.message}`);
      return failure;
    }
  }

  /**
   * For each check, whether its value matches, or the error Postgres raised for that pattern
   * (timeout included). One query for all; only when it fails is each check run alone, so a bad
   * pattern costs its owner, not the others.
   */
  async evaluate(checks: PatternCheck[]): Promise<(boolean | PatternError)[]> {
    if (checks.length === 0) return [];
    try {
      const matched = await this.matched(checks);
      return checks.map((_, index) => matched.has(index + 1));
    } catch (error) {
      asPatternError(error);
      return Promise.all(
        checks.map(async (check) => {
          try {
            return (await this.matched([check])).has(1);
          } catch (error) {
            return asPatternError(error);
          }
        }),
      );
    }
  }

  private async matched(checks: PatternCheck[]): Promise<Set<number>> {
    const [row] = await this.sql.unsafe<{ matched: number[] }[]>(
      MATCH_SQL,
      [checks.map((c) => c.op), checks.map((c) => c.pattern), checks.map((c) => c.value)] as never[],
      { prepare: true },
    );
    return new Set(row.matched);
  }
}
