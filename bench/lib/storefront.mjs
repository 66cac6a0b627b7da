// A storefront as the benchmarks drive it: the Store API calls of one checkout, each timed
// (wall time of the request as the storefront sees it, on the same machine as the server).

import { performance } from "node:perf_hooks"

export class StoreError extends Error {}

export function storefront(baseUrl, publishableKey) {
  async function call(method, path, body) {
    const started = performance.now()
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-publishable-api-key": publishableKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    const ms = performance.now() - started
    let data
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
    if (res.status >= 400) {
      throw new StoreError(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`)
    }
    return { data, ms }
  }

  return {
    /**
     * A cart ready to pay (item, Nairobi address, delivery, payment collection): the three
     * calls a storefront makes before its payment step. Returns the ids and the time spent.
     * `stock`: the seeded product that manages its inventory (true) or the one that does not.
     */
    async prepareCart(seed, email, { stock = true } = {}) {
      const created = await call("POST", "/store/carts", {
        region_id: seed.region.id,
        email,
        items: [{ variant_id: (stock ? seed.variant : seed.freeVariant).id, quantity: 1 }],
        shipping_address: {
          first_name: "Wanjiru",
          last_name: "Kamau",
          address_1: "Kenyatta Avenue 10",
          city: "Nairobi",
          postal_code: "00100",
          country_code: seed.countries[0],
          phone: "+254700000000",
        },
      })
      const cartId = created.data.cart.id
      const shipping = await call("POST", `/store/carts/${cartId}/shipping-methods`, { option_id: seed.shippingOption.id })
      const collection = await call("POST", "/store/payment-collections", { cart_id: cartId })
      return { cartId, collectionId: collection.data.payment_collection.id, ms: created.ms + shipping.ms + collection.ms }
    },

    /** The payment step: a session with `provider` (for M-Pesa, with the phone: this sends the prompt). */
    async pay(collectionId, provider, data) {
      const { data: body, ms } = await call("POST", `/store/payment-collections/${collectionId}/payment-sessions`, {
        provider_id: provider,
        ...(data ? { data } : {}),
      })
      const session = body.payment_collection.payment_sessions.find((s) => s.provider_id === provider)
      return { sessionId: session.id, ms }
    },

    /** What a "check your phone" page polls: the plugin's view of an M-Pesa payment session. */
    async mpesaStatus(sessionId) {
      const { data } = await call("GET", `/store/mpesa/payment-sessions/${sessionId}`)
      return data
    },

    /** Places the order (Medusa's own path), or returns the one the callback placed. */
    async complete(cartId) {
      const { data, ms } = await call("POST", `/store/carts/${cartId}/complete`)
      if (data.type !== "order") {
        throw new StoreError(`complete ${cartId} gave no order: ${JSON.stringify(data).slice(0, 300)}`)
      }
      return { orderId: data.order.id, ms }
    },
  }
}
