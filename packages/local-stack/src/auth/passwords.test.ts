import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuthError } from "./errors.ts";
import { assertStrongPassword, hashPassword, passwordWeakness, verifyPassword } from "./passwords.ts";
import type { AuthSettings } from "./settings.ts";

test("hashes are GoTrue's bcrypt ($2a$, cost 10) and verify", async () => {
  const hash = await hashPassword("Secret-123");
  assert.match(hash, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.ok(await verifyPassword("Secret-123", hash));
  assert.ok(!(await verifyPassword("secret-123", hash)));
});

test("hashes in every bcrypt prefix ($2a$, $2b$, $2y$) verify", async () => {
  // PHP's documented bcrypt example for "rasmuslerdorf".
  const digest = "07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq";
  for (const prefix of ["$2a$", "$2b$", "$2y$"]) assert.ok(await verifyPassword("rasmuslerdorf", prefix + digest), prefix);
  assert.ok(!(await verifyPassword("rasmuslerdorF", `$2a$${digest}`)));
});

test("empty or malformed stored hashes never verify", async () => {
  assert.ok(!(await verifyPassword("x", "")));
  assert.ok(!(await verifyPassword("x", null)));
  assert.ok(!(await verifyPassword("x", "plaintext")));
});

test("password rules follow minimum_password_length and password_requirements", () => {
  const rules = { minimumPasswordLength: 8, passwordRequirements: "lower_upper_letters_digits" as const };
  assert.equal(passwordWeakness("Abcdefg1", rules), undefined);
  assert.deepEqual(passwordWeakness("Ab1", rules)?.reasons, ["length"]);
  assert.deepEqual(passwordWeakness("abcdefgh", rules)?.reasons, ["characters"]);
  assert.deepEqual(passwordWeakness("abc", rules)?.reasons, ["length", "characters"]);
  assert.equal(
    passwordWeakness("abcdefgh", rules)?.message,
    "Password should contain at least one character of each: abcdefghijklmnopqrstuvwxyz, ABCDEFGHIJKLMNOPQRSTUVWXYZ, 0123456789.",
  );
  assert.equal(passwordWeakness("abcdef", { minimumPasswordLength: 6, passwordRequirements: "" }), undefined);
  assert.deepEqual(
    passwordWeakness("Abcdefg1", { minimumPasswordLength: 6, passwordRequirements: "lower_upper_letters_digits_symbols" })?.reasons,
    ["characters"],
  );
});

test("over 72 characters is refused before hashing", () => {
  const settings = { minimumPasswordLength: 6, passwordRequirements: "" } as AuthSettings;
  assert.throws(
    () => assertStrongPassword(`Aa1${"x".repeat(70)}`, settings),
    (e: AuthError) => e.status === 422,
  );
});
