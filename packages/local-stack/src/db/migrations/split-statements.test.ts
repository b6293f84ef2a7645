import assert from "node:assert/strict";
import { test } from "node:test";
import { lineOf, splitStatements } from "./split-statements.ts";

test("splits on semicolons and trims", () => {
  assert.deepEqual(splitStatements("create table a (id int);\n\nselect 1;"), ["create table a (id int);", "select 1;"]);
});

test("keeps semicolons inside strings, identifiers, comments and dollar quotes", () => {
  const sql = `insert into t values ('a;b', E'c\\';d');
create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;
select "we;ird" from t; -- trailing; comment
/* block; /* nested; */ still */ select 2;`;
  const statements = splitStatements(sql);
  assert.equal(statements.length, 4);
  assert.match(statements[1], /\$body\$;$/);
  assert.match(statements[3], /select 2;$/);
});

test("keeps BEGIN ATOMIC bodies whole", () => {
  const sql = "create function g() returns int language sql begin atomic select 1; select 2; end;\nselect 3;";
  assert.deepEqual(splitStatements(sql), [
    "create function g() returns int language sql begin atomic select 1; select 2; end;",
    "select 3;",
  ]);
});

test("drops statements that are only comments", () => {
  assert.deepEqual(splitStatements("-- nothing here\n/* or here */"), []);
});

test("lineOf maps a 1-based position to its line", () => {
  assert.equal(lineOf("a\nbb\nccc", 1), 1);
  assert.equal(lineOf("a\nbb\nccc", 4), 2);
  assert.equal(lineOf("a\nbb\nccc", 7), 3);
});
