import assert from "node:assert/strict";
import { test } from "node:test";
import { isRedirectAllowed, resolveRedirect } from "./redirect-url.ts";

const settings = {
  siteUrl: "https://app.example.com",
  additionalRedirectUrls: ["https://*.example.org/callback", "https://preview.example.net/**"],
};

test("site_url's origin and loopback addresses are allowed", () => {
  assert.ok(isRedirectAllowed("https://app.example.com/welcome?x=1", settings));
  assert.ok(isRedirectAllowed("http://localhost:3000/cb", settings));
  assert.ok(isRedirectAllowed("http://127.0.0.1:5173/", settings));
  assert.ok(!isRedirectAllowed("http://app.example.com/", settings));
  assert.ok(!isRedirectAllowed("https://app.example.com.evil.test/", settings));
});

test("allow-list globs: * stops at dots and slashes, ** does not", () => {
  assert.ok(isRedirectAllowed("https://tenant.example.org/callback", settings));
  assert.ok(!isRedirectAllowed("https://a.b.example.org/callback", settings));
  assert.ok(isRedirectAllowed("https://preview.example.net/deep/path/here", settings));
  assert.ok(!isRedirectAllowed("https://evil.test/?https://tenant.example.org/callback", settings));
});

test("anything else, and script URLs, fall back to site_url", () => {
  assert.equal(resolveRedirect("https://evil.test/", settings), "https://app.example.com");
  assert.equal(resolveRedirect("javascript:alert(1)", settings), "https://app.example.com");
  assert.equal(resolveRedirect(undefined, settings), "https://app.example.com");
  assert.equal(resolveRedirect("not a url", settings), "https://app.example.com");
});
