// Splits a SQL file into statements the way the Supabase CLI records them in
// supabase_migrations.schema_migrations.statements: on semicolons outside quotes, dollar-quoted
// bodies, comments and BEGIN ATOMIC ... END blocks; each without its terminating `;` and trimmed,
// comments kept (a comment-only piece is recorded too, as the CLI's parser.SplitAndTrim does).

export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let atomicDepth = 0;
  const n = sql.length;
  const wordAt = (pos: number, word: string) =>
    sql.slice(pos, pos + word.length).toLowerCase() === word &&
    !/\w/.test(sql[pos - 1] ?? " ") &&
    !/\w/.test(sql[pos + word.length] ?? " ");

  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
    } else if (c === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === "/" && sql[i + 1] === "*") depth++, (i += 2);
        else if (sql[i] === "*" && sql[i + 1] === "/") depth--, (i += 2);
        else i++;
      }
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && /[eE]/.test(sql[i - 1] ?? "") && !/\w/.test(sql[i - 2] ?? " ");
      i++;
      while (i < n) {
        if (escapes && sql[i] === "\\") i += 2;
        else if (sql[i] === c && sql[i + 1] === c) i += 2;
        else if (sql[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === "$" && !/\w/.test(sql[i - 1] ?? " ")) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      } else i++;
    } else if (wordAt(i, "begin") && /^begin\s+atomic\b/i.test(sql.slice(i))) {
      atomicDepth++;
      i += 5;
    } else if (atomicDepth > 0 && wordAt(i, "end")) {
      atomicDepth--;
      i += 3;
    } else if (c === ";" && atomicDepth === 0) {
      const statement = sql.slice(start, i).trim();
      if (statement !== "") statements.push(statement);
      start = i + 1;
      i++;
    } else i++;
  }
  const rest = sql.slice(start).trim();
  if (rest !== "") statements.push(rest);
  return statements;
}

/** 1-based line of a character offset (Postgres reports 1-based `position` in the query text). */
export function lineOf(text: string, position: number): number {
  return text.slice(0, Math.max(0, position - 1)).split("\n").length;
}
