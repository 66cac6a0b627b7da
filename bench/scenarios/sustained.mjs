// 4. Sustained load: M-Pesa checkouts at 80 % of Medusa's own rate for a fixed time.

import { bench } from "../lib/context.mjs"
import { firstCallbacks, integrityOf, orders, settledOrders } from "../lib/orders.mjs"
import { rssSampler, sleep } from "../lib/processes.mjs"
import { answer, LIPIA, mpesaPay, PIN_DELAY_MS } from "../lib/shopper.mjs"
import { byWindow, ratio, summarize } from "../lib/stats.mjs"

/**
 * M-Pesa checkouts (Lipia, paid after the PIN delay, one callback) started at 80 % of the rate
 * at which this server completed Medusa's own checkouts in the 50-cart burst, for a fixed time:
 * does callback → order stay flat, or drift as work piles up?
 */
export async function sustained(bursts) {
  const base = bursts.find((b) => b.n === 50)?.throughput.system.median
  const rate = Math.round(base * 0.8 * 100) / 100
  const gapMs = 1000 / rate
  const count = Math.floor((bench.size.sustainedS * 1000) / gapMs)
  bench.say(`sustained: ${count} M-Pesa checkouts at ${rate}/s (80 % of ${base} orders/s) for ${bench.size.sustainedS} s…`)
  const startedAt = Date.now()
  const sampler = rssSampler(bench.server.pid)
  const runs = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await sleep(i * gapMs)
      try {
        const paid = await mpesaPay(LIPIA)
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
    lastOrderAfterS: Math.round((Math.max(...done.map((r) => r.createdAt)) - startedAt) / 100) / 10,
    peakRssMb: Math.round(peakRss / 1048576),
  }
  bench.say(`sustained: ${result.orders}/${count} orders, callback → order p95 ${result.callbackToOrder.p95} ms, drift (last/first 10 s p95) ×${result.drift} [${bench.elapsed()}]`)
  return result
}

