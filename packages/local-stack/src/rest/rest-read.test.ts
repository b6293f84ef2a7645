// End-to-end reads through the unmodified supabase-js against the REST fixture schema.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
});
after(() => stack?.dispose());

describe("REST reads", () => {
  it("selects columns with renames, casts and JSON paths", async () => {
    const { data, error } = await db
      .from("films")
      .select("id,name:title,year::text,lang:meta->>lang,awards:meta->awards->count")
      .eq("id", 1);
    assert.equal(error, null);
    assert.deepEqual(data, [{ id: 1, name: "Cléo from 5 to 7", year: "1962", lang: "fr", awards: 2 }]);
  });

  it("applies every comparison operator", async () => {
    const ids = async (q: PromiseLike<{ data: { id: number }[] | null }>) => (await q).data?.map((r) => r.id);
    const films = () => db.from("films").select("id").order("id");
    assert.deepEqual(await ids(films().gt("year", 1960)), [1, 2]);
    assert.deepEqual(await ids(films().gte("year", 1962).lte("year", 1962)), [1]);
    assert.deepEqual(await ids(films().lt("year", 1951)), [3]);
    assert.deepEqual(await ids(films().neq("director_id", 1)), [3, 4]);
    assert.deepEqual(await ids(films().like("title", "%o%")), [1, 2, 3]);
    assert.deepEqual(await ids(films().ilike("title", "IK*")), [4]);
    assert.deepEqual(await ids(films().match({ director_id: 2, year: 1952 })), [4]);
    assert.deepEqual(await ids(films().filter("title", "match", "^R")), [3]);
    assert.deepEqual(await ids(films().filter("title", "imatch", "^r")), [3]);
    assert.deepEqual(await ids(films().is("director_id", null)), [5]);
    assert.deepEqual(await ids(films().not("director_id", "is", null).eq("released", true).in("id", [1, 3, 9])), [1, 3]);
    assert.deepEqual(await ids(films().in("title", ["Vagabond", "Ikiru", "x,y"])), [2, 4]);
    assert.deepEqual(await ids(films().contains("tags", ["drama", "paris"])), [1]);
    assert.deepEqual(await ids(films().containedBy("tags", ["drama", "mystery"])), [2, 3, 4, 5]);
    assert.deepEqual(await ids(films().overlaps("tags", ["mystery", "paris"])), [1, 3]);
    assert.deepEqual(await ids(films().contains("meta", { lang: "ja" })), [3, 4]);
    assert.deepEqual(await ids(films().eq("meta->>lang", "fr")), [1, 2]);
    assert.deepEqual(await ids(films().likeAnyOf("title", ["R%", "I%"])), [3, 4]);
    assert.deepEqual(await ids(films().is("released", false)), [5]);
  });

  it("finds text holding backslashes, quotes and commas with in(), that text and no other", async () => {
    // Each name has a decoy that the name turns into if an escape is lost on the way to Postgres.
    const names = ["bs-a\\b", "bs-ab", "bs-end\\", "bs-end", "bs-\\\\two", "bs-\\two", 'bs-q"t', "bs-qt", "bs-c,d", "bs-c"];
    const svc = client(stack, stack.keys.serviceRoleKey);
    assert.equal((await svc.from("items").insert(names.map((name) => ({ name })))).error, null);
    const found = async (values: string[]) => {
      const { data, error } = await db.from("items").select("name").in("name", values);
      assert.equal(error, null, values.join(" "));
      return data?.map((row) => row.name).sort();
    };
    for (const name of names) assert.deepEqual(await found([name]), [name], name);
    const tricky = ["bs-a\\b", "bs-end\\", "bs-\\\\two", 'bs-q"t', "bs-c,d"];
    assert.deepEqual(await found(tricky), [...tricky].sort());
    const raw = await rest(stack, `/items?select=name&name=in.(${encodeURIComponent('"bs-a\\\\b","bs-c,d"')})`);
    assert.deepEqual((await raw.json()).map((row: { name: string }) => row.name).sort(), ["bs-a\\b", "bs-c,d"]);
  });

  it("applies range operators", async () => {
    const svc = client(stack, stack.keys.serviceRoleKey);
    await svc.from("items").insert([
      { name: "ranged-a", period: "[1,5)" },
      { name: "ranged-b", period: "[10,20)" },
    ]);
    const names = async (op: string, value: string) =>
      (await db.from("items").select("name").filter("period", op, value).like("name", "ranged-*").order("name")).data?.map((r) => r.name);
    assert.deepEqual(await names("sl", "[6,8)"), ["ranged-a"]);
    assert.deepEqual(await names("sr", "[6,8)"), ["ranged-b"]);
    assert.deepEqual(await names("nxr", "[6,8)"), ["ranged-a"]);
    assert.deepEqual(await names("nxl", "[6,8)"), ["ranged-b"]);
    assert.deepEqual(await names("adj", "[5,10)"), ["ranged-a", "ranged-b"]);
    assert.deepEqual(await names("ov", "[4,11)"), ["ranged-a", "ranged-b"]);
  });

  it("searches text with fts, plfts, phfts and wfts", async () => {
    const ids = async (type: "plain" | "phrase" | "websearch" | undefined, q: string) =>
      (await db.from("films").select("id").textSearch("summary", q, { type, config: "english" }).order("id")).data?.map((r) => r.id);
    assert.deepEqual(await ids(undefined, "paris & singer"), [1]);
    assert.deepEqual(await ids("plain", "winter drifter"), [2]);
    assert.deepEqual(await ids("phrase", "different stories"), [3]);
    assert.deepEqual(await ids("websearch", "meaning or witnesses"), [3, 4]);
  });

  it("combines or/and/not trees", async () => {
    const { data } = await db.from("films").select("id").or("id.eq.5,and(year.gt.1980,rating.lt.8)").order("id");
    assert.deepEqual(data, [{ id: 2 }, { id: 5 }]);
    const res = await rest(stack, "/films?select=id&not.or=(director_id.eq.1,director_id.is.null)&order=id");
    assert.deepEqual(await res.json(), [{ id: 3 }, { id: 4 }]);
  });

  it("orders with nulls first/last and pages with limit/range", async () => {
    const { data } = await db.from("films").select("id").order("year", { ascending: false, nullsFirst: true }).range(0, 2);
    assert.deepEqual(data, [{ id: 5 }, { id: 2 }, { id: 1 }]);
    const last = await db.from("films").select("id").order("year", { ascending: true, nullsFirst: false }).limit(5);
    assert.deepEqual(last.data?.at(-1), { id: 5 });
    const header = await rest(stack, "/films?select=id&order=id", { headers: { Range: "1-2" } });
    assert.deepEqual(await header.json(), [{ id: 2 }, { id: 3 }]);
    assert.equal(header.headers.get("content-range"), "1-2/*");
  });

  it("counts with Prefer: count and answers 206 for a partial page", async () => {
    const { count, data, status } = await db.from("films").select("id", { count: "exact" }).order("id").range(0, 1);
    assert.deepEqual([count, data?.length, status], [5, 2, 206]);
    const head = await db.from("films").select("*", { count: "planned", head: true });
    assert.deepEqual([head.count, head.data, head.status], [5, null, 200]);
    const res = await rest(stack, "/films?select=id&offset=10", { headers: { Prefer: "count=exact" } });
    assert.equal(res.status, 416);
    assert.equal((await res.json()).code, "PGRST103");
  });

  it("embeds many-to-one, one-to-many, many-to-many, one-to-one and self references", async () => {
    const { data, error } = await db
      .from("films")
      .select("title, directors(name), actors(name), roles(character, actors(name)), film_details(budget)")
      .eq("id", 3)
      .order("name", { referencedTable: "actors" })
      .single();
    assert.equal(error, null);
    assert.deepEqual(data, {
      title: "Rashomon",
      directors: { name: "Akira Kurosawa" },
      actors: [{ name: "Takashi Shimura" }, { name: "Toshiro Mifune" }],
      roles: [
        { character: "Tajomaru", actors: { name: "Toshiro Mifune" } },
        { character: "Woodcutter", actors: { name: "Takashi Shimura" } },
      ],
      film_details: { budget: 250000 },
    });
    const boss = await db.from("employees").select("name, manager:manager_id(name), reports:employees(name)").eq("id", 2).single();
    assert.deepEqual(boss.data, { name: "Grace", manager: { name: "Ada" }, reports: [{ name: "Ken" }] });
  });

  it("filters, orders and limits embedded resources, and !inner drops parents", async () => {
    const left = await db.from("directors").select("name, films(title)").eq("films.year", 1950).order("id");
    assert.deepEqual(left.data, [
      { name: "Agnès Varda", films: [] },
      { name: "Akira Kurosawa", films: [{ title: "Rashomon" }] },
      { name: "Nobody Yet", films: [] },
    ]);
    const inner = await db.from("directors").select("name, films!inner(title)").eq("films.year", 1950);
    assert.deepEqual(inner.data, [{ name: "Akira Kurosawa", films: [{ title: "Rashomon" }] }]);
    const limited = await db
      .from("directors")
      .select("name, films(title)")
      .eq("id", 1)
      .order("year", { referencedTable: "films", ascending: false })
      .limit(1, { referencedTable: "films" });
    assert.deepEqual(limited.data, [{ name: "Agnès Varda", films: [{ title: "Vagabond" }] }]);
    const orEmbed = await db
      .from("directors")
      .select("name, films(title)")
      .eq("id", 2)
      .or("year.eq.1950,year.eq.1900", { referencedTable: "films" });
    assert.deepEqual(orEmbed.data, [{ name: "Akira Kurosawa", films: [{ title: "Rashomon" }] }]);
    const none = await db.from("directors").select("name, films()").is("films", null);
    assert.deepEqual(none.data, [{ name: "Nobody Yet" }]);
    const byRelated = await db
      .from("films")
      .select("id, directors(name)")
      .not("director_id", "is", null)
      .order("directors(name)", { ascending: false })
      .order("id");
    assert.deepEqual(
      byRelated.data?.map((r) => r.id),
      [3, 4, 1, 2],
    );
  });

  it("disambiguates with hints and spreads to-one columns", async () => {
    const ambiguous = await db.from("letters").select("body, people(name)");
    assert.equal(ambiguous.status, 300);
    assert.equal(ambiguous.error?.code, "PGRST201");
    const hinted = await db
      .from("letters")
      .select("body, sender:people!letters_sender_fkey(name), receiver:people!receiver_id(name)")
      .eq("id", 1)
      .single();
    assert.deepEqual(hinted.data, { body: "hello bob", sender: { name: "Alice" }, receiver: { name: "Bob" } });
    const spread = await db.from("films").select("title, ...directors(director:name)").eq("id", 4).single();
    assert.deepEqual(spread.data, { title: "Ikiru", director: "Akira Kurosawa" });
    const unknown = await db.from("films").select("title, producers(name)");
    assert.deepEqual([unknown.status, unknown.error?.code], [400, "PGRST200"]);
  });

  it("answers single() with one object or 406 PGRST116, maybeSingle() with null", async () => {
    const one = await db.from("films").select("id").eq("id", 2).single();
    assert.deepEqual(one.data, { id: 2 });
    const many = await db.from("films").select("id").single();
    assert.deepEqual([many.status, many.error?.code, many.error?.details], [406, "PGRST116", "The result contains 5 rows"]);
    const none = await db.from("films").select("id").eq("id", 99).maybeSingle();
    assert.deepEqual([none.data, none.error], [null, null]);
  });

  it("answers CSV exactly as PostgREST writes it (record quoting, t/f, NULL as nothing, \\n when empty)", async () => {
    const { data } = await db.from("films").select("id,title,released,tags,rating").in("id", [1, 5]).order("id").csv();
    assert.equal(data, 'id,title,released,tags,rating\n1,"Cléo from 5 to 7",t,"{paris,drama}",8.1\n5,"Untitled, ""draft""",f,{},');
    const empty = await db.from("films").select("id,title").eq("id", 999).csv();
    assert.equal(empty.data, "\n");
  });

  it("chooses the schema with Accept-Profile, limited to the exposed schemas", async () => {
    const two = await client(stack, undefined, "api_two").from("notes").select("body");
    assert.deepEqual(two.data, [{ body: "from the second schema" }]);
    const hidden = await client(stack, undefined, "hidden").from("secrets").select("*");
    assert.deepEqual([hidden.status, hidden.error?.code, hidden.error?.message], [406, "PGRST106", "Invalid schema: hidden"]);
    const res = await rest(stack, "/notes", { headers: { "Accept-Profile": "api_two" } });
    assert.equal(res.headers.get("content-profile"), "api_two");
  });

  it("answers unknown tables and columns with PostgREST's errors", async () => {
    const table = await db.from("film").select("*");
    assert.deepEqual(
      [table.status, table.error?.code, table.error?.message],
      [404, "PGRST205", "Could not find the table 'public.film' in the schema cache"],
    );
    assert.equal(table.error?.hint, "Perhaps you meant the table 'public.films'");
    const column = await db.from("films").select("nope");
    assert.deepEqual([column.status, column.error?.code], [400, "42703"]);
    const badValue = await db.from("films").select("id").eq("id", "abc");
    assert.deepEqual([badValue.status, badValue.error?.code], [400, "22P02"]);
  });

  it("serves the OpenAPI description at the root", async () => {
    const res = await rest(stack, "/");
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.swagger, "2.0");
    assert.ok(doc.paths["/films"].get);
    assert.ok(doc.paths["/rpc/add_them"]);
    assert.equal(doc.definitions.films.description, "Films, each by one director.");
  });

  it("caps reads at max_rows", async () => {
    const res = await rest(stack, "/films?select=id&limit=100000&order=id");
    assert.equal((await res.json()).length, 5);
  });
});
