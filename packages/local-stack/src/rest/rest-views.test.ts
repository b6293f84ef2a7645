// Embedding through views and the embedding errors, compared whole with PostgREST 12: a view
// carries the keys of the columns it shows (renamed, or through another view), and PGRST200 /
// PGRST201 come with PostgREST's details and hints.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
});
after(() => stack?.dispose());

describe("REST relationships through views", () => {
  it("embeds a view in a view through the base tables' foreign key, with a renamed key column", async () => {
    const { data, error } = await db.from("film_list").select("title, director_names(name)").eq("id", 3);
    assert.equal(error, null);
    assert.deepEqual(data, [{ title: "Rashomon", director_names: { name: "Akira Kurosawa" } }]);
  });

  it("embeds a view from a table (one-to-many) and a table from a view over a view", async () => {
    const toMany = await db.from("directors").select("name, film_list(title)").eq("id", 1).order("title", { referencedTable: "film_list" });
    assert.deepEqual(toMany.data, [{ name: "Agnès Varda", film_list: [{ title: "Cléo from 5 to 7" }, { title: "Vagabond" }] }]);
    const nested = await db.from("recent_films").select("title, directors(name)").order("id");
    assert.deepEqual(nested.data, [
      { title: "Cléo from 5 to 7", directors: { name: "Agnès Varda" } },
      { title: "Vagabond", directors: { name: "Agnès Varda" } },
    ]);
  });

  it("answers an unknown embed with PGRST200, its details and the closest related table", async () => {
    const { status, error } = await db.from("films").select("title, director(name)");
    assert.equal(status, 400);
    assert.deepEqual(
      { ...error },
      {
        code: "PGRST200",
        message: "Could not find a relationship between 'films' and 'director' in the schema cache",
        details:
          "Searched for a foreign key relationship between 'films' and 'director' in the schema 'public', but no matches were found.",
        hint: "Perhaps you meant 'directors' instead of 'director'.",
      },
    );
    const hinted = await db.from("films").select("title, directors!nope(name)");
    assert.deepEqual(
      { ...hinted.error },
      {
        code: "PGRST200",
        message: "Could not find a relationship between 'films' and 'directors' in the schema cache",
        details:
          "Searched for a foreign key relationship between 'films' and 'directors' using the hint 'nope' in the schema 'public', but no matches were found.",
        hint: null,
      },
    );
  });

  it("answers an ambiguous embed with PGRST201, each relationship in details and the hints to pick one", async () => {
    const { status, error } = await db.from("letters").select("body, people(name)");
    assert.equal(status, 300);
    assert.deepEqual(
      { ...error },
      {
        code: "PGRST201",
        message: "Could not embed because more than one relationship was found for 'letters' and 'people'",
        details: [
          {
            cardinality: "many-to-one",
            embedding: "letters with people",
            relationship: "letters_sender_fkey using letters(sender_id) and people(id)",
          },
          {
            cardinality: "many-to-one",
            embedding: "letters with people",
            relationship: "letters_receiver_fkey using letters(receiver_id) and people(id)",
          },
        ],
        hint: "Try changing 'people' to one of the following: 'people!letters_sender_fkey', 'people!letters_receiver_fkey'. Find the desired relationship in the 'details' key.",
      },
    );
    const reverse = await db.from("people").select("name, letters(body)");
    assert.deepEqual(reverse.error?.details, [
      {
        cardinality: "one-to-many",
        embedding: "people with letters",
        relationship: "letters_sender_fkey using people(id) and letters(sender_id)",
      },
      {
        cardinality: "one-to-many",
        embedding: "people with letters",
        relationship: "letters_receiver_fkey using people(id) and letters(receiver_id)",
      },
    ]);
  });
});
