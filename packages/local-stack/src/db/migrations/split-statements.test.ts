import assert from "node:assert/strict";
import { test } from "node:test";
import { lineOf, splitStatements } from "./split-statements.ts";

test("splits on semicolons and records each statement trimmed and without its `;`, as the CLI does", () => {
  assert.deepEqual(splitStatements("create table a (id int);\n\nselect 1 ;;"), ["create table a (id int)", "select 1"]);
});

test("records what `supabase migration up` (CLI 3.1.0) recorded for the same file, comment-only pieces included", () => {
  const file =
    "create table a (id int);\n\nselect 1 ;\n-- between; comment\n;\ncreate function f() returns int language sql begin atomic select 1; end;\n-- done\n";
  assert.deepEqual(splitStatements(file), [
    "create table a (id int)",
    "select 1",
    "-- between; comment",
    "create function f() returns int language sql begin atomic select 1; end",
    "-- done",
  ]);
  assert.deepEqual(splitStatements("select 2;\n/* only */\n"), ["select 2", "/* only */"]);
});

test("keeps semicolons inside strings, identifiers, comments and dollar quotes", () => {
  const sql = `insert into t values ('a;b', E'c\\';d');
create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;
select "we;ird" from t; -- trailing; comment
/* block; /* nested; */ still */ select 2;`;
  const statements = splitStatements(sql);
  assert.equal(statements.length, 4);
  assert.match(statements[1], /\$body\$$/);
  assert.match(statements[3], /select 2$/);
});

test("keeps BEGIN ATOMIC bodies whole", () => {
  const sql = "create function g() returns int language sql begin atomic select 1; select 2; end;\nselect 3;";
  assert.deepEqual(splitStatements(sql), ["create function g() returns int language sql begin atomic select 1; select 2; end", "select 3"]);
});

test("a file of comments only is recorded as one comment statement, like the CLI's", () => {
  assert.deepEqual(splitStatements("-- nothing here\n/* or here */\n"), ["-- nothing here\n/* or here */"]);
});

test("lineOf maps a 1-based position to its line", () => {
  assert.equal(lineOf("a\nbb\nccc", 1), 1);
  assert.equal(lineOf("a\nbb\nccc", 4), 2);
  assert.equal(lineOf("a\nbb\nccc", 7), 3);
});
