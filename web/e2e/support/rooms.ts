// Opening a direct conversation through the chat page, as a user would.
import type { Page } from "playwright-core";
import type { E2eUser } from "./users.ts";

/** From any signed-in page: starts (or reopens) the direct room with `other`; returns its URL. */
export async function openDirectRoom(page: Page, other: E2eUser): Promise<string> {
  await page.getByRole("link", { name: "Chat", exact: true }).click();
  await page.getByRole("button", { name: "New message" }).click();
  await page.getByLabel("Message someone").fill(other.displayName);
  await page.getByRole("button", { name: new RegExp(other.displayName) }).click();
  await page.getByTestId("room-title").filter({ hasText: other.displayName }).waitFor();
  return page.url();
}

/** Sends a message from the composer and waits until the server has it. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByLabel("Message", { exact: true }).press("Enter");
  await page.getByTestId("message").filter({ hasText: text }).and(page.locator('[data-status="sent"]')).waitFor();
}
