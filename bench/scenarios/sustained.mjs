// 4. Sustained load: M-Pesa payments at 80 % of Medusa's own payment-phase rate for a fixed time.

import { bench } from "../lib/context.mjs"
import { GOALS, verdict } from "../lib/goals.mjs"
import { firstCallbacks, integrityOf, orders, settledOrders } from "../lib/orders.mjs"
import { rssSampler, sleep } from "../lib/processes.mjs"
import { answer, completeAsShopper, LIPIA, nextPhone, PIN_DELAY_MS, prepareCarts, SYSTEM } from "../lib/shopper.mjs"
import { byWindow, ratio, summarize } from "../lib/stats.mjs"

/**
 * Medusa's own rate the sustained run holds 80 % of: its orders per second in the payment phase
 * at N = 50 on carts without inventory (first Pay → last order row, median of the rounds), the
 * same run; `undefined` when the payment phase did not run.
 */
export function sustainedBaseline(paymentSummary = []) {
  return paymentSummary.find((p) => p.n === 50 && !p.stock)?.throughput.system.median
}

/**
 * M-Pesa payments (Lipia, paid after the PIN delay, one callback) started at 80 % of `base`,
 * the rate at which this server placed Medusa's own orders in the payment phase, for a fixed
 * time, each on a cart ready to pay (taken from the pool before the clock starts, as the payment
 * phase's are, so the rate compares like with like): does callback → order stay flat, or drift
 * as work piles up?
 */
export async function sustained(base) {
  const rate = Math.round(base * 0.8 * 100) / 100
  const gapMs = 1000 / rate
  const count = Math.floor((bench.size.sustainedS * 1000) / gapMs)
  const carts = await prepareCarts(count)
  bench.say(`sustained: ${count} M-Pesa payments at ${rate}/s (80 % of Medusa's own ${base} orders/s in the payment phase at 50) for ${bench.size.sustainedS} s…`)
  const startedAt = Date.now()
  const sampler = rssSampler(bench.server.pid)
  const runs = await Promise.all(
    carts.map(async (cart, i) => {
      await sleep(i * gapMs)
      try {
        const started = Date.now()
        const paid = { cartId: cart.cartId, startedAt: started, ...(await cart.store.pay(cart.collectionId, LIPIA, { phone_number: nextPhone() })) }
        await answer(paid, "send", PIN_DELAY_MS)
        await orders.wait(paid.cartId, 300_000)
        return paid
      } catch (error) {
        return { error: error.message }
      }
    })
  )
  const peakRss = sampler.stop()
  // Every order as it finally stands (one rolled back and placed again counts when it was placed).
  const final = await settledOrders(runs.filter((r) => !r.error).map((r) => r.cartId), 120_000)
  const done = runs.filter((r) => !r.error && final.has(r.cartId)).map((r) => ({ ...r, createdAt: final.get(r.cartId).createdAt }))
  const first = firstCallbacks()
  const samples = done
    .map((r) => ({ at: first.get(bench.sandbox.payment(r.sessionId)?.ref), ms: r.createdAt - first.get(bench.sandbox.payment(r.sessionId)?.ref) }))
    .filter((s) => Number.isFinite(s.ms))
  const windows = byWindow(samples, startedAt, 10_000, startedAt + bench.size.sustainedS * 1000 + PIN_DELAY_MS + 1000)
  // Whole windows of the run only: the last few orders after it ends are no window of load.
  const filled = windows.filter((w) => w.n > 0 && w.fromS + 10 <= bench.size.sustainedS)
  const integrity = await integrityOf(done.map((r) => r.cartId))
  const result = {
    rate,
    baseline: base,
    seconds: bench.size.sustainedS,
    started: count,
    orders: integrity.orders,
    failures: runs.length - done.length,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    callbackToOrder: summarize(samples.map((s) => s.ms)),
    checkoutToOrder: summarize(done.map((r) => r.createdAt - r.startedAt)),
    windows,
    drift: ratio(filled.at(-1)?.p95, filled[0]?.p95),
    baselineFrom: "payment phase, N = 50, carts without inventory, Medusa's own median orders/s",
    lastOrderAfterS: Math.round((Math.max(...done.map((r) => r.createdAt)) - startedAt) / 100) / 10,
    peakRssMb: Math.round(peakRss / 1048576),
  }
  result.verdict = verdict(result.drift, GOALS.sustainedDrift)
  bench.say(`sustained: ${result.orders}/${count} orders, callback → order p95 ${result.callbackToOrder.p95} ms, drift (last/first 10 s p95) ×${result.drift} (goal ≤ ${GOALS.sustainedDrift.atMost}: ${result.verdict}) [${bench.elapsed()}]`)
  return result
}

/**
 * The control (`--sustained-own`, not in the full run): Medusa's own checkout at the same rate
 * for the same time on the same server — a pp_system_default session, the same PIN delay (card
 * details typed), then the storefront's complete — and the same drift, of complete → order p95.
 * Says whether the rate the goal sets is one this server keeps up with for any checkout.
 */
export async function sustainedOwn(rate) {
  const gapMs = 1000 / rate
  const count = Math.floor((bench.size.sustainedS * 1000) / gapMs)
  const carts = await prepareCarts(count)
  bench.say(`sustained (Medusa's own, the control): ${count} pay-and-complete at ${rate}/s for ${bench.size.sustainedS} s…`)
  const startedAt = Date.now()
  const runs = await Promise.all(
    carts.map(async (cart, i) => {
      await sleep(i * gapMs)
      try {
        await cart.store.pay(cart.collectionId, SYSTEM)
        await sleep(PIN_DELAY_MS)
        const completeAt = Date.now()
        await completeAsShopper(cart.store, cart.cartId)
        return { cartId: cart.cartId, completeAt }
      } catch (error) {
        return { error: error.message }
      }
    })
  )
  const done = runs.filter((r) => !r.error)
  const final = await settledOrders(done.map((r) => r.cartId), 0)
  const samples = done.filter((r) => final.has(r.cartId)).map((r) => ({ at: r.completeAt, ms: final.get(r.cartId).createdAt - r.completeAt }))
  const windows = byWindow(samples, startedAt, 10_000, startedAt + bench.size.sustainedS * 1000 + PIN_DELAY_MS + 1000)
  const filled = windows.filter((w) => w.n > 0 && w.fromS + 10 <= bench.size.sustainedS)
  const result = {
    rate,
    seconds: bench.size.sustainedS,
    started: count,
    orders: samples.length,
    failures: runs.length - samples.length,
    completeToOrder: summarize(samples.map((s) => s.ms)),
    windows,
    drift: ratio(filled.at(-1)?.p95, filled[0]?.p95),
  }
  bench.say(`sustained (Medusa's own): ${result.orders}/${count} orders, complete → order p95 ${result.completeToOrder.p95} ms, drift ×${result.drift} [${bench.elapsed()}]`)
  return result
}

