// The inbox's web page at `/`: a list of messages, newest first, and the selected one rendered in
// a sandboxed frame; below the list, the Web Push messages the stack's push receiver decrypted
// (read from its JSON API on the API port). Plain HTML and a few lines of script; no build step.

/** The page, reading pushes from `pushUrl` (the receiver's /push/v1), or without them when absent. */
export const inboxPage = (pushUrl?: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>basekit inbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; display: grid; grid-template-columns: 24rem 1fr; height: 100vh; }
  header { grid-column: 1 / 3; padding: .5rem 1rem; background: #1c1c1c; color: #fff; display: flex; gap: 1rem; align-items: center; }
  header h1 { font-size: 1rem; margin: 0; flex: 1; }
  #list { overflow: auto; border-right: 1px solid #ddd; margin: 0; padding: 0; list-style: none; }
  #list li { padding: .6rem 1rem; border-bottom: 1px solid #eee; cursor: pointer; }
  #list li.selected { background: #e8f5ee; }
  #list .to, #list time { color: #666; font-size: 12px; display: block; }
  main { display: flex; flex-direction: column; }
  main h2 { margin: .75rem 1rem .25rem; font-size: 1.1rem; }
  main p { margin: 0 1rem .5rem; color: #555; }
  iframe { flex: 1; border: 0; border-top: 1px solid #eee; }
  body { height: 100vh; grid-template-rows: auto 1fr; }
  aside { overflow: auto; border-right: 1px solid #ddd; }
  aside h2 { font-size: .9rem; margin: .75rem 1rem .25rem; }
  #pushes { margin: 0; padding: 0; list-style: none; }
  #pushes li { padding: .5rem 1rem; border-bottom: 1px solid #eee; }
  #pushes .meta { color: #666; font-size: 12px; display: block; word-break: break-all; }
  #pushes .failed { color: #b3261e; }
</style>
</head>
<body>
<header><h1>basekit inbox</h1><input id="filter" placeholder="filter by recipient"><button id="refresh">Refresh</button><button id="clear">Delete all</button></header>
<aside><h2>Email</h2><ul id="list" aria-label="Emails"></ul><h2>Web Push</h2><ul id="pushes" aria-label="Pushes"></ul></aside>
<main><h2 id="subject">No message selected</h2><p id="meta"></p><iframe id="body" sandbox title="message body"></iframe></main>
<script type="module">
const pushUrl = ${JSON.stringify(pushUrl ?? null).replace(/</g, "\\u003c")};
const list = document.getElementById("list");
const filter = document.getElementById("filter");
let selected = null;
async function load() {
  const query = filter.value ? "?to=" + encodeURIComponent(filter.value) : "";
  const { messages } = await (await fetch("/api/messages" + query)).json();
  list.replaceChildren(...messages.map((m) => {
    const li = document.createElement("li");
    li.className = m.id === selected ? "selected" : "";
    const subject = document.createElement("strong");
    subject.textContent = m.subject || "(no subject)";
    const to = document.createElement("span");
    to.className = "to";
    to.textContent = "To: " + m.to.join(", ");
    const time = document.createElement("time");
    time.textContent = new Date(m.created_at).toLocaleString();
    li.append(subject, to, time);
    li.onclick = () => show(m.id);
    return li;
  }));
  if (!messages.length) list.innerHTML = "<li>No messages yet.</li>";
  loadPushes();
}
async function loadPushes() {
  const pushes = document.getElementById("pushes");
  if (!pushUrl) return pushes.replaceChildren(item("Push receiver not running."));
  let messages;
  try {
    ({ messages } = await (await fetch(pushUrl + "/messages")).json());
  } catch (error) {
    return pushes.replaceChildren(item("Push receiver unreachable: " + error.message));
  }
  pushes.replaceChildren(...messages.map((m) => {
    const li = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = m.json && m.json.title ? m.json.title : m.text === null ? "(no payload)" : m.text;
    li.append(title);
    if (m.json && m.json.body) li.append(document.createElement("br"), document.createTextNode(m.json.body));
    if (m.decrypt_error) li.append(item("Could not decrypt: " + m.decrypt_error, "meta failed"));
    li.append(item(new Date(m.received_at).toLocaleString() + " · " + m.endpoint, "meta"));
    return li;
  }));
  if (!messages.length) pushes.replaceChildren(item("No pushes yet."));
}
function item(text, className) {
  const element = document.createElement(className ? "span" : "li");
  if (className) element.className = className;
  element.textContent = text;
  return element;
}
async function show(id) {
  selected = id;
  const m = await (await fetch("/api/messages/" + id)).json();
  document.getElementById("subject").textContent = m.subject;
  document.getElementById("meta").textContent = "From " + m.from + " to " + m.to.join(", ") + " · " + new Date(m.created_at).toLocaleString();
  document.getElementById("body").srcdoc = m.html || "<pre>" + m.text.replace(/[<&]/g, (c) => c === "<" ? "&lt;" : "&amp;") + "</pre>";
  load();
}
document.getElementById("refresh").onclick = load;
document.getElementById("clear").onclick = async () => { await fetch("/api/messages", { method: "DELETE" }); selected = null; load(); };
filter.oninput = load;
load();
setInterval(load, 3000);
</script>
</body>
</html>
`;
