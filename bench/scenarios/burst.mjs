// 3. Burst: N checkouts at once, every M-Pesa callback delivered twice, against Medusa's own
// checkout of the same N carts.

import { bench } from "../lib/context.mjs"
import { firstCallbacks, integrityOf, orders, settledOrders } from "../lib/orders.mjs"
import { rssSampler, sleep } from "../lib/processes.mjs"
import { answer, mpesaPay, PIN_DELAY_MS, SYSTEM, systemCheckout } from "../lib/shopper.mjs"
import { ratio, spread, summarize, throughput } from "../lib/stats.mjs"

/** How long a burst waits for paid carts whose order is still being retried. */
const SETTLE_WAIT_MS = 6 * 60_000

/**
 * `n` checkouts started at once. M-Pesa: Lipia, each from its own phone, paid after the PIN
 * delay, callback delivered twice; the order is placed by the callback. Medusa's own: the storefront
 * completes the cart. Throughput counts from the burst's start to the last order.
 */
export async function burst(n, provider, round) {
  const kind = provider === SYSTEM ? "system" : "mpesa"
  const sampler = rssSampler(bench.server.pid)
  const startedAt = Date.now()
  const outcomes = await Promise.all(
    Array.from({ length: n }, async () => {
      try {
        const cart = provider === SYSTEM ? await systemCheckout() : await mpesaPay(provider)
        if (provider !== SYSTEM) {
          await answer(cart, "duplicate", PIN_DELAY_MS)
        }
        const order = await orders.wait(cart.cartId, 300_000)
        return { cartId: cart.cartId, sessionId: cart.sessionId, startedAt: cart.startedAt, orderId: order.orderId, retried: cart.retried }
      } catch (error) {
        return { error: error.message }
      }
    })
  )
  const peakRss = sampler.stop()
  const done = outcomes.filter((o) => !o.error)
  const failures = outcomes.filter((o) => o.error)
  // Let the second callbacks land before counting duplicates. A paid cart whose completion
  // failed for a passing reason (its order rolled back) gets its order from a retry, at worst
  // the recovery job's: wait for those (so they do not run into the next scenario), then read
  // every order as it stands.
  await sleep(kind === "mpesa" ? 3000 : 500)
  const final = await settledOrders(done.map((o) => o.cartId), kind === "mpesa" ? SETTLE_WAIT_MS : 0)
  const integrity = await integrityOf(done.map((o) => o.cartId))
  const placed = done.filter((o) => final.has(o.cartId)).map((o) => ({ ...o, createdAt: final.get(o.cartId).createdAt, retried: o.retried || final.get(o.cartId).orderId !== o.orderId }))
  const result = {
    n,
    kind,
    round,
    orders: integrity.orders,
    failures: failures.length,
    failureSample: failures[0]?.error,
    duplicates: integrity.duplicateOrders + integrity.duplicateCaptures,
    withoutOrder: integrity.withoutOrder + failures.length,
    held: integrity.held,
    // Orders placed only by a retry: Medusa's own, the shopper pressing again after an error;
    // M-Pesa, the plugin's, after a first completion was rolled back.
    placedByRetry: placed.filter((o) => o.retried).length,
    throughput: throughput(placed.length, startedAt, Math.max(...placed.map((o) => o.createdAt))),
    latency: summarize(placed.map((o) => o.createdAt - o.startedAt)),
    lastOrderAfterS: Math.round((Math.max(...placed.map((o) => o.createdAt)) - startedAt) / 100) / 10,
    peakRssMb: Math.round(peakRss / 1048576),
  }
  if (kind === "mpesa") {
    const first = firstCallbacks()
    const refs = new Map(done.map((o) => [o.cartId, bench.sandbox.payment(o.sessionId)?.ref]))
    const ours = new Set(refs.values())
    result.callbacksDelivered = bench.sandbox.callbacks().filter((c) => ours.has(c.ref)).length
    result.callbackToOrder = summarize(placed.map((o) => o.createdAt - first.get(refs.get(o.cartId))).filter((ms) => Number.isFinite(ms)))
    result.pinDelayMs = PIN_DELAY_MS
  }
  bench.say(
    `burst ${n} ${kind}: ${result.orders} orders (${result.placedByRetry} by a retry), ${result.failures} failed, ${result.withoutOrder} without an order, ${result.held} held, ${result.duplicates} duplicates, ${result.throughput} orders/s, p95 ${result.latency.p95} ms, peak RSS ${result.peakRssMb} MB [${bench.elapsed()}]`
  )
  return result
}

export function burstSummary(runs) {
  return [...new Set(runs.map((r) => r.n))].map((n) => {
    const of = (kind) => runs.filter((r) => r.n === n && r.kind === kind)
    const rounds = of("mpesa").map((m) => ({ round: m.round, ratio: ratio(m.throughput, of("system").find((s) => s.round === m.round)?.throughput) }))
    return {
      n,
      throughput: { mpesa: spread(of("mpesa").map((r) => r.throughput)), system: spread(of("system").map((r) => r.throughput)) },
      ratio: spread(rounds.map((r) => r.ratio)),
      p95: { mpesa: spread(of("mpesa").map((r) => r.latency.p95)), system: spread(of("system").map((r) => r.latency.p95)) },
      duplicates: of("mpesa").reduce((sum, r) => sum + r.duplicates, 0) + of("system").reduce((sum, r) => sum + r.duplicates, 0),
      failures: [...of("mpesa"), ...of("system")].reduce((sum, r) => sum + r.failures, 0),
      withoutOrder: { mpesa: of("mpesa").reduce((sum, r) => sum + r.withoutOrder, 0), system: of("system").reduce((sum, r) => sum + r.withoutOrder, 0) },
      held: of("mpesa").reduce((sum, r) => sum + r.held, 0),
    }
  })
}

