// The shopper and the storefront as the benchmarks play them: one checkout of each kind, the
// prompt answered on the phone, and the phone numbers that pay.

import { randomUUID } from "node:crypto"

import { bench } from "./context.mjs"
import { orders } from "./orders.mjs"
import { sleep } from "./processes.mjs"
import { storefront } from "./storefront.mjs"

export const LIPIA = "pp_mpesa-lipia_lipia"
export const LIPWA = "pp_mpesa-lipwa_lipwa"
/** Medusa's own checkout's provider: `pp_system_default`, or the capturing control (`--own-captures`). */
export let SYSTEM = "pp_system_default"
/** bench/app/src/modules/capture-at-once: `pp_system_default`, capturing as it authorizes, as every M-Pesa payment does. */
export const CAPTURE_AT_ONCE = "pp_capture-at-once_capture"
/** Medusa's own checkout pays through `provider` from now on (the server must offer it). */
export function useOwnProvider(provider) {
  SYSTEM = provider
}
export const GATEWAYS = [
  { name: "lipia", provider: LIPIA },
  { name: "lipwa", provider: LIPWA },
]
/** How long a shopper takes to answer the prompt in the sustained run (the simulated PIN entry). */
export const PIN_DELAY_MS = 500
/**
 * In the latency runs the prompt is answered this soon: faster than any person, yet not
 * faster than Lipwa's limiter lets the callback's status request follow the push (one request
 * per 112 ms per key), which would measure that wait rather than the callback's path.
 */
export const ANSWER_AFTER_MS = 200
/**
 * Every checkout pays from its own phone number, as real shoppers do: the plugin starts one
 * phone's prompts one at a time by design (never two prompts on one phone), so a thousand
 * checkouts from one magic number would measure that queue. The sandbox runs in manual mode:
 * these numbers wait until the bench answers them, with the callback it chooses.
 */
let phones = 0
export const nextPhone = () => `0712${String(++phones).padStart(6, "0")}`

export const store = () => storefront(bench.server.url, bench.seed.publishableKey)
const email = () => `bench-${randomUUID()}@example.com`

/** A few checkouts of each kind before anything is measured: code paths loaded, caches filled. */
export async function warmUp(providers) {
  for (let i = 0; i < bench.size.warmup; i++) {
    for (const provider of providers) {
      if (provider === SYSTEM) {
        await systemCheckout()
      } else {
        const paid = await mpesaPay(provider)
        await answer(paid, "send")
        await orders.wait(paid.cartId)
      }
    }
  }
}

/** Medusa's own checkout: prepare, a pp_system_default session, complete. */
export async function systemCheckout() {
  const startedAt = Date.now()
  const s = store()
  const cart = await s.prepareCart(bench.seed, email())
  const paid = await s.pay(cart.collectionId, SYSTEM)
  const { done, tries } = await completeAsShopper(s, cart.cartId)
  const parts = { prepare: cart.ms, pay: paid.ms, complete: done.ms }
  return { cartId: cart.cartId, startedAt, parts, serverMs: parts.prepare + parts.pay + parts.complete, retried: tries > 1 }
}

/**
 * The storefront's complete call, pressed again when it fails, as a shopper would (and as the
 * plugin retries a paid cart's completion): 3 tries, 2 s and 4 s apart. Under a burst, carts
 * of one product queue on Medusa's inventory lock and time out there.
 */
export async function completeAsShopper(s, cartId) {
  for (let tries = 1; ; tries++) {
    try {
      return { done: await s.complete(cartId), tries }
    } catch (error) {
      if (tries >= 3) {
        throw error
      }
      await sleep(2000 * tries)
    }
  }
}

/**
 * `n` carts ready to pay (the storefront's steps before its payment step): the payment-phase
 * burst's, the sustained run's and recovery's set-up, not timed. `stock`: carts of the product
 * that manages its inventory (true) or of the one that does not (false, the default: the
 * headline's). Taken from the pool of carts the database was copied with
 * (bench/lib/store-database.mjs, cartsTemplate), each once, of the kind asked; more are prepared
 * through the Store API, `concurrency` at a time, only if the pool runs out. Each comes with a
 * storefront to pay it.
 */
export async function prepareCarts(n, { stock = false, concurrency = 6 } = {}) {
  const pool = bench.cartPool ?? []
  const carts = []
  for (let i = 0; i < pool.length && carts.length < n; ) {
    if (!!pool[i].stock === stock) {
      carts.push({ ...pool.splice(i, 1)[0], store: store() })
    } else {
      i++
    }
  }
  let left = n - carts.length
  await Promise.all(
    Array.from({ length: Math.min(concurrency, left) }, async () => {
      while (left > 0) {
        left -= 1
        const s = store()
        const cart = await s.prepareCart(bench.seed, email(), { stock })
        carts.push({ cartId: cart.cartId, collectionId: cart.collectionId, stock, store: s })
      }
    })
  )
  return carts
}

/** An M-Pesa checkout up to the prompt: prepare, then the session with a phone of its own. */
export async function mpesaPay(provider) {
  const startedAt = Date.now()
  const s = store()
  const cart = await s.prepareCart(bench.seed, email())
  const paid = await s.pay(cart.collectionId, provider, { phone_number: nextPhone() })
  return { cartId: cart.cartId, sessionId: paid.sessionId, startedAt, prepareMs: cart.ms, payMs: paid.ms }
}

/** The shopper enters the PIN: the prompt succeeds, and its callback is sent, sent twice, or lost. */
export async function answer(paid, callback, afterMs = 0) {
  await sleep(afterMs)
  const ref = bench.sandbox.payment(paid.sessionId).ref
  await bench.sandbox.settle(ref, "success", { callback })
  return ref
}

