"""The phone page: HTML, CSS and a little JavaScript, served by the room, with no external assets.

Readable on a 360 px phone. Everything a participant or the room typed is put
on the page with `textContent`, never as HTML. The page joins with the
invitation in its address (or the typed join code), then follows the room
through server-sent events: its own suggestions and whether they were
accepted, the map as the projector shows it, and the vote when one is open.
"""

from __future__ import annotations

from desktop.room.state import LAYER_HELP

_LAYERS = "".join(
    f'<label class="layer"><input type="radio" name="layer" value="{name}"{" checked" if i == 0 else ""}>'
    f"<span><b>{name.capitalize()}</b><small>{help_text}</small></span></label>"
    for i, (name, help_text) in enumerate(LAYER_HELP.items())
)

HTML = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Workshop room</title>
<link rel="stylesheet" href="/room.css">
<script src="/room.js" defer></script>
</head>
<body>
<header><h1>Workshop room</h1><p id="who"></p></header>
<p id="message" role="status" aria-live="polite"></p>
<section id="join">
  <h2>Join the room</h2>
  <p>Type the join code shown on the projector.</p>
  <form id="joinForm" autocomplete="off">
    <input id="code" name="code" inputmode="text" autocapitalize="characters" maxlength="12"
      placeholder="e.g. K7QPM2" aria-label="Join code">
    <button type="submit">Join</button>
  </form>
</section>
<main id="room" hidden>
  <section id="voteBox" hidden>
    <h2>Vote: what do we fix first?</h2>
    <p class="hint">You have <b id="dotsLeft">3</b> dots. Put them on the findings that matter most;
    several on one is fine.</p>
    <ol id="findings"></ol>
  </section>
  <section>
    <h2>Suggest a channel</h2>
    <form id="suggest" autocomplete="off">
      <label for="channel">Channel or tool</label>
      <input id="channel" name="channel" maxlength="80" required placeholder="e.g. Webinars">
      <fieldset><legend>Layer</legend>{_LAYERS}</fieldset>
      <label for="note">Note <small>(optional)</small></label>
      <textarea id="note" name="note" maxlength="400" rows="2"
        placeholder="Why it matters, who runs it"></textarea>
      <button id="send" type="submit">Send suggestion</button>
    </form>
  </section>
  <section>
    <h2>Your suggestions</h2>
    <ul id="mine"><li class="empty">None yet.</li></ul>
  </section>
  <section>
    <h2>The map</h2>
    <p id="mapEmpty" class="hint">The map appears here as the facilitator shows it.</p>
    <img id="map" alt="The map as the projector shows it" hidden>
  </section>
</main>
</body>
</html>
"""

CSS = """
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 640px; padding: 0 14px 40px; font: 18px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, sans-serif; color: #0f172a; background: #f8fafc; }
header { display: flex; align-items: baseline; justify-content: space-between; gap: 8px;
  border-bottom: 3px solid #1e293b; margin-bottom: 10px; }
h1 { font-size: 24px; margin: 14px 0 8px; }
h2 { font-size: 20px; margin: 22px 0 8px; }
#who { margin: 0; color: #475569; font-size: 15px; }
section { background: #fff; border: 1px solid #cbd5e1; border-radius: 12px; padding: 2px 14px 14px;
  margin: 12px 0; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
input, textarea, button { font: inherit; width: 100%; border-radius: 10px; }
input, textarea { padding: 10px 12px; border: 2px solid #94a3b8; background: #fff; color: inherit; }
input:focus, textarea:focus { outline: 3px solid #93c5fd; border-color: #2563eb; }
fieldset { border: 0; padding: 0; margin: 12px 0 0; }
legend { font-weight: 600; margin-bottom: 4px; }
label.layer { display: flex; gap: 10px; align-items: flex-start; font-weight: 400; margin: 6px 0;
  padding: 8px 10px; border: 2px solid #e2e8f0; border-radius: 10px; }
label.layer input { width: 22px; height: 22px; margin: 3px 0 0; flex: none; }
label.layer span { display: flex; flex-direction: column; }
label.layer small { color: #475569; font-size: 15px; line-height: 1.35; }
label.layer:has(input:checked) { border-color: #2563eb; background: #eff6ff; }
button { margin-top: 14px; padding: 12px; border: 0; background: #1d4ed8; color: #fff; font-weight: 700;
  min-height: 48px; }
button:disabled { background: #94a3b8; }
#joinForm { display: flex; gap: 8px; }
#joinForm input { text-transform: uppercase; letter-spacing: 3px; font-size: 22px; }
#joinForm button { width: auto; margin: 0; padding: 0 20px; }
#message { min-height: 0; margin: 6px 0; font-weight: 600; }
#message.bad { color: #b91c1c; }
#message.ok { color: #166534; }
ul#mine { list-style: none; padding: 0; margin: 0; }
#mine li { display: flex; justify-content: space-between; gap: 8px; padding: 8px 0;
  border-bottom: 1px solid #e2e8f0; overflow-wrap: anywhere; }
#mine li.empty { color: #64748b; }
.layerName { display: block; color: #475569; font-size: 15px; }
.status { flex: none; font-size: 14px; font-weight: 700; padding: 2px 10px; border-radius: 999px;
  background: #e2e8f0; color: #334155; align-self: center; }
.status.accepted { background: #dcfce7; color: #166534; }
.status.dismissed { background: #f1f5f9; color: #64748b; }
#map { width: 100%; height: auto; border-radius: 8px; border: 1px solid #cbd5e1; background: #0b1220; }
.hint { color: #475569; font-size: 15px; }
ol#findings { padding: 0; margin: 0; list-style: none; }
#findings li { border: 2px solid #e2e8f0; border-radius: 10px; padding: 8px 10px; margin: 8px 0;
  overflow-wrap: anywhere; }
#findings li.voted { border-color: #f59e0b; background: #fffbeb; }
#findings p { margin: 0 0 6px; font-size: 16px; line-height: 1.35; }
.voteButtons { display: flex; gap: 8px; align-items: center; }
.dots { flex: 1; color: #d97706; font-size: 26px; letter-spacing: 2px; line-height: 1; }
.voteButtons button { margin: 0; width: 52px; min-height: 44px; padding: 0; font-size: 24px; }
.voteButtons button.remove { background: #e2e8f0; color: #0f172a; }
"""

JS = r"""
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem("roomToken") || "";
  let events = null;
  let pictureShown = -1;
  const shown = {};

  function say(text, bad) {
    const box = $("message");
    box.textContent = text;
    box.className = bad ? "bad" : "ok";
  }

  async function api(path, body) {
    const options = { method: body ? "POST" : "GET", headers: {} };
    if (token) options.headers["Authorization"] = "Bearer " + token;
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) {
      const error = new Error(data.error || ("the room answered " + response.status));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function left(message) {
    token = "";
    for (const part of Object.keys(shown)) delete shown[part];
    sessionStorage.removeItem("roomToken");
    if (events) { events.close(); events = null; }
    $("room").hidden = true;
    $("join").hidden = false;
    say(message, true);
  }

  async function join(body) {
    try {
      const data = await api("/api/join", body);
      token = data.token;
      sessionStorage.setItem("roomToken", token);
      history.replaceState(null, "", "/");
      say("You are in. Suggest away.", false);
      start();
    } catch (error) {
      say(error.message, true);
    }
  }

  function start() {
    $("join").hidden = true;
    $("room").hidden = false;
    refresh();
    if (events) events.close();
    events = new EventSource("/api/events?t=" + encodeURIComponent(token));
    events.onmessage = refresh;
    events.addEventListener("closed", () => left("The room is closed. Thank you!"));
    events.onerror = () => { refresh(); };
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const STATUS = { new: "waiting", accepted: "on the map", dismissed: "not taken" };

  function changed(part, value) {
    const text = JSON.stringify(value);
    if (shown[part] === text) return false;
    shown[part] = text;
    return true;
  }

  function showMine(list) {
    if (!changed("mine", list)) return;
    const box = $("mine");
    box.replaceChildren();
    if (!list.length) { box.append(element("li", "empty", "None yet.")); return; }
    for (const s of list.slice().reverse()) {
      const row = element("li", "suggestion");
      row.dataset.status = s.status;
      const text = element("span");
      const name = element("b", "name", s.channel);
      name.dir = "auto";
      text.append(name, element("span", "layerName", s.layer));
      row.append(text, element("span", "status " + s.status, STATUS[s.status] || s.status));
      box.append(row);
    }
  }

  function showVote(vote) {
    if (!changed("vote", vote)) return;
    const box = $("voteBox");
    box.hidden = !vote;
    if (!vote) return;
    const spent = Object.values(vote.mine).reduce((a, b) => a + b, 0);
    $("dotsLeft").textContent = String(vote.dots - spent);
    const list = $("findings");
    list.replaceChildren();
    for (const finding of vote.findings) {
      const mine = vote.mine[finding.key] || 0;
      const row = element("li", mine ? "finding voted" : "finding");
      row.dataset.key = finding.key;
      const text = element("p", "findingText", finding.text);
      text.dir = "auto";
      const buttons = element("div", "voteButtons");
      const dots = element("span", "dots", "\u25CF".repeat(mine));
      const add = element("button", "add", "+");
      add.setAttribute("aria-label", "Add a dot");
      add.type = "button";
      add.disabled = spent >= vote.dots;
      add.onclick = () => cast(finding.key, 1);
      const remove = element("button", "remove", "\u2212");
      remove.setAttribute("aria-label", "Take a dot back");
      remove.type = "button";
      remove.disabled = !mine;
      remove.onclick = () => cast(finding.key, -1);
      buttons.append(dots, remove, add);
      row.append(text, buttons);
      list.append(row);
    }
  }

  async function cast(key, delta) {
    try {
      await api("/api/vote", { finding: key, delta: delta });
      await refresh();
    } catch (error) { say(error.message, true); }
  }

  function showPicture(version) {
    const image = $("map");
    if (!version) { image.hidden = true; $("mapEmpty").hidden = false; return; }
    if (version === pictureShown) return;
    pictureShown = version;
    image.src = "/api/map.png?t=" + encodeURIComponent(token) + "&v=" + version;
    image.hidden = false;
    $("mapEmpty").hidden = true;
  }

  let refreshing = false;
  let again = false;
  let failures = 0;
  async function refresh() {
    if (!token) return;
    if (refreshing) { again = true; return; }
    refreshing = true;
    try {
      const state = await api("/api/state");
      failures = 0;
      $("who").textContent = "Participant " + state.you;
      showMine(state.suggestions);
      showVote(state.vote);
      showPicture(state.picture);
    } catch (error) {
      if (error.status === 401 || error.status === 410) left("The room is closed, or you left it. Join again.");
      else if (!error.status && ++failures >= 3) left("The room is closed, or this phone lost the network.");
      else if (!error.status) say("Lost the room for a moment: trying again…", true);
    } finally {
      refreshing = false;
      if (again) { again = false; refresh(); }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("joinForm").addEventListener("submit", (event) => {
      event.preventDefault();
      join({ code: $("code").value });
    });
    $("suggest").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      const body = {
        channel: form.elements.channel.value,
        layer: form.elements.layer.value,
        note: form.elements.note.value,
      };
      $("send").disabled = true;
      try {
        await api("/api/suggest", body);
        say("Sent: " + body.channel, false);
        form.elements.channel.value = "";
        form.elements.note.value = "";
        refresh();
      } catch (error) {
        say(error.message, true);
      } finally {
        $("send").disabled = false;
      }
    });
    const invitation = new URLSearchParams(location.search).get("t");
    if (invitation) join({ invitation: invitation });
    else if (token) start();
  });
})();
"""
