import assert from "node:assert/strict";
import { test } from "node:test";
import { viewTargetOrigins } from "./view-columns.ts";

// Shaped as PostgreSQL 17 prints a view's rule (abridged): a subquery in the range table and a
// scalar subquery in the target list carry target lists of their own, which are not the view's.
const DEFINITION = `({QUERY :commandType 1 :querySource 0 :canSetTag true :utilityStmt <> :resultRelation 0
 :rtable ({RANGETBLENTRY :alias <> :eref {ALIAS :aliasname sub :colnames ("id" "body")} :rtekind 1
   :subquery {QUERY :commandType 1 :targetList ({TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 1
   :resname id :ressortgroupref 0 :resorigtbl 900 :resorigcol 1 :resjunk false})}})
 :jointree {FROMEXPR :fromlist ({RANGETBLREF :rtindex 1}) :quals <>}
 :targetList ({TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 1 :resname id :ressortgroupref 0
   :resorigtbl 16400 :resorigcol 1 :resjunk false} {TARGETENTRY :expr {SUBLINK :subselect {QUERY
   :targetList ({TARGETENTRY :expr {CONST} :resno 1 :resname x :resorigtbl 777 :resorigcol 9 :resjunk false})}}
   :resno 2 :resname odd\\ name :ressortgroupref 0 :resorigtbl 0 :resorigcol 0 :resjunk false}
   {TARGETENTRY :expr {VAR :varno 1 :varattno 3} :resno 3 :resname sender_id :ressortgroupref 0
   :resorigtbl 16400 :resorigcol 3 :resjunk false})
 :override 0 :onConflict <>})`;

test("view columns: the top-level target list's origins, not those of subqueries", () => {
  assert.deepEqual(viewTargetOrigins(DEFINITION), [
    { resno: 1, table: 16400, column: 1 },
    { resno: 2, table: 0, column: 0 },
    { resno: 3, table: 16400, column: 3 },
  ]);
});

test("view columns: text that is not a query tree has no origins", () => {
  assert.deepEqual(viewTargetOrigins(""), []);
  assert.deepEqual(viewTargetOrigins("({QUERY :commandType 1})"), []);
});
