// 5. Recovery under Lipwa's rate limit: payments whose callbacks were lost, reconciled by the
// job on a freshly booted server.

import { bench } from "../lib/context.mjs"
import { integrityOf, orders, settledOrders } from "../lib/orders.mjs"
import { answer, LIPWA, nextPhone, prepareCarts } from "../lib/shopper.mjs"
import { GOALS, verdict } from "../lib/goals.mjs"
import { busiestWindow, ratio } from "../lib/stats.mjs"

/**
 * `n` Lipwa payments that succeed but whose callbacks are lost, sent while the
 * recovery job is off; then a server with the job on (first check 1 s after a prompt) and the
 * clock starts when it answers /health. Lipwa allows 10 requests per second per key, so
 * asking about n payments cannot take less than n / 10 s.
 */
export async function promptsWithLostCallbacks(n) {
  const pushedFrom = Date.now()
  const carts = []
  // Ready to pay (the pool the database was copied with), then each shopper presses Pay.
  const queue = await prepareCarts(n)
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let cart = queue.shift(); cart; cart = queue.shift()) {
        const paid = { cartId: cart.cartId, ...(await cart.store.pay(cart.collectionId, LIPWA, { phone_number: nextPhone() })) }
        await answer(paid, "lost")
        carts.push(paid)
      }
    })
  )
  const settled = carts.filter((c) => bench.sandbox.payment(c.sessionId)?.status === "success").length
  bench.say(`recovery: ${n} Lipwa prompts sent in ${((Date.now() - pushedFrom) / 1000).toFixed(1)} s, ${settled} paid with their callback lost [${bench.elapsed()}]`)
  return carts
}

/**
 * The headline compares the job's pace with the server's own: orders per second of the
 * recovered payments (from /health to the last completion) against `completionThroughput`,
 * the orders per second this machine's server completed when n shoppers paid and completed at
 * once (Medusa's own checkout, the payment phase at N = 50, same run: to the last
 * completion's end, not to the last order row, which a burst writes seconds earlier). Both on
 * carts of the product without inventory (since issue 33: the payment phase's headline carts,
 * and the pool's default), so the two rates are of the same completion. Each recovered order
 * is a status request and a completed cart; the floor (n ÷ 10 requests/s) stays as a
 * secondary figure: the job cannot beat it, and is bound by placing orders long before it.
 */
export async function recovery(carts, completionThroughput) {
  const n = carts.length
  const before = bench.sandbox.requests().length
  bench.server = await bench.boot("recovery", { BENCH_RECOVERY_AFTER_MS: "1000" })
  const from = Date.now()
  await Promise.all(carts.map((c) => orders.wait(c.cartId, 900_000).catch(() => undefined)))
  const final = await settledOrders(carts.map((c) => c.cartId), 120_000)
  // To the end of the last completion, as the payment phase's completed orders per second.
  const last = Math.max(...[...final.values()].map((o) => o.doneAt))
  const requests = bench.sandbox.requests().slice(before).filter((r) => r.api === "lipwa")
  const at = requests.map((r) => Date.parse(r.at))
  const integrity = await integrityOf(carts.map((c) => c.cartId))
  const seconds = (last - from) / 1000
  const result = {
    payments: n,
    recovered: integrity.orders,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    seconds: Math.round(seconds * 10) / 10,
    floorSeconds: n / 10,
    ratioToFloor: ratio(seconds, n / 10),
    throughput: seconds > 0 ? Math.round((integrity.orders / seconds) * 100) / 100 : undefined,
    completionThroughput,
    firstCheckS: at.length ? Math.round((Math.min(...at) - from) / 100) / 10 : undefined,
    checksDoneS: at.length ? Math.round((Math.max(...at) - from) / 100) / 10 : undefined,
    lipwaRequests: requests.length,
    maxPerSecond: busiestWindow(at),
    answered429: requests.filter((r) => r.status === 429).length,
  }
  result.ratioToCompletion = ratio(result.throughput, completionThroughput)
  result.verdict = verdict(result.ratioToCompletion, GOALS.recoveryToCompletion)
  bench.say(
    `recovery: ${result.recovered}/${n} orders in ${result.seconds} s, ${result.throughput} orders/s = ×${result.ratioToCompletion} the server's own ${completionThroughput} orders/s (floor ${result.floorSeconds} s, ×${result.ratioToFloor}); status checks from ${result.firstCheckS} s to ${result.checksDoneS} s, at most ${result.maxPerSecond}/s, ${result.answered429} × 429 [${bench.elapsed()}]`
  )
  await bench.server.stop()
  return result
}

