import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { canTraverse, type RunAs } from "./unprivileged-user.ts";

// A user that owns nothing here, as the unprivileged Postgres user owns nothing in a project.
const stranger: RunAs = { name: "stranger", uid: 54_321, gid: 54_321 };

test("a folder is reachable only when every folder above it lets others pass", () => {
  const open = mkdtempSync(join(tmpdir(), "basekit-reach-"));
  chmodSync(open, 0o755);
  const inner = join(open, "a", "b");
  mkdirSync(inner, { recursive: true, mode: 0o755 });
  assert.equal(canTraverse(inner, stranger), true);
  // A private folder on the way (like /root) blocks everything below it.
  chmodSync(join(open, "a"), 0o700);
  assert.equal(canTraverse(inner, stranger), false);
  // Search permission alone is enough to pass through.
  chmodSync(join(open, "a"), 0o711);
  assert.equal(canTraverse(inner, stranger), true);
});

test("the owner's own bits decide for the owner", () => {
  const dir = mkdtempSync(join(tmpdir(), "basekit-reach-"));
  chmodSync(dir, 0o700);
  const owner = { name: "me", uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  assert.equal(canTraverse(dir, owner), true);
  assert.equal(canTraverse(dir, stranger), false);
});
