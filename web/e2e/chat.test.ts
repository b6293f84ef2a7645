// Browser end-to-end tests of group chat: creating a group with members, then replying, editing,
// deleting, reacting and searching, seen live by the other member.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { serveAppForTests, signIn, withFailureScreenshots } from "./support/session.ts";
import { createConfirmedUser } from "./support/users.ts";

const app = serveAppForTests();

// A message by its own text (a reply also contains its parent's text, in the quote).
const message = (page: Page, text: string) => page.getByTestId("message").filter({ has: page.locator("p.body", { hasText: text }) });

async function send(page: Page, text: string) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByLabel("Message", { exact: true }).press("Enter");
  // Sent once the server's row replaced the optimistic one (only then can it be edited or reacted to).
  await message(page, text).and(page.locator('[data-status="sent"]')).getByRole("button", { name: "Reply" }).waitFor();
}

test("a group with chosen members: reply, edit, delete, react and search, seen live by another member", async () => {
  const [alice, bob, carol] = await Promise.all([createConfirmedUser("Grace"), createConfirmedUser("Henry"), createConfirmedUser("Ida")]);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "group-chat",
    () => pages,
    async () => {
      const alicePage = await app.newPage();
      const bobPage = await app.newPage();
      pages.push(alicePage, bobPage);
      await signIn(alicePage, app.url, alice);
      await signIn(bobPage, app.url, bob);

      // Alice creates a group with Bob and Carol.
      const groupName = `Launch ${alice.id.slice(0, 6)}`;
      await alicePage.getByRole("link", { name: "Chat", exact: true }).click();
      await alicePage.getByRole("button", { name: "New group" }).click();
      await alicePage.getByLabel("Group name").fill(groupName);
      for (const member of [bob, carol]) {
        await alicePage.getByLabel("Add people").fill(member.displayName);
        await alicePage.getByRole("button", { name: new RegExp(member.displayName) }).click();
        await alicePage.getByRole("list", { name: "Members to add" }).getByText(member.displayName).waitFor();
      }
      await alicePage.getByRole("button", { name: "Create group" }).click();
      await alicePage.getByTestId("room-title").filter({ hasText: groupName }).waitFor();
      const members = alicePage.getByRole("complementary", { name: /Members/ });
      await members.getByRole("heading", { name: "Members (3)" }).waitFor();
      for (const member of [bob, carol]) await members.getByText(member.displayName).waitFor();

      // Bob finds the group in his list.
      await bobPage.getByRole("link", { name: "Chat", exact: true }).click();
      await bobPage.getByTestId("room-link").filter({ hasText: groupName }).click();
      await bobPage.getByTestId("room-title").filter({ hasText: groupName }).waitFor();

      await send(alicePage, "Rhubarb crumble for the launch party?");
      await send(alicePage, "Meeting moved to 3pm");
      await send(alicePage, "Oops, wrong room");
      await message(bobPage, "Oops, wrong room").waitFor();

      // Bob replies to the first message; Alice sees the reply with its quote.
      await message(bobPage, "Rhubarb crumble").getByRole("button", { name: "Reply" }).click();
      await bobPage.getByText("Replying to “Rhubarb crumble").waitFor();
      await send(bobPage, "Yes please!");
      const reply = message(alicePage, "Yes please!");
      await reply.locator("blockquote").filter({ hasText: "Rhubarb crumble" }).waitFor();

      // Alice edits one message and deletes another; Bob sees both changes without reloading.
      await message(alicePage, "Meeting moved to 3pm").getByRole("button", { name: "Edit" }).click();
      await alicePage.getByLabel("Edit message").fill("Meeting moved to 4pm");
      await alicePage.getByRole("button", { name: "Save" }).click();
      await message(alicePage, "Meeting moved to 4pm").getByText("(edited)").waitFor();
      await message(bobPage, "Meeting moved to 4pm").getByText("(edited)").waitFor();
      assert.equal(await message(bobPage, "3pm").count(), 0);

      await message(alicePage, "Oops, wrong room").getByRole("button", { name: "Delete" }).click();
      await message(alicePage, "Oops, wrong room").waitFor({ state: "detached" });
      await bobPage.getByTestId("message").filter({ hasText: "Message deleted" }).waitFor();
      assert.equal(await message(bobPage, "Oops, wrong room").count(), 0);

      // Bob reacts to the first message; Alice sees the count.
      await message(bobPage, "Rhubarb crumble").getByRole("button", { name: "React 👍", exact: true }).click();
      await message(bobPage, "Rhubarb crumble").getByRole("button", { name: "React 👍 (1)" }).waitFor();
      await message(alicePage, "Rhubarb crumble").getByRole("button", { name: "React 👍 (1)" }).waitFor();

      // Search finds the message by a word in it, and not the others.
      await alicePage.getByLabel("Search this conversation").fill("rhubarb");
      const results = alicePage.getByRole("list", { name: "Search results" });
      await results.getByText("Rhubarb crumble for the launch party?").waitFor();
      assert.equal(await results.getByRole("listitem").count(), 1);
      await alicePage.getByLabel("Search this conversation").fill("zucchini");
      await results.getByText("No matches.").waitFor();
    },
  );
});
