import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { htmlToText, loadTemplates, renderTemplate } from "./email-templates.ts";
import type { AuthSettings } from "./settings.ts";

const vars = {
  SiteURL: "http://127.0.0.1:3000",
  Email: "a@b.c",
  Token: "123456",
  ConfirmationURL: "http://x/verify?token=t&type=signup",
  Data: { name: "<Ann>" },
};

test("Supabase's template variables render, HTML-escaped", () => {
  assert.equal(renderTemplate("{{ .Token }} for {{.Email}}", vars), "123456 for a@b.c");
  assert.equal(renderTemplate("Hi {{ .Data.name }}", vars), "Hi &#60;Ann&#62;");
  assert.equal(renderTemplate('<a href="{{ .ConfirmationURL }}">', vars), '<a href="http://x/verify?token=t&#38;type=signup">');
  assert.equal(renderTemplate("{{ .Missing }}!", vars), "!");
});

test("the text alternative keeps links", () => {
  assert.equal(htmlToText('<p>Go <a href="http://x/y?a=1&#38;b=2">here</a></p>'), "Go here (http://x/y?a=1&b=2)");
});

test("config.toml template subject and content_path override the defaults", () => {
  const dir = mkdtempSync(join(tmpdir(), "templates-"));
  writeFileSync(join(dir, "confirm.html"), "<p>Code {{ .Token }}</p>");
  const templates = loadTemplates({
    supabaseDir: dir,
    email: { templates: { confirmation: { subject: "Welcome aboard", contentPath: "./confirm.html" } } },
  } as unknown as AuthSettings);
  assert.equal(templates.confirmation.subject, "Welcome aboard");
  assert.equal(templates.confirmation.content, "<p>Code {{ .Token }}</p>");
  assert.equal(templates.recovery.subject, "Reset your password");
  assert.equal(templates.magic_link.subject, "Your sign-in link");
});
