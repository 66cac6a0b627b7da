// 3. Payment-phase burst (issue 33's headline): the carts are ready (prepared before the clock
// starts, not timed), then N shoppers press Pay at the same moment. Preparing carts — the same
// for both kinds — is left out, so its ratios are the payment's own: orders per second from the
// first Pay to the last order row, when the median and the last order rows were written, and as
// diagnostics session creation and PostgreSQL's work per order.

import { bench } from "../lib/context.mjs"
import { GOALS, verdict } from "../lib/goals.mjs"
import { databaseWork, firstCallbacks, integrityOf, orders, perOrder, settledOrders } from "../lib/orders.mjs"
import { cpuBetween, cpuSeconds, eventLoop, loopBetween, sleep } from "../lib/processes.mjs"
import { monotonicUs } from "../lib/profile.mjs"
import { rowsByTable } from "../lib/report.mjs"
import { answer, completeAsShopper, LIPIA, nextPhone, prepareCarts, SYSTEM } from "../lib/shopper.mjs"
import { ratio, spread, summarize, throughput } from "../lib/stats.mjs"

/** PostgreSQL's counters as the last run of a round left them, and when they were read. */
let lastReading

/** How long a run waits for paid carts whose order is still being retried (a paid cart whose first completion was rolled back gets its order from the plugin's retry). */
const SETTLE_WAIT_MS = 6 * 60_000

/** How long after the prompt the payment-phase shopper answers it (the issue's engineer's 300 ms). */
export const PAYMENT_ANSWER_MS = 300

/**
 * One round at `n`: 2n carts taken ready to pay, then Medusa's own payment phase on n of them
 * and M-Pesa's on the other n, one after the other (Medusa's own first in the first round, M-Pesa
 * first in the next, …). `stock`: carts of the product that manages inventory (the kept check of
 * failed completions) or of the one that does not (the headline). `work`: PostgreSQL's counters
 * are read after the carts are ready, between the two runs and at the end (each once everything
 * has settled, 11 s), so each run's work per order is its payment phase alone — a diagnostic,
 * read in the first round at N = 50 only (the other rounds skip the reads' 33 s and pause 3 s
 * between runs instead). `kinds` can leave a kind out.
 */
export async function paymentRound(n, round, { kinds = ["system", "mpesa"], stock = false, work = true } = {}) {
  const from = Date.now()
  const pooled = bench.cartPool?.length ?? 0
  const carts = await prepareCarts(kinds.length * n, { stock })
  const fromPool = pooled - (bench.cartPool?.length ?? 0) === carts.length
  const label = `payment ${n}${stock ? " (inventory)" : ""}`
  bench.say(`${label}: ${carts.length} carts ${fromPool ? "taken from the pool" : "prepared"} in ${((Date.now() - from) / 1000).toFixed(1)} s (not timed) [${bench.elapsed()}]`)
  const runs = []
  // The last round's final reading still stands if nothing was prepared since (it waited for
  // the counters to settle, and the pool's carts cost the database nothing now).
  let before = !work ? undefined : fromPool && lastReading && Date.now() - lastReading.at < 2_000 ? lastReading.work : await databaseWork()
  // Every other round runs M-Pesa first: a server grows slower as its heap and tables grow over
  // a run, and the kind that always went second would always pay for it.
  const order = round % 2 ? [...kinds].reverse() : kinds
  for (const [i, kind] of order.entries()) {
    const run = await payAll(kind, carts.slice(i * n, (i + 1) * n), round, stock)
    if (work) {
      const after = await databaseWork()
      lastReading = { work: after, at: Date.now() }
      run.database = run.orders ? perOrder(before, after, run.orders) : undefined
      before = after
    } else {
      await sleep(3000)
    }
    runs.push(run)
    bench.say(
      `${label} ${kind}: ${run.orders}/${n} orders (${run.placedByRetry} by a retry), ${run.withoutOrder} without an order, ${run.held} held, ${run.duplicates} duplicates, ${run.throughput} orders/s (order rows p50 ${seconds(run.payToOrder.p50)} s, last at ${run.lastOrderAfterS} s; completed ${run.completed}/s, last at ${run.lastDoneAfterS} s), session p50 ${run.session.p50} ms p95 ${run.session.p95} ms, per order ${run.database?.transactions ?? "–"} transactions ${run.database?.rows_written ?? "–"} rows; CPU s over ${run.cpu.wallS} s: server ${run.cpu.server}, PostgreSQL ${run.cpu.postgres}, bench ${run.cpu.bench}, idle ${run.cpu.idle}, server's main thread busy ${run.cpu.loop ?? "?"} (${run.cpu.main ?? "?"} s) [${bench.elapsed()}]`
    )
  }
  const tables = work ? rowsByTable(runs) : undefined
  if (tables) {
    bench.say(`${label}: rows per order by table, M-Pesa/system: ${tables.rows.map((r) => `${r.table} ${r.mpesa}/${r.system}`).join(", ")}`)
  }
  return runs
}

const seconds = (ms) => (typeof ms === "number" ? Math.round(ms / 100) / 10 : "–")

/**
 * Every cart's shopper presses Pay at once. M-Pesa (Lipia): the session with a phone of its
 * own sends the prompt, answered PAYMENT_ANSWER_MS later, its callback delivered twice; the callback places the
 * order, the storefront does not call complete. Medusa's own: a pp_system_default session, then
 * the storefront's complete (pressed again on an error, as a shopper would).
 */
async function payAll(kind, carts, round, stock) {
  const startedAt = Date.now()
  const fromUs = monotonicUs()
  const cpuBefore = cpuSeconds(bench.server?.pid)
  const loopBefore = await eventLoop(bench.server)
  const outcomes = await Promise.all(
    carts.map(async ({ cartId, collectionId, store: s }) => {
      let paid
      try {
        paid = kind === "system" ? await s.pay(collectionId, SYSTEM) : await s.pay(collectionId, LIPIA, { phone_number: nextPhone() })
      } catch (error) {
        return { cartId, error: `pay: ${error.message}` }
      }
      try {
        let retried = false
        if (kind === "system") {
          retried = (await completeAsShopper(s, cartId)).tries > 1
        } else {
          await answer(paid, "duplicate", PAYMENT_ANSWER_MS)
        }
        const order = await orders.wait(cartId, 300_000)
        return { cartId, sessionId: paid.sessionId, payMs: paid.ms, orderId: order.orderId, retried }
      } catch (error) {
        return { cartId, sessionId: paid.sessionId, payMs: paid.ms, error: error.message }
      }
    })
  )
  // Where the CPU went while every shopper waited for an order (and whether the machine had any left).
  // `loop` and `main`: how much of that time the server's main thread was busy (1 = saturated).
  const cpu = { ...cpuBetween(cpuBefore, cpuSeconds(bench.server?.pid)), ...loopBetween(loopBefore, await eventLoop(bench.server)), wallS: Math.round((Date.now() - startedAt) / 100) / 10 }
  // The second callbacks land before duplicates are counted; a paid M-Pesa cart whose first
  // completion was rolled back gets its order from the plugin's retry: wait for it, so it
  // neither counts as lost nor runs into the next measurement.
  await sleep(kind === "mpesa" ? 3000 : 500)
  const paidCarts = outcomes.filter((o) => o.sessionId).map((o) => o.cartId)
  const final = await settledOrders(paidCarts, kind === "mpesa" ? SETTLE_WAIT_MS : 0)
  const integrity = await integrityOf(carts.map((c) => c.cartId))
  const placed = outcomes.filter((o) => final.has(o.cartId)).map((o) => ({ ...o, createdAt: final.get(o.cartId).createdAt, doneAt: final.get(o.cartId).doneAt }))
  const lastOrder = Math.max(...placed.map((o) => o.createdAt))
  const lastDone = Math.max(...placed.map((o) => o.doneAt))
  const failures = outcomes.filter((o) => o.error)
  const toUs = monotonicUs()
  const result = {
    n: carts.length,
    kind,
    round,
    stock,
    orders: integrity.orders,
    failures: failures.length,
    failureSample: failures[0]?.error,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    withoutOrder: integrity.withoutOrder,
    held: integrity.held,
    placedByRetry: placed.filter((o) => o.retried || o.orderId !== final.get(o.cartId).orderId).length,
    throughput: placed.length ? throughput(placed.length, startedAt, lastOrder) : undefined,
    lastOrderAfterS: placed.length ? Math.round((lastOrder - startedAt) / 100) / 10 : undefined,
    // Completed orders per second: to the last completion's end (its payment recorded), not
    // to the last order row, which Medusa writes before the completion's lock and payment.
    completed: placed.length ? throughput(placed.length, startedAt, lastDone) : undefined,
    lastDoneAfterS: placed.length ? Math.round((lastDone - startedAt) / 100) / 10 : undefined,
    session: summarize(outcomes.filter((o) => typeof o.payMs === "number").map((o) => o.payMs)),
    payToOrder: summarize(placed.map((o) => o.createdAt - startedAt)),
    cpu,
    // The run's window on the monotonic clock, which cuts a server's CPU profile (--profile).
    window: { fromUs, toUs },
  }
  if (kind === "mpesa") {
    const refs = new Set(outcomes.filter((o) => o.sessionId).map((o) => bench.sandbox.payment(o.sessionId)?.ref))
    result.callbacksDelivered = bench.sandbox.callbacks().filter((c) => refs.has(c.ref)).length
    const first = firstCallbacks()
    result.callbackToOrder = summarize(placed.map((o) => o.createdAt - first.get(bench.sandbox.payment(o.sessionId)?.ref)).filter((ms) => Number.isFinite(ms)))
  }
  return result
}

/**
 * The ratios of the payment phase at each N and kind of cart (`stock`: its product manages
 * inventory), M-Pesa / Medusa's own: throughput, the shape (when the median and the last order
 * row were written), and the diagnostics (transactions and rows written per order, main-thread
 * time per order, the session's p95), each per round (a round's two runs are minutes apart on
 * one server) and as their spread; with the goals' verdicts on the medians. The carts without
 * inventory carry the headline's goals; the carts with inventory, the kept one: no paid M-Pesa
 * cart without an order.
 */
export function paymentSummary(runs) {
  const groups = [...new Map(runs.map((r) => [`${r.n} ${!!r.stock}`, { n: r.n, stock: !!r.stock }])).values()]
  return groups.map(({ n, stock }) => {
    const of = (kind) => runs.filter((r) => r.n === n && !!r.stock === stock && r.kind === kind)
    const rounds = of("mpesa")
      .map((m) => [m, of("system").find((s) => s.round === m.round)])
      .filter(([, s]) => s)
      .map(([m, s]) => ({
        round: m.round,
        throughput: ratio(m.throughput, s.throughput),
        medianRow: ratio(m.payToOrder?.p50, s.payToOrder?.p50),
        lastRow: ratio(m.payToOrder?.max, s.payToOrder?.max),
        completed: ratio(m.completed, s.completed),
        mainMsPerOrder: ratio(mainMsPerOrder(m), mainMsPerOrder(s)),
        transactions: ratio(m.database?.transactions, s.database?.transactions),
        rows: ratio(m.database?.rows_written, s.database?.rows_written),
        sessionP95: ratio(m.session.p95, s.session.p95),
      }))
    const both = [...of("mpesa"), ...of("system")]
    const each = (read) => ({ mpesa: spread(of("mpesa").map(read)), system: spread(of("system").map(read)) })
    const ratios = Object.fromEntries(
      ["throughput", "medianRow", "lastRow", "completed", "mainMsPerOrder", "transactions", "rows", "sessionP95"].map((key) => [key, spread(rounds.map((r) => r[key]))])
    )
    const duplicates = both.reduce((sum, r) => sum + r.duplicates, 0)
    const withoutOrder = { mpesa: of("mpesa").reduce((sum, r) => sum + r.withoutOrder, 0), system: of("system").reduce((sum, r) => sum + r.withoutOrder, 0) }
    const ran = of("mpesa").length > 0
    return {
      n,
      stock,
      rounds,
      throughput: each((r) => r.throughput),
      medianRowS: each((r) => seconds(r.payToOrder?.p50)),
      lastRowS: each((r) => seconds(r.payToOrder?.max)),
      completed: each((r) => r.completed),
      mainMsPerOrder: each(mainMsPerOrder),
      transactions: each((r) => r.database?.transactions),
      rows: each((r) => r.database?.rows_written),
      sessionP50: each((r) => r.session.p50),
      sessionP95: each((r) => r.session.p95),
      ratio: ratios,
      verdicts: stock
        ? { failedCompletions: ran ? verdict(withoutOrder.mpesa, GOALS.failedCompletions) : "–" }
        : {
            throughput: verdict(ratios.throughput.median, GOALS.paymentThroughput),
            medianRow: verdict(ratios.medianRow.median, GOALS.paymentMedianRow),
            lastRow: verdict(ratios.lastRow.median, GOALS.paymentLastRow),
            // 0 duplicates over both kinds, and every paid M-Pesa cart an order.
            integrity: ran ? verdict(duplicates + withoutOrder.mpesa, GOALS.paymentIntegrity) : "–",
          },
      duplicates,
      withoutOrder,
      held: of("mpesa").reduce((sum, r) => sum + (r.held ?? 0), 0),
    }
  })
}

/** Milliseconds of the server's main thread per order placed in a run (its event loop's busy time). */
function mainMsPerOrder(run) {
  return run.cpu?.main !== undefined && run.orders ? Math.round((run.cpu.main * 1000) / run.orders) : undefined
}
