import path from "node:path"

import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { callbackSignature } from "../../src/lib/callback-url"
import { eventually, LIPIA, LIPWA, startMpesaPayment, useSandbox, useTestEnv, openShop } from "../fixtures/mpesa"
import { prepareCart, seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()
const SECRET = "integration-tests-callback-secret-0123456789"
// Three prompts per phone per five minutes, as a merchant's default store has.
useTestEnv({ MPESA_TEST_PHONE_LIMIT: "3" })

/**
 * Never two prompts on one phone for one cart, and every prompt findable after Medusa replaced
 * its session: the guard, the ledger and the callback route on a real store.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>

    beforeEach(async () => {
      ;({ seed, store } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const startPayment = (providerId: string, phone: string) => startMpesaPayment(store, seed, providerId, phone)
    const ledger = () => getContainer().resolve("mpesa") as any
    const headers = () => ({ "x-publishable-api-key": seed.publishableKey })

    async function sessionsOf(collectionId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "payment_session", fields: ["id"], filters: { payment_collection_id: collectionId } })
      return data
    }

    /** The shopper adds an item: Medusa deletes the collection's sessions (a real DELETE). */
    async function changeCart(cartId: string, collectionId: string) {
      const added = await api.post(`/store/carts/${cartId}/line-items`, { variant_id: seed.variant.id, quantity: 1 }, { headers: headers() })
      expect(added.status).toBe(200)
      expect(await sessionsOf(collectionId)).toHaveLength(0)
    }

    it("refuses a second session while the first prompt is live, with a retry_after", async () => {
      const { paymentCollectionId } = await startPayment(LIPIA, "0700000010")

      const second = await store.initiatePaymentSession(paymentCollectionId, LIPWA, { phone_number: "0700000000" })

      expect(second.status).toBe(409)
      expect(second.data).toMatchObject({ code: "MPESA_PAYMENT_IN_PROGRESS", retry_after: expect.any(Number) })
      expect((second.data as any).retry_after).toBeGreaterThan(100)
      expect(second.headers["retry-after"]).toBe(String((second.data as any).retry_after))
      expect(sandbox().payments()).toHaveLength(1)
    })

    it("lets a new attempt start as soon as the status API says the live one failed", async () => {
      const { paymentCollectionId, reference } = await startPayment(LIPIA, "0700000010")
      await sandbox().settle(reference, "cancelled", { callback: "lost" })

      const second = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000011" })

      expect(second.status).toBe(200)
      expect(sandbox().payments()).toHaveLength(2)
      const rows = await ledger().listMpesaAttempts({ payment_collection_id: paymentCollectionId }, { order: { pushed_at: "ASC" } })
      expect(rows.map((r: any) => r.state)).toEqual(["failed", "pending"])
    })

    it.each([1, 2, 3])("three simultaneous Pay requests for one cart send one prompt (round %i)", async () => {
      const { paymentCollectionId } = await prepareCart(store, seed, { quantity: 1 })

      const answers = await Promise.all(
        [0, 1, 2].map(() => store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" }))
      )

      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409])
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect((refused.data as any).code).toBe("MPESA_PAYMENT_IN_PROGRESS")
      }
      expect(sandbox().payments()).toHaveLength(1)
      expect(await ledger().listMpesaAttempts({ payment_collection_id: paymentCollectionId })).toHaveLength(1)
    })

    it("still refuses a new prompt after the cart changed, while the replaced one is live", async () => {
      const { cart, paymentCollectionId } = await startPayment(LIPIA, "0700000010")
      await changeCart(cart.id, paymentCollectionId)

      const again = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })

      expect(again.status).toBe(409)
      expect((again.data as any).code).toBe("MPESA_PAYMENT_IN_PROGRESS")
      expect(sandbox().payments()).toHaveLength(1)
    })

    it("records a replaced session's late payment with its receipt, flags it, and refuses to charge again", async () => {
      const { cart, session, paymentCollectionId, reference } = await startPayment(LIPIA, "0700000010")
      await changeCart(cart.id, paymentCollectionId)

      // The shopper pays the old prompt; its correctly signed callback arrives.
      await sandbox().settle(reference, "success")
      const [delivery] = await eventually(async () => (sandbox().callbacks().length ? sandbox().callbacks() : undefined))

      expect(delivery).toMatchObject({ ref: reference, status: 200, responseBody: "ok" })
      const [attempt] = await eventually(async () => {
        const rows = await ledger().listMpesaAttempts({ session_id: session.id })
        return rows[0]?.paid_without_order ? rows : undefined
      })
      expect(attempt).toMatchObject({ state: "paid", receipt: sandbox().payment(reference)!.receipt, order_id: null, paid_without_order: true })

      const poll = await api.get(`/store/mpesa/payment-sessions/${session.id}`, { headers: headers() })
      expect(poll.data).toMatchObject({ status: "paid", receipt: attempt.receipt, message: expect.stringMatching(/do not pay again/) })

      const again = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })
      expect(again.status).toBe(409)
      expect((again.data as any).code).toBe("MPESA_PAYMENT_RECEIVED")
      expect(sandbox().payments()).toHaveLength(1)
    })

    it("limits prompts to one phone across carts (three per five minutes)", async () => {
      for (let i = 0; i < 3; i++) {
        const { reference } = await startPayment(LIPIA, "0700000010")
        await sandbox().settle(reference, "cancelled", { callback: "lost" })
      }
      const { paymentCollectionId } = await prepareCart(store, seed, { quantity: 1 })

      const fourth = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700 000 010" })

      expect(fourth.status).toBe(429)
      expect(fourth.data).toMatchObject({ code: "MPESA_TOO_MANY_PROMPTS", retry_after: expect.any(Number) })
      expect(sandbox().payments()).toHaveLength(3)
      const other = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000011" })
      expect(other.status).toBe(200)
    })

    it("lets no outside request make the plugin call the status API", async () => {
      const { session } = await startPayment(LIPWA, "0700000010")
      sandbox().reset()
      const internal = {
        "x-mpesa-recheck-session": session.id,
        "x-mpesa-session-id": session.id,
        "x-mpesa-signature": callbackSignature(SECRET, "lipwa", session.id),
      }

      const genericHandled = TestEventUtils.waitSubscribersExecution("payment.webhook_received", getContainer().resolve(Modules.EVENT_BUS) as any)
      const answers = await Promise.all([
        api.post(`/hooks/mpesa/lipwa`, {}, { headers: internal, validateStatus: () => true }),
        api.post(`/hooks/mpesa/lipwa?session_id=${session.id}`, {}, { headers: internal, validateStatus: () => true }),
        api.post(`/hooks/payment/mpesa-lipwa_lipwa`, {}, { headers: internal, validateStatus: () => true }),
      ])
      // Medusa's generic route acts 5 s later, in its subscriber: wait for that to have run.
      await genericHandled

      expect(answers.map((a) => a.status)).toEqual([401, 401, 200])
      expect(sandbox().requests()).toEqual([])
    })
  },
})
