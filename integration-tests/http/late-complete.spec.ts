import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { eventually, LIPIA, LIPWA, openShop, ordersOfCart, useSandbox } from "../fixtures/mpesa"
import { prepareCart } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()

/**
 * The storefront's `complete` after an M-Pesa callback already placed the order (the documented
 * flow: poll until paid, then complete). The plugin answers it from the ledger with the order,
 * in the shape Medusa's own route answers a checkout it completes itself.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    describe("the storefront's complete once the callback placed the order", () => {
      it("answers with that order, in the shape Medusa's own route gives a checkout it completes", async () => {
        const { seed, store } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA, "pp_system_default"])
        const own = await prepareCart(store, seed, { quantity: 1 })
        await store.initiatePaymentSession(own.paymentCollectionId, "pp_system_default")
        const medusas = await store.complete(own.cart.id)
        expect(medusas.data.type).toBe("order")

        const { cart, paymentCollectionId } = await prepareCart(store, seed, { quantity: 1 })
        const started = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })
        const sessionId = started.data.payment_collection.payment_sessions[0].id
        const orderId = await eventually(async () => {
          const { data } = await api.get(`/store/mpesa/payment-sessions/${sessionId}`, { headers: { "x-publishable-api-key": seed.publishableKey } })
          return data.order_id as string | undefined
        })

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
        expect(completed.data.order.id).toBe(orderId)
        expect(Object.keys(completed.data.order).sort()).toEqual(Object.keys(medusas.data.order).sort())
        expect(completed.data.order.items.map((item: { variant_id: string }) => item.variant_id)).toEqual([seed.variant.id])
        expect(await ordersOfCart(getContainer(), cart.id)).toEqual([orderId])
      })

      it("answers a complete sent the moment the poll says paid with the one order the callback makes", async () => {
        const { seed, store } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA])
        const { cart, paymentCollectionId } = await prepareCart(store, seed, { quantity: 1 })
        const started = await store.initiatePaymentSession(paymentCollectionId, LIPWA, { phone_number: "0700000000" })
        const sessionId = started.data.payment_collection.payment_sessions[0].id
        await eventually(async () => {
          const { data } = await api.get(`/store/mpesa/payment-sessions/${sessionId}`, { headers: { "x-publishable-api-key": seed.publishableKey } })
          return data.status === "paid" ? data : undefined
        })

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
        const orders = await ordersOfCart(getContainer(), cart.id)
        expect(orders).toEqual([completed.data.order.id])
        const recorded = await eventually(async () => {
          const { data } = await api.get(`/store/mpesa/payment-sessions/${sessionId}`, { headers: { "x-publishable-api-key": seed.publishableKey } })
          return data.order_id as string | undefined
        })
        expect(recorded).toBe(completed.data.order.id)
      })

      it("leaves a cart whose payment is not decided to Medusa's route, which refuses it", async () => {
        const { seed, store } = await openShop(getContainer(), api, sandbox, [LIPIA])
        const { cart, paymentCollectionId } = await prepareCart(store, seed, { quantity: 1 })
        // A number the sandbox leaves unanswered (src/sandbox/magic-numbers.ts).
        await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(400)
        expect(await ordersOfCart(getContainer(), cart.id)).toEqual([])
      })
    })
  },
})
