// The inbox's web page at `/`: a list of messages, newest first, and the selected one rendered in
// a sandboxed frame. Plain HTML and a few lines of script over the JSON API; no build step.
export const inboxPage = `<!doctype html>
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
</style>
</head>
<body>
<header><h1>basekit inbox</h1><input id="filter" placeholder="filter by recipient"><button id="refresh">Refresh</button><button id="clear">Delete all</button></header>
<ul id="list"></ul>
<main><h2 id="subject">No message selected</h2><p id="meta"></p><iframe id="body" sandbox title="message body"></iframe></main>
<script type="module">
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
