import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { callbackSignature } from "../../src/lib/callback-url"
import { writeAttemptColumns } from "../../src/modules/mpesa/ledger"
import { eventually, expectOneOrderOneCapture, LIPIA, LIPWA, recoverMpesaPayments, startMpesaPayment, useSandbox, openShop } from "../fixtures/mpesa"
import { adminHeaders, prepareCart, seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()
const SECRET = "integration-tests-callback-secret-0123456789"
const SYSTEM = "pp_system_default"

/**
 * The edges where a shilling could go unrecorded or unseen (issue 18): a push whose answer was
 * lost, a second payment for a paid cart, the merchant's resolution, one bad row in recovery,
 * outsiders spending the status-API budget, planted session data, the callback route as an
 * oracle. Each of these failed on the code before it.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ seed, store, headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA, SYSTEM]))
    })

    const ledger = () => getContainer().resolve("mpesa") as any
    const admin = (method: "get" | "post", url: string, body?: unknown) =>
      method === "get" ? api.get(url, { headers, validateStatus: () => true }) : api.post(url, body ?? {}, { headers, validateStatus: () => true })
    const poll = (sessionId: string) =>
      api.get(`/store/mpesa/payment-sessions/${sessionId}`, { headers: { "x-publishable-api-key": seed.publishableKey }, validateStatus: () => true })

    async function ordersOf(cartId: string): Promise<string[]> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return data.map((row: { order_id: string }) => row.order_id)
    }

    async function rowOf(filters: Record<string, unknown>, until: (row: any) => boolean = () => true, timeoutMs = 15_000) {
      return eventually(async () => {
        const [row] = await ledger().listMpesaAttempts(filters)
        return row && until(row) ? row : undefined
      }, timeoutMs)
    }

    const statusCalls = (reference: string) =>
      sandbox()
        .requests()
        .filter((r) => r.method === "GET" && /status/.test(r.path) && Object.values(r.query).includes(reference)).length

    describe("a push whose answer is lost (the gateway accepted it after our timeout)", () => {
      /** A paying prompt whose push answer comes after the test store's 5 s timeout. */
      async function lostAnswer(api: "lipia" | "lipwa") {
        const { cart, paymentCollectionId } = await prepareCart(store, seed)
        sandbox().injectFault({ api, path: api === "lipia" ? "/payments/stk-push" : "/payments", mode: "delay", delayMs: 6_500 })
        const started = await store.initiatePaymentSession(paymentCollectionId, api === "lipia" ? LIPIA : LIPWA, { phone_number: "0700000000" })
        expect(started.status).toBe(200)
        return { cart, paymentCollectionId, session: started.data.payment_collection!.payment_sessions![0] as any }
      }

      it("Lipwa: the callback still finds the attempt, the status API confirms it by the callback's checkout id, and the order is placed", async () => {
        const { cart, paymentCollectionId, session } = await lostAnswer("lipwa")

        expect(session.data).toMatchObject({ state: "pushing", push_unconfirmed: true, message: expect.stringMatching(/may still appear/) })
        expect((await poll(session.id)).data).toMatchObject({ status: "pending", message: expect.stringMatching(/may still appear/) })
        // A new prompt waits until the first can no longer be live.
        const again = await store.initiatePaymentSession(paymentCollectionId, LIPWA, { phone_number: "0700000000" })
        expect([again.status, again.data.code]).toEqual([409, "MPESA_PAYMENT_IN_PROGRESS"])

        const [orderId] = await eventually(async () => ((await ordersOf(cart.id)).length ? ordersOf(cart.id) : undefined), 30_000)
        const [payment] = sandbox().payments()
        const row = await rowOf({ session_id: session.id }, (r) => !!r.order_id)
        expect(row).toMatchObject({ state: "paid", reference: payment.checkoutRequestId, receipt: payment.receipt, order_id: orderId, unverified: false })
        expect(await ordersOf(cart.id)).toHaveLength(1)
      })

      it("Lipia: the payment is recorded with the callback's receipt, marked unverified and held for the merchant; the cart takes no new prompt", async () => {
        const { cart, paymentCollectionId, session } = await lostAnswer("lipia")

        const row = await rowOf({ session_id: session.id }, (r) => r.unverified, 30_000)
        const [payment] = sandbox().payments()
        expect(row).toMatchObject({ receipt: payment.receipt, amount_paid: cart.total, reference: null, order_id: null })
        expect(await ordersOf(cart.id)).toHaveLength(0)
        expect((await poll(session.id)).data).toMatchObject({ status: "paid", message: expect.stringMatching(/store has been notified/) })
        const again = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })
        expect([again.status, again.data.code]).toEqual([409, "MPESA_PAYMENT_RECEIVED"])
        const attention = await admin("get", "/admin/mpesa/attempts?flag=needs_attention")
        expect(attention.data.attempts).toEqual([expect.objectContaining({ id: row.id, attention: [expect.objectContaining({ flag: "unverified" })] })])
      })

      it("Lipia: the merchant accepts the unverified claim after checking the portal — the cart becomes one order, paid once, attested by them; a second acceptance is refused", async () => {
        const { cart, session } = await lostAnswer("lipia")
        const row = await rowOf({ session_id: session.id }, (r) => r.unverified, 30_000)

        expect((await admin("post", `/admin/mpesa/attempts/${row.id}/accept`, {})).status).toBe(400)
        const accepted = await admin("post", `/admin/mpesa/attempts/${row.id}/accept`, { note: "Seen in the Lipia portal; customer 0712 345 678 called" })
        expect(accepted.status).toBe(200)
        expect(accepted.data.attempt).toMatchObject({ state: "paid", attested: true })
        const [orderId] = await eventually(async () => {
          const orders = await ordersOf(cart.id)
          return orders.length ? orders : undefined
        })
        await expectOneOrderOneCapture(getContainer(), orderId)
        const after = await rowOf({ id: row.id }, (r) => !!r.order_id)
        expect(after).toMatchObject({ state: "paid", unverified: false, attested: true, attested_by: expect.any(String), order_id: orderId, paid_twice: false })
        expect(after.attestation_note).not.toMatch(/345 ?678/)

        const again = await admin("post", `/admin/mpesa/attempts/${row.id}/accept`, { note: "again" })
        expect([again.status, again.data.code]).toEqual([409, "MPESA_CLAIM_NOT_ACCEPTABLE"])
        const attention = await admin("get", "/admin/mpesa/attempts?flag=needs_attention")
        expect(attention.data.attempts.map((a: any) => a.id)).not.toContain(row.id)
      })

      it("Lipia: an unverified claim the merchant resolved stays final — it cannot be accepted, and nothing is paid", async () => {
        const { cart, session } = await lostAnswer("lipia")
        const row = await rowOf({ session_id: session.id }, (r) => r.unverified, 30_000)
        expect((await admin("post", `/admin/mpesa/attempts/${row.id}/resolve`, { note: "reversed in the portal" })).status).toBe(200)
        const accepted = await admin("post", `/admin/mpesa/attempts/${row.id}/accept`, { note: "changed my mind" })
        expect([accepted.status, accepted.data.code]).toEqual([409, "MPESA_CLAIM_NOT_ACCEPTABLE"])
        expect(accepted.data.message).toMatch(/resolution is final/)
        expect(await ordersOf(cart.id)).toHaveLength(0)
      })
    })

    it.each([
      ["Lipia", LIPIA],
      ["Lipwa", LIPWA],
    ])("%s: a prompt paid after the cart was paid by another method is flagged paid_twice, under needs attention", async (_name, providerId) => {
      const { cart, paymentCollectionId, session, reference } = await startMpesaPayment(store, seed, providerId, "0700000010")
      expect((await store.initiatePaymentSession(paymentCollectionId, SYSTEM)).status).toBe(200)
      const completed = await store.complete(cart.id)
      expect(completed.status).toBe(200)
      const orderId = (completed.data as any).order.id

      await sandbox().settle(reference, "success")

      const row = await rowOf({ session_id: session.id }, (r) => r.paid_twice)
      expect(row).toMatchObject({ state: "paid", order_id: orderId, paid_twice: true, session_id: session.id })
      expect(await ordersOf(cart.id)).toEqual([orderId])
      const attention = await admin("get", "/admin/mpesa/attempts?flag=needs_attention")
      expect(attention.data.attempts).toEqual([expect.objectContaining({ id: row.id, attention: [expect.objectContaining({ flag: "paid_twice" })] })])
      expect((await poll(session.id)).data).toMatchObject({ status: "paid", message: expect.stringMatching(/already been paid/) })
      const csv = await admin("get", "/admin/mpesa/attempts/export")
      expect(csv.data).toMatch(/,paid,,paid_twice,/)
      if (providerId === LIPWA) {
        // The gateway's list has the money; the reconciliation does not count it as matched.
        const reconciled = (await admin("get", `/admin/mpesa/reconcile?provider_id=${LIPWA}`)).data.reconciliation
        expect(reconciled).toMatchObject({ matched: 0, paid_twice: [expect.objectContaining({ receipt: row.receipt, order_id: orderId })] })
      }
    })

    it("after the merchant resolves an attempt, the recovery job neither re-checks nor completes it", async () => {
      const { cart, session, reference } = await startMpesaPayment(store, seed, LIPIA, "0700000010")
      const row = await rowOf({ session_id: session.id })
      expect((await admin("post", `/admin/mpesa/attempts/${row.id}/resolve`, { note: "Customer paid cash at the counter" })).status).toBe(200)
      await sandbox().settle(reference, "success", { callback: "lost" })
      await new Promise((resolve) => setTimeout(resolve, 400))
      const before = statusCalls(reference)

      const report = await recoverMpesaPayments(getContainer())

      expect(report).toMatchObject({ checked: 0, settled: 0, reconfirmed: 0 })
      expect(statusCalls(reference)).toBe(before)
      expect(await ordersOf(cart.id)).toHaveLength(0)
      expect((await rowOf({ id: row.id })).state).toBe("pending")
    })

    it("a flag is written on its attempt alone, and a flag for an attempt that is gone is an error, never dropped", async () => {
      const { session } = await startMpesaPayment(store, seed, LIPIA, "0700000011")
      const row = await rowOf({ session_id: session.id })
      const other = await ledger().createMpesaAttempts({
        gateway: "lipia",
        provider_id: LIPIA,
        session_id: "payses_other",
        reference: "ref_other",
        callback_reference: "payses_other",
        phone_masked: "2547******98",
        phone_hash: "",
        amount_requested: 100,
        state: "pending",
        pushed_at: new Date(),
      })

      await writeAttemptColumns(getContainer(), row.id, { paid_twice: true, resolution_note: "checked by hand" })
      expect(await rowOf({ id: row.id })).toMatchObject({ paid_twice: true, resolution_note: "checked by hand", state: row.state, reference: row.reference })
      expect(await rowOf({ id: other.id })).toMatchObject({ paid_twice: false, resolution_note: null })

      await ledger().softDeleteMpesaAttempts([other.id])
      await expect(writeAttemptColumns(getContainer(), other.id, { paid_twice: true })).rejects.toMatchObject({
        type: "not_found",
        message: `MpesaAttempt with id: ${other.id} was not found`,
      })
      const [gone] = await ledger().listMpesaAttempts({ id: other.id }, { withDeleted: true })
      expect(gone.paid_twice).toBe(false)
    })

    it("one attempt whose provider is gone does not stop recovery: it is flagged, the others are recovered", async () => {
      const broken = await ledger().createMpesaAttempts({
        gateway: "lipia",
        provider_id: "pp_mpesa-lipia_removed",
        session_id: "payses_gone",
        reference: "ref_gone",
        callback_reference: "payses_gone",
        phone_masked: "2547******99",
        phone_hash: "",
        amount_requested: 100,
        state: "pending",
        pushed_at: new Date(),
        next_check_at: new Date(Date.now() - 1_000),
      })
      const { cart, reference } = await startMpesaPayment(store, seed, LIPWA, "0700000005")
      await sandbox().waitFor(() => sandbox().payment(reference)?.status === "success")

      const report = await eventually(async () => {
        const run = await recoverMpesaPayments(getContainer())
        return run?.settled ? run : undefined
      })

      expect(report).toBeDefined()
      await eventually(async () => ((await ordersOf(cart.id)).length ? true : undefined))
      expect((await rowOf({ id: broken.id })).check_failures).toBeGreaterThanOrEqual(1)
    })

    it("a failure that can still turn into money is asked about again; a cancel is final", async () => {
      const timedOut = await startMpesaPayment(store, seed, LIPIA, "0700000002")
      const cancelled = await startMpesaPayment(store, seed, LIPIA, "0700000001")
      const timedOutRow = await rowOf({ session_id: timedOut.session.id }, (r) => r.state === "failed")
      const cancelledRow = await rowOf({ session_id: cancelled.session.id }, (r) => r.state === "failed")

      expect(timedOutRow).toMatchObject({ outcome: "timeout", result_code: 1037, next_check_at: expect.anything() })
      expect(cancelledRow).toMatchObject({ outcome: "cancelled", result_code: 1032, next_check_at: null })
      // Due now: the job asks the status API about the timed-out prompt, never about the cancelled one.
      await ledger().updateMpesaAttempts({ id: timedOutRow.id, next_check_at: new Date(Date.now() - 1_000) })
      const before = [statusCalls(timedOut.reference), statusCalls(cancelled.reference)]

      const report = await recoverMpesaPayments(getContainer())

      expect(report).toMatchObject({ checked: 1 })
      expect([statusCalls(timedOut.reference) - before[0], statusCalls(cancelled.reference) - before[1]]).toEqual([1, 0])
    })

    describe("the status-API budget", () => {
      it("thirty concurrent polls of one payment make one status call", async () => {
        const { session, reference } = await startMpesaPayment(store, seed, LIPWA, "0700000010")
        await new Promise((resolve) => setTimeout(resolve, 400))
        const before = statusCalls(reference)

        const answers = await Promise.all(Array.from({ length: 30 }, () => poll(session.id)))

        expect(answers.every((a) => a.status === 200 && a.data.status === "pending")).toBe(true)
        expect(statusCalls(reference) - before).toBe(1)
      })

      it("bodies posted to Medusa's generic route ask the status API at most once per spacing, and the plugin still acts on them", async () => {
        const { cart, reference, session } = await startMpesaPayment(store, seed, LIPIA, "0700000010")
        await sandbox().settle(reference, "success", { callback: "lost" })
        const body = {
          response: { Amount: cart.total, ExternalReference: session.id, MerchantRequestID: "m", CheckoutRequestID: "c", MpesaReceiptNumber: "FAKE123", Phone: "254700000010", ResultCode: 0, ResultDesc: "ok", Status: "Success" },
          status: true,
        }
        const before = statusCalls(reference)

        const posted = await Promise.all(Array.from({ length: 10 }, () => api.post("/hooks/payment/mpesa-lipia_lipia", body, { validateStatus: () => true })))

        expect(posted.every((p) => p.status === 200)).toBe(true)
        // Medusa's route hands the body on after its own 5 s delay.
        await eventually(async () => ((await ordersOf(cart.id)).length ? true : undefined), 30_000)
        expect(statusCalls(reference) - before).toBe(1)
      })
    })

    describe("refusals, each with its code, and nothing lost", () => {
      it("an aggregator still rate limiting after the backoff → 500 MPESA_RATE_LIMITED; nothing was sent, the next Pay works", async () => {
        const { paymentCollectionId } = await prepareCart(store, seed)
        // The first try and its three retries.
        sandbox().injectFault({ api: "lipwa", path: "/payments", mode: "http_429", times: 4 })

        const refused = await store.initiatePaymentSession(paymentCollectionId, LIPWA, { phone_number: "0700000010" })

        expect([refused.status, refused.data.code]).toEqual([500, "MPESA_RATE_LIMITED"])
        expect(refused.data.message).toMatch(/busy/)
        expect(sandbox().payments()).toHaveLength(0)
        expect(await ledger().listMpesaAttempts({ payment_collection_id: paymentCollectionId })).toEqual([expect.objectContaining({ state: "not_sent" })])
        expect((await store.initiatePaymentSession(paymentCollectionId, LIPWA, { phone_number: "0700000010" })).status).toBe(200)
      })

      it("an aggregator that declines the request → 400 MPESA_GATEWAY_REJECTED; nothing was sent", async () => {
        const { paymentCollectionId } = await prepareCart(store, seed)
        sandbox().injectFault({ api: "lipia", path: "/payments/stk-push", mode: "payment_error" })

        const refused = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })

        expect([refused.status, refused.data.code]).toEqual([400, "MPESA_GATEWAY_REJECTED"])
        expect(sandbox().payments()).toHaveLength(0)
        expect(await ledger().listMpesaAttempts({ payment_collection_id: paymentCollectionId })).toEqual([expect.objectContaining({ state: "not_sent" })])
      })

      it("a Pay while another request holds the cart's lock past 15 s → 409 MPESA_SESSION_LOCKED; nothing was sent", async () => {
        const { paymentCollectionId } = await prepareCart(store, seed)
        const locking = getContainer().resolve(Modules.LOCKING) as any
        await locking.acquire(`mpesa:collection:${paymentCollectionId}`, { ownerId: "another-request", expire: 60 })
        try {
          const refused = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000010" })

          expect([refused.status, refused.data.code]).toEqual([409, "MPESA_SESSION_LOCKED"])
          expect(sandbox().payments()).toHaveLength(0)
          expect(await ledger().listMpesaAttempts({ payment_collection_id: paymentCollectionId })).toEqual([])
        } finally {
          await locking.release(`mpesa:collection:${paymentCollectionId}`, { ownerId: "another-request" })
        }
      })
    })

    it("keys the storefront sends beside the phone never reach the session", async () => {
      const { paymentCollectionId } = await prepareCart(store, seed)
      const planted = {
        phone_number: "0700000010",
        refund_request: { requested_at: new Date(Date.now() + 3_600_000).toISOString(), requested_by: "shopper" },
        receipt: "PLANTED01",
        hold: true,
        state: "paid",
        attempt_id: "mpatt_someone_else",
      }

      const started = await store.initiatePaymentSession(paymentCollectionId, LIPIA, planted)

      expect(started.status).toBe(200)
      const data = (started.data.payment_collection!.payment_sessions![0] as any).data
      expect(data).toMatchObject({ state: "pending", phone_number: "2547******10" })
      for (const key of ["refund_request", "receipt", "hold"]) {
        expect(data).not.toHaveProperty(key)
      }
      expect(data.attempt_id).toMatch(/^mpatt_/)
      expect(data.attempt_id).not.toBe("mpatt_someone_else")
    })

    it("the callback route gives an unknown payment the same answer as a bad signature, and adopts nothing", async () => {
      const { session } = await startMpesaPayment(store, seed, LIPIA, "0700000010")
      const signed = (id: string, param = "attempt_id") => `/hooks/mpesa/lipia?${param}=${id}&sig=${callbackSignature(SECRET, "lipia", id)}`
      const post = (url: string) => api.post(url, { hello: "world" }, { validateStatus: () => true })

      const unknown = await post(signed("mpatt_doesnotexist"))
      const unknownSession = await post(signed("payses_doesnotexist", "session_id"))
      const badSig = await post(`/hooks/mpesa/lipia?attempt_id=mpatt_doesnotexist&sig=${"0".repeat(64)}`)
      const otherGateway = await post(`/hooks/mpesa/lipwa?session_id=${session.id}&sig=${callbackSignature(SECRET, "lipia", session.id)}`)

      for (const answer of [unknown, unknownSession, badSig, otherGateway]) {
        expect([answer.status, answer.data]).toEqual([401, { code: "MPESA_BAD_SIGNATURE", message: expect.any(String) }])
      }
      expect(new Set([unknown, unknownSession, badSig, otherGateway].map((a) => a.data.message)).size).toBe(1)
    })
  },
})
