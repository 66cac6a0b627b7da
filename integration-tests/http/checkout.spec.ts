import path from "node:path"

import { refundPaymentsWorkflow } from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { eventually, LIPIA, LIPIA_MANUAL_REFUNDS, LIPIA_STRICT, LIPWA, useSandbox, openShop } from "../fixtures/mpesa"
import { adminHeaders, prepareCart, seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()
const PROVIDERS = [LIPIA, LIPWA, LIPIA_STRICT, LIPIA_MANUAL_REFUNDS]

/**
 * Real Medusa, real PostgreSQL, the built plugin, the sandbox: a shopper's checkout through
 * the Store API, from payment session to order.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>

    beforeEach(async () => {
      ;({ seed, store } = await openShop(getContainer(), api, sandbox, PROVIDERS))
    })

    async function startPayment(providerId: string, data: Record<string, unknown>, quantity = 2) {
      const { cart, paymentCollectionId } = await prepareCart(store, seed, { quantity })
      const response = await store.initiatePaymentSession(paymentCollectionId, providerId, data)
      return { cart, paymentCollectionId, response }
    }

    function sessionOf(response: { data: { payment_collection: { payment_sessions: any[] } } }) {
      return response.data.payment_collection.payment_sessions[0]
    }

    const settled = (reference: string) => sandbox().waitFor(() => sandbox().payment(reference)?.status !== "pending")
    /**
     * What a storefront does before it completes the cart (docs/storefront.md): poll the plugin
     * until the payment is no longer pending. `complete` authorizes from what the plugin recorded.
     */
    const decided = (store: ReturnType<typeof storeApi>, publishableKey: string, sessionId: string) =>
      eventually(async () => {
        const { data } = await api.get(`/store/mpesa/payment-sessions/${sessionId}`, { headers: { "x-publishable-api-key": publishableKey } })
        return data.status !== "pending" ? data : undefined
      })

    async function orderPayments(orderId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "status", "payment_collections.payments.*", "payment_collections.payments.captures.*", "payment_collections.payments.refunds.*"],
        filters: { id: orderId },
      })
      return data[0].payment_collections.flatMap((collection: any) => collection.payments)
    }

    it("lists both M-Pesa providers for the KES region", async () => {
      const response = await store.listPaymentProviders(seed.region.id)

      expect(response.status).toBe(200)
      expect(response.data.payment_providers.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([LIPIA, LIPWA]))
    })

    describe.each([
      ["Lipia", LIPIA],
      ["Lipwa", LIPWA],
    ])("through %s", (_name, providerId) => {
      it("turns an approved prompt into an order whose payment is captured with its M-Pesa receipt", async () => {
        const { cart, response } = await startPayment(providerId, { phone_number: "0700000000" })
        expect(response.status).toBe(200)
        const session = sessionOf(response)
        expect(session).toMatchObject({ provider_id: providerId, status: "pending" })
        expect(session.data).toMatchObject({ state: "pending", phone_number: "2547******00", amount_requested: cart.total })
        await decided(store, seed.publishableKey, session.id)

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
        const push = sandbox().payment(session.data.reference)!
        expect(push.amount).toBe(cart.total)
        const [payment] = await orderPayments(completed.data.order.id)
        expect(payment.captured_at).toBeTruthy()
        expect(payment.captures).toHaveLength(1)
        expect(payment.data).toMatchObject({ state: "paid", receipt: push.receipt, amount_paid: cart.total })
      })

      it("refuses to complete while the prompt is unanswered, and leaves the cart open", async () => {
        const { cart, response } = await startPayment(providerId, { phone_number: "0700000010" })

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(400)
        const after = await store.getCart(cart.id)
        expect(after.data.cart.completed_at).toBeFalsy()
        expect(after.data.cart.payment_collection.payment_sessions[0]).toMatchObject({ id: sessionOf(response).id, status: "pending" })
      })
    })

    describe.each([
      ["cancelled on the phone", "0700000001", /cancelled/],
      ["timed out", "0700000002", /timed out/],
      ["refused for insufficient funds", "0700000003", /balance/],
    ])("a prompt %s", (_case, phone, message) => {
      it("marks the session as failed with the shopper message, and a new attempt can pay", async () => {
        const { cart, paymentCollectionId, response } = await startPayment(LIPIA, { phone_number: phone })
        await decided(store, seed.publishableKey, sessionOf(response).id)

        const completed = await store.complete(cart.id)

        expect(completed.status).toBe(400)
        const failed = (await store.getCart(cart.id)).data.cart.payment_collection.payment_sessions[0]
        expect(failed.status).toBe("error")
        expect(failed.data.message).toMatch(message)

        const retry = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })
        expect(retry.status).toBe(200)
        await decided(store, seed.publishableKey, sessionOf(retry).id)
        const second = await store.complete(cart.id)
        expect(second.status).toBe(200)
        expect(second.data.type).toBe("order")
      })
    })

    describe("bad input gets a clear 400 and no prompt", () => {
      it.each([
        ["an invalid phone", { phone_number: "0812 345 678" }, "MPESA_INVALID_PHONE", /valid Safaricom/],
        ["an Airtel phone", { phone_number: "0733 123 456" }, "MPESA_NOT_SAFARICOM", /Airtel/],
        ["no phone", {}, "MPESA_MISSING_PHONE", /phone number/],
      ])("%s", async (_case, data, code, message) => {
        const { response } = await startPayment(LIPIA, data)

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ type: "invalid_data", code, message: expect.stringMatching(message) })
        expect(sandbox().payments()).toHaveLength(0)
      })

      it("a region in euros", async () => {
        const euro = await seedStore(getContainer(), {
          paymentProviders: PROVIDERS,
          currencyCode: "eur",
          regionName: "Europe",
          countries: ["de"],
        })
        const euroStore = storeApi(api, euro.publishableKey)
        const { paymentCollectionId } = await prepareCart(euroStore, euro, { quantity: 1 })

        const response = await euroStore.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ code: "MPESA_UNSUPPORTED_CURRENCY", message: expect.stringMatching(/KES/) })
        expect(sandbox().payments()).toHaveLength(0)
      })

      it("less than KES 10 through Lipwa", async () => {
        const cheap = await seedStore(getContainer(), { paymentProviders: PROVIDERS, productPrice: 5, withShipping: false })
        const cheapStore = storeApi(api, cheap.publishableKey)
        const { paymentCollectionId } = await prepareCart(cheapStore, cheap, { quantity: 1, shipping: false })

        const response = await cheapStore.initiatePaymentSession(paymentCollectionId, LIPWA, { phone_number: "0700000000" })

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ code: "MPESA_AMOUNT_TOO_SMALL", message: expect.stringMatching(/KES 10/) })
        expect(sandbox().payments()).toHaveLength(0)
      })
    })

    describe("a fractional total (KES 99.50)", () => {
      let fractional: Awaited<ReturnType<typeof seedStore>>
      let fractionalStore: ReturnType<typeof storeApi>

      beforeEach(async () => {
        fractional = await seedStore(getContainer(), { paymentProviders: PROVIDERS, productPrice: 99.5, withShipping: false })
        fractionalStore = storeApi(api, fractional.publishableKey)
      })

      it("is rounded up to KES 100 by default, and the order completes", async () => {
        const { cart, paymentCollectionId } = await prepareCart(fractionalStore, fractional, { quantity: 1, shipping: false })
        expect(cart.total).toBe(99.5)

        const response = await fractionalStore.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })

        expect(response.status).toBe(200)
        const session = sessionOf(response)
        expect(session.data).toMatchObject({ amount_requested: 100, amount_due: 99.5 })
        expect(sandbox().payment(session.data.reference)!.amount).toBe(100)
        await decided(fractionalStore, fractional.publishableKey, session.id)
        const completed = await fractionalStore.complete(cart.id)
        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
      })

      it("is refused by a provider configured with amountRounding: reject", async () => {
        const { paymentCollectionId } = await prepareCart(fractionalStore, fractional, { quantity: 1, shipping: false })

        const response = await fractionalStore.initiatePaymentSession(paymentCollectionId, LIPIA_STRICT, { phone_number: "0700000000" })

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ code: "MPESA_FRACTIONAL_AMOUNT", message: expect.stringMatching(/99\.50/) })
        expect(sandbox().payments()).toHaveLength(0)
      })
    })

    describe("after the order", () => {
      async function paidOrder(providerId: string) {
        const { cart, response } = await startPayment(providerId, { phone_number: "0700000000" }, 1)
        await decided(store, seed.publishableKey, sessionOf(response).id)
        const completed = await store.complete(cart.id)
        const orderId: string = completed.data.order.id
        const [payment] = await orderPayments(orderId)
        return { orderId, payment }
      }

      async function admin(method: "get" | "post", url: string, body?: unknown) {
        const config = { headers: await adminHeaders(getContainer()), validateStatus: () => true }
        return method === "get" ? api.get(url, config) : api.post(url, body ?? {}, config)
      }

      async function orderStatus(orderId: string) {
        return (await admin("get", `/admin/orders/${orderId}?fields=status`)).data.order.status
      }

      it("refuses a refund and tells the merchant to reverse it in the M-Pesa portal", async () => {
        const { orderId, payment } = await paidOrder(LIPWA)

        const response = await admin("post", `/admin/payments/${payment.id}/refund`, { amount: 100 })

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ code: "MPESA_REFUND_NOT_SUPPORTED" })
        expect(response.data.message).toMatch(/M-Pesa portal/)
        expect(response.data.message).toContain(payment.data.receipt)
        expect(response.data.message).toContain(`see "Refunds" in the M-Pesa plugin's README`)
        expect(response.data.message).not.toMatch(/manualRefunds|mpesa-lipwa/)
        const [after] = await orderPayments(orderId)
        expect(after.refunds ?? []).toHaveLength(0)
      })

      it("does not cancel a paid order as a silent success: it says the payment must be reversed first", async () => {
        const { orderId, payment } = await paidOrder(LIPWA)

        const response = await admin("post", `/admin/orders/${orderId}/cancel`)

        expect(response.status).toBe(400)
        expect(response.data).toMatchObject({ code: "MPESA_REFUND_REQUIRED" })
        expect(response.data.message).toMatch(/M-Pesa portal/)
        expect(response.data.message).toContain(payment.data.receipt)
        // In a shop owner's words: the amount as KES 1,234 and the README's section, no option name.
        expect(response.data.message).toContain(`KES ${Number(payment.amount).toLocaleString("en-KE")} (M-Pesa receipt ${payment.data.receipt})`)
        expect(Number(payment.amount)).toBeGreaterThanOrEqual(1000)
        expect(response.data.message).toContain(`see "Refunds" in the M-Pesa plugin's README`)
        expect(response.data.message).not.toMatch(/manualRefunds/)
        expect(await orderStatus(orderId)).not.toBe("canceled")
        const [after] = await orderPayments(orderId)
        expect(after.refunds ?? []).toHaveLength(0)
      })

      it("with manualRefunds, records a refund reversed by hand, and then the order can be cancelled", async () => {
        const { orderId, payment } = await paidOrder(LIPIA_MANUAL_REFUNDS)

        const refund = await admin("post", `/admin/payments/${payment.id}/refund`, { amount: payment.amount, note: "Reversed in the portal" })
        expect(refund.status).toBe(200)
        const [refunded] = await orderPayments(orderId)
        expect(refunded.refunds).toHaveLength(1)
        expect(refunded.data.refunds).toEqual([expect.objectContaining({ amount: payment.amount, note: expect.stringMatching(/M-Pesa portal/) })])

        const cancel = await admin("post", `/admin/orders/${orderId}/cancel`)

        expect(cancel.status).toBe(200)
        expect(await orderStatus(orderId)).toBe("canceled")
      })
      it("with manualRefunds, refuses a refund Medusa starts by itself (its compensation) and flags it, recording nothing", async () => {
        const { orderId, payment } = await paidOrder(LIPIA_MANUAL_REFUNDS)

        // What compensate-payment-if-needed runs when a paid cart fails to become an order. Its
        // step logs a provider's refusal and carries on (core-flows refund-payments.js), so the
        // proof is what was recorded: no refund, and the flag.
        await refundPaymentsWorkflow(getContainer()).run({ input: [{ payment_id: payment.id, amount: payment.amount }] })

        const [after] = await orderPayments(orderId)
        expect(after.refunds ?? []).toHaveLength(0)
        expect(after.data.refunds ?? []).toHaveLength(0)
        const [attempt] = await eventually(async () => {
          const rows = await (getContainer().resolve("mpesa") as any).listMpesaAttempts({ reference: payment.data.reference })
          return rows[0]?.refund_refused ? rows : undefined
        })
        expect(attempt).toMatchObject({ state: "paid", receipt: payment.data.receipt, refund_refused: true })
      })
    })

    describe("callbacks posted to Medusa's generic webhook route", () => {
      async function postGeneric(providerId: string, body: unknown) {
        const eventBus = getContainer().resolve(Modules.EVENT_BUS)
        const handled = TestEventUtils.waitSubscribersExecution("payment.webhook_received", eventBus as any, { timeout: 20_000 })
        const response = await api.post(`/hooks/payment/${providerId.replace(/^pp_/, "")}`, body)
        await handled
        return response
      }

      it("ignore a forged 'Success' that the status API does not confirm", async () => {
        const { cart, response } = await startPayment(LIPIA, { phone_number: "0700000010" })
        const session = sessionOf(response)
        const forged = {
          response: {
            Amount: cart.total,
            ExternalReference: session.id,
            MpesaReceiptNumber: "FORGED0001",
            Phone: "254700000010",
            ResultCode: 0,
            ResultDesc: "The service request is processed successfully.",
            Status: "Success",
          },
          status: true,
        }

        await postGeneric(LIPIA, forged)

        const after = (await store.getCart(cart.id)).data.cart
        expect(after.completed_at).toBeFalsy()
        expect(after.payment_collection.payment_sessions[0].status).toBe("pending")
      })

      it("complete the cart for a callback the status API confirms", async () => {
        const { cart, response } = await startPayment(LIPWA, { phone_number: "0700000005" })
        const session = sessionOf(response)
        await settled(session.data.reference)
        const push = sandbox().payment(session.data.reference)!
        // The magic number lost the real callback; deliver the one Lipwa would have sent.
        const body = {
          status: "payment.success",
          transaction_id: `TR_${push.receipt}`,
          checkout_id: push.checkoutRequestId,
          amount: push.amountPaid,
          phone_number: push.phone,
          mpesa_code: push.receipt,
          api_ref: session.id,
          payment_date: push.settledAt,
        }

        await postGeneric(LIPWA, body)

        // The plugin asks the status API from the ledger, then settles the payment on its own event.
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const data = await eventually(async () => {
          const { data } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cart.id } })
          return data.length ? data : undefined
        })
        expect(data).toHaveLength(1)
        // The order is linked a moment before its payment's capture is recorded.
        const [payment] = await eventually(async () => {
          const payments = await orderPayments(data[0].order_id)
          return payments[0]?.captured_at ? payments : undefined
        })
        expect(payment.captured_at).toBeTruthy()
        expect(payment.data.receipt).toBe(push.receipt)
      })
    })
  },
})
