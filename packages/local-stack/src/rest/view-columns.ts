// Which base-table column each column of a view shows, read from the view's stored query tree
// (pg_rewrite.ev_action): the top-level target list's `:resno`, `:resorigtbl` and `:resorigcol`,
// which PostgreSQL sets through subqueries and CTEs to the column a value comes from. PostgREST
// infers view relationships from the same fields.

export interface TargetOrigin {
  /** The view column's number (attnum). */
  resno: number;
  /** pg_class oid and attnum of the origin column (0 when the value is computed). */
  table: number;
  column: number;
}

/** Splits node text into `{`, `}`, `(`, `)` and words; a backslash escapes the next character. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = "";
  const flush = () => {
    if (word !== "") out.push(word);
    word = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      word += text[++i] ?? "";
    } else if (ch === "{" || ch === "}" || ch === "(" || ch === ")") {
      flush();
      out.push(ch);
    } else if (/\s/.test(ch)) flush();
    else word += ch;
  }
  flush();
  return out;
}

/** The origins of the top-level query's target list; [] when the text is not a query tree. */
export function viewTargetOrigins(definition: string): TargetOrigin[] {
  const list = tokens(definition);
  // The rule's action list `(` holds the QUERY node `{`: its own fields are at depth 2.
  let depth = 0;
  let i = 0;
  for (; i < list.length; i++) {
    const token = list[i];
    if (token === "{" || token === "(") depth++;
    else if (token === "}" || token === ")") depth--;
    else if (depth === 2 && token === ":targetList") break;
  }
  if (i >= list.length) return [];
  const origins: TargetOrigin[] = [];
  const listDepth = depth + 1;
  let entry: Partial<TargetOrigin> | undefined;
  for (i++; i < list.length; i++) {
    const token = list[i];
    if (token === "{" || token === "(") {
      depth++;
      if (depth === listDepth + 1 && list[i + 1] === "TARGETENTRY") entry = {};
    } else if (token === "}" || token === ")") {
      if (depth === listDepth + 1 && entry) {
        if (entry.resno !== undefined) origins.push({ resno: entry.resno, table: entry.table ?? 0, column: entry.column ?? 0 });
        entry = undefined;
      }
      depth--;
      if (depth < listDepth) break;
    } else if (entry && depth === listDepth + 1) {
      const value = Number(list[i + 1]);
      if (token === ":resno") entry.resno = value;
      else if (token === ":resorigtbl") entry.table = value;
      else if (token === ":resorigcol") entry.column = value;
    }
  }
  return origins;
}
