// 1 and 2. Callback → order through the plugin's route and Medusa's generic one, and the
// server time of a whole checkout against Medusa's own.

import { bench } from "../lib/context.mjs"
import { integrityOf, orders } from "../lib/orders.mjs"
import { sleep } from "../lib/processes.mjs"
import { ANSWER_AFTER_MS, answer, GATEWAYS, mpesaPay, store, systemCheckout } from "../lib/shopper.mjs"
import { percentile, ratio, spread, summarize } from "../lib/stats.mjs"

/**
 * Rounds of sequential checkouts, one at a time on an otherwise idle server: M-Pesa through
 * Lipia, Medusa's own, M-Pesa through Lipwa, … Each M-Pesa prompt is settled by the bench and
 * its callback sent to the plugin's route; the time from the sandbox starting that POST to
 * the order's created_at is the callback → order latency. Then the same kind of payments with
 * their callback sent to Medusa's generic /hooks/payment/{provider} route, started 400 ms
 * apart (each waits Medusa's 5 s webhook delay, so one at a time would take minutes).
 */
export async function callbackToOrder() {
  const samples = { plugin: { lipia: [], lipwa: [] }, generic: { lipia: [], lipwa: [] } }
  const cost = { mpesa: [], system: [] }
  const parts = { mpesa: [], system: [] }
  const rounds = []
  const cartIds = []
  for (let round = 0; round < bench.size.rounds; round++) {
    const mark = { plugin: { lipia: samples.plugin.lipia.length, lipwa: samples.plugin.lipwa.length }, generic: { lipia: samples.generic.lipia.length, lipwa: samples.generic.lipwa.length } }
    const costMark = { mpesa: cost.mpesa.length, system: cost.system.length }
    for (let i = 0; i < bench.size.perRound; i++) {
      for (const gateway of GATEWAYS) {
        const one = await settledThrough(gateway, "plugin")
        samples.plugin[gateway.name].push(one.latencyMs)
        cost.mpesa.push(one.serverMs)
        parts.mpesa.push(one.parts)
        cartIds.push(one.cartId)
        const plain = await systemCheckout()
        await orders.wait(plain.cartId)
        cost.system.push(plain.serverMs)
        parts.system.push(plain.parts)
        cartIds.push(plain.cartId)
      }
    }
    const generic = []
    let slot = 0
    // The generic route in the first round(s) only: its ratio is no goal any more, and each of
    // its rounds waits out Medusa's 5 s webhook delay and the shopper's polls (~25 s a round).
    for (let i = 0; i < (round < (bench.size.genericRounds ?? bench.size.rounds) ? bench.size.perRound : 0); i++) {
      for (const gateway of GATEWAYS) {
        const delay = slot++ * bench.size.genericGapMs
        generic.push(sleep(delay).then(() => settledThrough(gateway, "generic")).then((one) => ({ gateway, one })))
      }
    }
    for (const { gateway, one } of await Promise.all(generic)) {
      samples.generic[gateway.name].push(one.latencyMs)
      cartIds.push(one.cartId)
    }
    const slice = (path, name) => samples[path][name].slice(mark[path][name])
    const p50 = (values) => percentile(values, 50)
    rounds.push({
      round,
      lipia: ratio(p50(slice("generic", "lipia")), p50(slice("plugin", "lipia"))),
      lipwa: ratio(p50(slice("generic", "lipwa")), p50(slice("plugin", "lipwa"))),
      checkoutCost: ratio(p50(cost.mpesa.slice(costMark.mpesa)), p50(cost.system.slice(costMark.system))),
      complete: ratio(p50(parts.mpesa.slice(costMark.mpesa).map((p) => p.complete)), p50(parts.system.slice(costMark.system).map((p) => p.complete))),
    })
    bench.say(`callback → order, round ${round + 1}/${bench.size.rounds}: generic/plugin p50 lipia ×${rounds.at(-1).lipia ?? "–"}, lipwa ×${rounds.at(-1).lipwa ?? "–"}; checkout cost M-Pesa/system ×${rounds.at(-1).checkoutCost}; complete once the order exists / Medusa's own complete ×${rounds.at(-1).complete} [${bench.elapsed()}]`)
  }
  const integrity = await integrityOf(cartIds)
  const figures = {
    plugin: { lipia: summarize(samples.plugin.lipia), lipwa: summarize(samples.plugin.lipwa) },
    generic: { lipia: summarize(samples.generic.lipia), lipwa: summarize(samples.generic.lipwa) },
    ratio: {
      lipia: { p50: ratio(percentile(samples.generic.lipia, 50), percentile(samples.plugin.lipia, 50)), p95: ratio(percentile(samples.generic.lipia, 95), percentile(samples.plugin.lipia, 95)) },
      lipwa: { p50: ratio(percentile(samples.generic.lipwa, 50), percentile(samples.plugin.lipwa, 50)), p95: ratio(percentile(samples.generic.lipwa, 95), percentile(samples.plugin.lipwa, 95)) },
    },
    rounds: rounds.filter((r) => r.lipia !== undefined || r.lipwa !== undefined).map(({ round, lipia, lipwa }) => ({ round, lipia, lipwa })),
    spread: { lipia: spread(rounds.map((r) => r.lipia)), lipwa: spread(rounds.map((r) => r.lipwa)) },
    integrity,
    samples,
  }
  const costFigures = {
    mpesa: summarize(cost.mpesa),
    system: summarize(cost.system),
    ratio: {
      p50: ratio(percentile(cost.mpesa, 50), percentile(cost.system, 50)),
      p95: ratio(percentile(cost.mpesa, 95), percentile(cost.system, 95)),
      // The storefront's complete once the callback placed the order, against Medusa's whole complete (p50 each).
      complete: ratio(percentile(parts.mpesa.map((p) => p.complete), 50), percentile(parts.system.map((p) => p.complete), 50)),
    },
    rounds: rounds.map(({ round, checkoutCost, complete }) => ({ round, ratio: checkoutCost, complete })),
    spread: spread(rounds.map((r) => r.checkoutCost)),
    completeSpread: spread(rounds.map((r) => r.complete)),
    // Median of each step, so a reader sees which one differs.
    parts: Object.fromEntries(
      Object.entries(parts).map(([kind, list]) => [kind, Object.fromEntries(Object.keys(list[0]).map((step) => [step, summarize(list.map((p) => p[step])).p50]))])
    ),
  }
  return { figures, cost: costFigures }
}

/**
 * One M-Pesa checkout whose prompt the bench answers at once: its callback goes to the plugin's
 * route or to Medusa's generic one. Returns the callback → order latency and the server time
 * of the whole checkout (the storefront's requests, callback → order, and the storefront's
 * final complete), which leaves out the shopper's PIN entry.
 */
export async function settledThrough(gateway, path) {
  const paid = await mpesaPay(gateway.provider)
  const ref = await answer(paid, "lost", ANSWER_AFTER_MS)
  const url = path === "generic" ? `${bench.server.url}/hooks/payment/${gateway.provider.replace(/^pp_/, "")}` : undefined
  const delivery = await bench.sandbox.resendCallback(ref, url ? { url } : undefined)
  if (delivery.status !== 200) {
    throw new Error(`the ${path} route answered ${delivery.status ?? delivery.error} to a ${gateway.name} callback: ${delivery.responseBody ?? ""}`)
  }
  const order = path === "generic" ? await orderWhilePolling(paid) : await orders.wait(paid.cartId)
  const latencyMs = order.createdAt - Date.parse(delivery.at)
  const done = path === "plugin" ? await store().complete(paid.cartId) : { ms: 0 }
  const parts = { prepare: paid.prepareMs, pay: paid.payMs, callbackToOrder: latencyMs, complete: done.ms }
  return { cartId: paid.cartId, latencyMs, parts, serverMs: parts.prepare + parts.pay + parts.callbackToOrder + parts.complete }
}


/**
 * The generic route believes nothing it is sent: it asks the status API only when a request
 * slot is free at once (receive-generic-webhook.ts), so in a busy moment its webhook is noted
 * and nothing more, and the order comes when the shopper's "check your phone" page polls (the
 * poll asks once the prompt is 15 s old). The bench's shopper polls as that page does, every
 * 2 s once Medusa's 5 s webhook delay has passed, so such a payment is counted as late, not lost.
 */
async function orderWhilePolling(paid) {
  const placed = orders.wait(paid.cartId)
  let settled = false
  placed.then(
    () => (settled = true),
    () => (settled = true)
  )
  const poller = (async () => {
    await sleep(6000)
    while (!settled) {
      await store()
        .mpesaStatus(paid.sessionId)
        .catch(() => undefined)
      await sleep(2000)
    }
  })()
  const order = await placed
  await poller
  return order
}
