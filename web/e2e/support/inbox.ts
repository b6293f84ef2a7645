// Reads the local mail inbox through its Mailpit-compatible API (as `supabase start` offers).
const mailUrl = () => {
  const url = process.env.BASEKIT_MAIL_URL;
  if (!url) throw new Error("BASEKIT_MAIL_URL is set by npm test");
  return url;
};

/** The first link to Auth's verify endpoint in the newest email sent to `to`. */
export async function waitForEmailLink(to: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const search = await fetch(`${mailUrl()}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`);
    const found = (await search.json()) as { messages?: { ID: string }[] };
    const id = found.messages?.[0]?.ID;
    if (id) {
      const message = (await (await fetch(`${mailUrl()}/api/v1/message/${id}`)).json()) as { HTML?: string; Text?: string };
      const text = `${message.Text ?? ""} ${decodeEntities(message.HTML ?? "")}`;
      const link = /https?:\/\/[^\s"'<>()]+\/auth\/v1\/verify[^\s"'<>()]*/.exec(text)?.[0];
      if (link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no email with a verify link reached ${to}`);
}

function decodeEntities(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCharCode(Number.parseInt(code, 16)))
    .replaceAll("&amp;", "&");
}
