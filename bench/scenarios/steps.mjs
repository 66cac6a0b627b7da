// What each step of a payment costs the server's main thread, one payment at a time
// (`npm run bench -- --steps`). With nothing else running, the event loop's busy time between
// two readings (GET /bench/loop) belongs to the step between them: Medusa's own session and
// complete against M-Pesa's session (the push) and its callbacks through to the order.

import { bench } from "../lib/context.mjs"
import { orders } from "../lib/orders.mjs"
import { eventLoop, sleep } from "../lib/processes.mjs"
import { answer, completeAsShopper, LIPIA, nextPhone, prepareCarts, SYSTEM } from "../lib/shopper.mjs"
import { percentile, ratio } from "../lib/stats.mjs"

/** How long after an order the server is left to finish (events, the confirmation's last steps). */
const TAIL_MS = 500

const busyMs = async () => (await eventLoop(bench.server)).active

/** The server's SQL so far, counted at its driver (the bench store's GET /bench/sql). */
async function sqlNow({ mark = false, list = false } = {}) {
  const res = await fetch(`${bench.server.url}/bench/sql?${mark ? "mark=1&" : ""}${list ? "list=1" : ""}`)
  return res.ok ? res.json() : { transactions: NaN, kinds: {} }
}

/** Statement kinds between two readings, most first. */
function kindsBetween(before, after) {
  return Object.fromEntries(
    Object.entries(after.kinds)
      .map(([kind, n]) => [kind, n - (before.kinds[kind] ?? 0)])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  )
}

/**
 * `n` payments of each kind, alternating: each step's main-thread milliseconds (medians), the
 * two kinds' totals and their ratio. System: pay (session) and complete (the storefront's call,
 * to its order). M-Pesa: pay (session with the push) and callbacks (the prompt answered, its
 * callback delivered twice, the order placed by the plugin).
 */
export async function stepCosts(n) {
  const carts = await prepareCarts(2 * n)
  const samples = { system: { pay: [], complete: [] }, mpesa: { pay: [], callbacks: [] } }
  const transactions = { system: { pay: [], complete: [] }, mpesa: { pay: [], callbacks: [] } }
  const again = []
  const againTransactions = []
  // One payment of each kind, whole: its statements by kind, and in order (the last of the run).
  const conversation = {}
  for (let i = 0; i < n; i++) {
    for (const kind of ["system", "mpesa"]) {
      const { cartId, collectionId, store: s } = carts[2 * i + (kind === "mpesa" ? 1 : 0)]
      await sleep(300)
      const sqlBefore = await sqlNow({ mark: true })
      const before = await busyMs()
      const paid = kind === "system" ? await s.pay(collectionId, SYSTEM) : await s.pay(collectionId, LIPIA, { phone_number: nextPhone() })
      const payEnd = await busyMs()
      const sqlAfterPay = await sqlNow()
      // Read again: the reading of the SQL counts is not the callbacks' work.
      const afterPay = await busyMs()
      if (kind === "system") {
        await completeAsShopper(s, cartId)
      } else {
        await answer(paid, "duplicate", 0)
      }
      await orders.wait(cartId)
      await sleep(TAIL_MS)
      const after = await busyMs()
      const sqlAfter = await sqlNow({ list: true })
      samples[kind].pay.push(payEnd - before)
      samples[kind][kind === "system" ? "complete" : "callbacks"].push(after - afterPay)
      transactions[kind].pay.push(sqlAfterPay.transactions - sqlBefore.transactions)
      transactions[kind][kind === "system" ? "complete" : "callbacks"].push(sqlAfter.transactions - sqlAfterPay.transactions)
      conversation[kind] = { kinds: kindsBetween(sqlBefore, sqlAfter), statements: sqlAfter.list }
      if (kind === "mpesa") {
        // One more delivery of the same callback, as aggregators retry: what each delivery costs.
        const ref = bench.sandbox.payment(paid.sessionId).ref
        await sleep(300)
        const sqlBeforeAgain = await sqlNow({ mark: true })
        const beforeAgain = await busyMs()
        await bench.sandbox.resendCallback(ref)
        await sleep(TAIL_MS)
        again.push((await busyMs()) - beforeAgain)
        againTransactions.push((await sqlNow()).transactions - sqlBeforeAgain.transactions)
      }
    }
  }
  // The floor of any request: between two readings in a row lies one GET /bench/loop, whole.
  const request = []
  for (let i = 0; i < n; i++) {
    await sleep(50)
    const first = await busyMs()
    request.push((await busyMs()) - first)
  }
  const median = (xs) => Math.round(percentile(xs, 50) * 10) / 10
  const steps = Object.fromEntries(Object.entries(samples).map(([kind, s]) => [kind, Object.fromEntries(Object.entries(s).map(([step, xs]) => [step, median(xs)]))]))
  const total = (kind) => Math.round(Object.values(steps[kind]).reduce((a, b) => a + b, 0) * 10) / 10
  const result = {
    n,
    steps,
    total: { mpesa: total("mpesa"), system: total("system") },
    ratio: ratio(total("mpesa"), total("system")),
    // Not in the total: a third delivery of a callback already heard (answered from the ledger).
    callbackAgain: median(again),
    // Any request's own cost on this server (an empty route), for scale.
    emptyRequest: median(request),
    // SQL transactions per step, counted at the server's driver (medians), and one payment's statements.
    transactions: Object.fromEntries(Object.entries(transactions).map(([kind, s]) => [kind, Object.fromEntries(Object.entries(s).map(([step, xs]) => [step, median(xs)]))])),
    callbackAgainTransactions: median(againTransactions),
    conversation,
  }
  const t = result.transactions
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0)
  bench.say(
    `steps, main-thread ms per payment (median of ${n}, one at a time): Medusa's own pay ${steps.system.pay} + complete ${steps.system.complete} = ${result.total.system}; M-Pesa pay ${steps.mpesa.pay} + callbacks to the order ${steps.mpesa.callbacks} = ${result.total.mpesa} (×${result.ratio}); one more delivery of a callback already heard ${result.callbackAgain}, an empty request ${result.emptyRequest}`
  )
  bench.say(
    `steps, SQL transactions per payment (median of ${n}, at the server's driver): Medusa's own pay ${t.system.pay} + complete ${t.system.complete} = ${sum(t.system)}; M-Pesa pay ${t.mpesa.pay} + callbacks to the order ${t.mpesa.callbacks} = ${sum(t.mpesa)}; one more delivery ${result.callbackAgainTransactions}`
  )
  for (const [kind, { kinds }] of Object.entries(conversation)) {
    bench.say(`  ${kind}: ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(", ")}`)
  }
  result.primitives = await primitiveCosts()
  return result
}

/**
 * The server's main-thread ms per call of what a payment's steps ask of Medusa and of the
 * ledger (the bench store's POST /bench/primitives, nothing else running), to price the steps.
 */
async function primitiveCosts(n = 200) {
  const res = await fetch(`${bench.server.url}/bench/primitives?n=${n}`, { method: "POST" })
  if (!res.ok) {
    bench.say(`primitives: the server answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
    return undefined
  }
  const { primitives } = await res.json()
  for (const { name, ms } of primitives) {
    bench.say(`  ${String(ms).padStart(6)} ms  ${name}`)
  }
  return primitives
}
