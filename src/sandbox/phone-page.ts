/**
 * `GET /phone`: the customer's phone, for the demo and for manual testing. It lists the
 * prompts still waiting for an answer, each with Approve (the customer enters the PIN) and
 * Decline (the customer cancels: ResultCode 1032), through the control API. It refreshes
 * itself every 2 s. One self-contained page: no external assets, so it works offline.
 * Phone numbers are shown masked, as they would be on a shared screen.
 */

export function phonePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>M-Pesa sandbox · phone</title>
<style>
  :root { --green: #00a651; --red: #d93025; --ink: #1f2933; --muted: #667085; --line: #e4e7ec; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f2f4f7; }
  main { max-width: 440px; margin: 0 auto; padding: 24px 16px 48px; }
  header { display: flex; align-items: baseline; justify-content: space-between; margin-bottom: 16px; }
  h1 { font-size: 20px; margin: 0; }
  h1 span { color: var(--green); }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 28px 0 8px; }
  .live { font-size: 12px; color: var(--muted); }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 14px; padding: 16px; margin-bottom: 12px; box-shadow: 0 1px 2px rgba(16,24,40,.05); }
  .prompt-title { font-weight: 600; margin-bottom: 4px; }
  .amount { font-size: 26px; font-weight: 700; margin: 6px 0; }
  .meta { color: var(--muted); font-size: 13px; word-break: break-all; }
  .badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 2px 8px; border-radius: 999px; background: #e8f6ee; color: #067647; margin-right: 6px; text-transform: uppercase; }
  .badge.lipwa { background: #eef4ff; color: #3538cd; }
  .actions { display: flex; gap: 10px; margin-top: 14px; }
  button { flex: 1; border: 0; border-radius: 10px; padding: 11px 0; font: inherit; font-weight: 600; color: #fff; cursor: pointer; }
  button.approve { background: var(--green); }
  button.decline { background: var(--red); }
  button:disabled { opacity: .5; cursor: progress; }
  .empty { color: var(--muted); text-align: center; padding: 28px 16px; }
  .row { display: flex; justify-content: space-between; gap: 12px; padding: 10px 14px; border-bottom: 1px solid var(--line); font-size: 13px; }
  .row:last-child { border-bottom: 0; }
  .ok { color: #067647; font-weight: 600; }
  .fail { color: var(--red); font-weight: 600; }
  .list { padding: 0; }
  #error { display: none; background: #fef3f2; color: #b42318; border: 1px solid #fecdca; border-radius: 10px; padding: 10px 14px; margin-bottom: 12px; }
  footer { margin-top: 28px; font-size: 12px; color: var(--muted); }
  code { font-size: 12px; }
</style>
</head>
<body>
<main>
  <header>
    <h1><span>M-Pesa</span> sandbox phone</h1>
    <span class="live" id="live">connecting…</span>
  </header>
  <div id="error" role="alert"></div>
  <h2>Waiting for the customer</h2>
  <section id="pending"><div class="card empty">No prompts yet. Start a checkout.</div></section>
  <h2>Recently settled</h2>
  <section id="recent" class="card list"><div class="empty">Nothing settled yet.</div></section>
  <footer>Approve = the customer enters the PIN. Decline = the customer cancels (ResultCode 1032).
    Magic numbers 2547000000<code>00</code>–<code>09</code> settle by themselves.</footer>
  <noscript>This page needs JavaScript to list prompts.</noscript>
</main>
<script>
(function () {
  "use strict";
  var busy = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function kes(n) { return "KES " + Number(n).toLocaleString("en-KE"); }

  function showError(message) {
    var box = document.getElementById("error");
    box.textContent = message || "";
    box.style.display = message ? "block" : "none";
  }

  function settle(ref, outcome) {
    busy[ref] = true;
    refresh();
    fetch("/__sandbox/payments/" + encodeURIComponent(ref) + "/settle", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ outcome: outcome })
    }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error(body.message || ("HTTP " + res.status));
        showError("");
      });
    }).catch(function (err) {
      showError("Could not " + (outcome === "success" ? "approve" : "decline") + ": " + err.message);
    }).then(function () {
      delete busy[ref];
      refresh();
    });
  }

  function prompt(p) {
    var card = el("div", "card");
    var title = el("div", "prompt-title");
    title.appendChild(el("span", "badge " + p.api, p.api));
    title.appendChild(document.createTextNode("Pay to merchant · " + p.maskedPhone));
    card.appendChild(title);
    card.appendChild(el("div", "amount", kes(p.amount)));
    card.appendChild(el("div", "meta", "Reference " + p.ref));
    if (p.autoSettleAt) {
      var seconds = Math.max(0, Math.round((Date.parse(p.autoSettleAt) - Date.now()) / 1000));
      card.appendChild(el("div", "meta", "Settles by itself in ~" + seconds + " s"));
    }
    if (p.magic) card.appendChild(el("div", "meta", "Magic number: " + p.magic.description));
    var actions = el("div", "actions");
    var approve = el("button", "approve", "Approve");
    var decline = el("button", "decline", "Decline");
    approve.disabled = decline.disabled = !!busy[p.ref];
    approve.onclick = function () { settle(p.ref, "success"); };
    decline.onclick = function () { settle(p.ref, "cancelled"); };
    actions.appendChild(approve);
    actions.appendChild(decline);
    card.appendChild(actions);
    return card;
  }

  function settledRow(p) {
    var row = el("div", "row");
    var left = el("div");
    left.appendChild(el("span", "badge " + p.api, p.api));
    left.appendChild(document.createTextNode(p.maskedPhone + " · " + kes(p.amountPaid != null ? p.amountPaid : p.amount)));
    row.appendChild(left);
    var paid = p.status === "success";
    row.appendChild(el("span", paid ? "ok" : "fail", paid ? (p.receipt || "paid") : (p.outcome + " (" + p.resultCode + ")")));
    return row;
  }

  function render(payments) {
    var pending = document.getElementById("pending");
    var recent = document.getElementById("recent");
    var open = payments.filter(function (p) { return p.status === "pending"; }).reverse();
    var done = payments.filter(function (p) { return p.status !== "pending"; })
      .sort(function (a, b) { return Date.parse(b.settledAt) - Date.parse(a.settledAt); }).slice(0, 8);
    pending.replaceChildren();
    recent.replaceChildren();
    if (!open.length) pending.appendChild(el("div", "card empty", "No prompts waiting. Start a checkout."));
    open.forEach(function (p) { pending.appendChild(prompt(p)); });
    if (!done.length) recent.appendChild(el("div", "empty", "Nothing settled yet."));
    done.forEach(function (p) { recent.appendChild(settledRow(p)); });
  }

  function refresh() {
    return fetch("/__sandbox/payments", { cache: "no-store" })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        render(body.payments || []);
        document.getElementById("live").textContent = "updated " + new Date().toLocaleTimeString();
      })
      .catch(function () { document.getElementById("live").textContent = "sandbox unreachable"; });
  }

  refresh();
  setInterval(refresh, 2000);
})();
</script>
</body>
</html>
`
}
