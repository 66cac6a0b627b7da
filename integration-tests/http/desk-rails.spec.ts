import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createOrderPaymentCollectionWorkflow } from "@medusajs/medusa/core-flows"

import { eventually, expectOneOrderOneCapture, LIPIA, LIPWA, openShop, recoverMpesaPayments, useSandbox } from "../fixtures/mpesa"
import { seedStore, type SeededStore } from "../fixtures/store"

jest.setTimeout(180_000)

const sandbox = useSandbox()

/**
 * The desk on the checkout's rails, on a store with Kenya's 16 % VAT: one owner of what an order
 * owes (Medusa's computed total), the order's lock before a collection is chosen, the receipt's
 * rules, a recording cut short finished by the recovery job, and the catalogue's refusals through
 * the desk's routes.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: SeededStore
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
      seed = await seedStore(getContainer(), { paymentProviders: [LIPIA, LIPWA], vatRate: 16, withShipping: false })
    })

    const admin = (method: "get" | "post", url: string, body?: unknown) =>
      method === "get" ? api.get(url, { headers, validateStatus: () => true }) : api.post(url, body ?? {}, { headers, validateStatus: () => true })
    const ledger = () => getContainer().resolve("mpesa") as any
    const query = () => getContainer().resolve(ContainerRegistrationKeys.QUERY)
    const pg = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any

    /** A draft of `quantity` × KES 1,000 + 16 % VAT: it owes KES 1,160 × quantity. */
    async function draftOrder(phone = "+254700000010", quantity = 1, variantId = seed.variant.id): Promise<string> {
      const created = await admin("post", "/admin/draft-orders", {
        email: "desk@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: variantId, quantity }],
        shipping_address: { first_name: "Achieng", last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: "ke", phone },
      })
      expect(created.status).toBe(200)
      return created.data.draft_order.id
    }

    async function draftTotal(draftId: string): Promise<number> {
      const shown = await admin("get", `/admin/draft-orders/${draftId}`)
      return Number(shown.data.draft_order.total)
    }

    /** Medusa's stored summary says KES 1,000 where its computed total says 1,160 (as a draft's can). */
    async function staleSummary(orderId: string, pending: number) {
      await pg().raw(
        `update order_summary set totals = jsonb_set(jsonb_set(totals, '{pending_difference}', to_jsonb(?::numeric)), '{raw_pending_difference}', jsonb_build_object('value', ?::text, 'precision', 20)) where order_id = ?`,
        [pending, String(pending), orderId]
      )
    }

    it("two desk requests at once on a fresh draft ring one phone, once; the other is told a prompt is live", async () => {
      // Created one after another: Medusa's draft route creates the customer for the email, and
      // four at once race on it (a 400 for some) — the race under test is the desk's, not that one.
      const drafts: string[] = []
      for (let i = 0; i < 4; i++) {
        drafts.push(await draftOrder())
      }
      for (const draftId of drafts) {
        const answers = await Promise.all([1, 2].map(() => admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA })))
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
        expect(answers.find((a) => a.status === 409)!.data.code).toBe("MPESA_PAYMENT_IN_PROGRESS")
        const { data } = await query().graph({ entity: "order_payment_collection", fields: ["payment_collection_id"], filters: { order_id: draftId } })
        expect(data).toHaveLength(1)
      }
      expect(sandbox().payments()).toHaveLength(drafts.length)
    })

    it("what a draft owes is Medusa's computed total (VAT included), whatever its stored summary says; a receipt for less is refused, one for the total pays it once", async () => {
      const draftId = await draftOrder("+254700000000")
      const owed = await draftTotal(draftId)
      expect(owed).toBe(1160)
      await staleSummary(draftId, 1000)

      const panel = await admin("get", `/admin/mpesa/orders/${draftId}`)
      expect(panel.data.balance).toMatchObject({ outstanding: owed, total: owed, draft: true, label: expect.stringMatching(/^Draft order #\d+$/) })

      const short = sandbox().recordTillPayment({ phone: "0712345678", amount: 1000 })
      const refused = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: short.receipt })
      expect(refused.status).toBe(409)
      expect(refused.data).toMatchObject({ code: "MPESA_RECEIPT_AMOUNT_MISMATCH", message: expect.stringMatching(/Draft order #\d+ owes KES 1,160/) })

      const full = sandbox().recordTillPayment({ phone: "0712345678", amount: owed })
      const recorded = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: full.receipt })
      expect(recorded.status).toBe(200)
      expect(recorded.data).toMatchObject({ outcome: "done", attempt: { amount_paid: owed } })
      await expectOneOrderOneCapture(getContainer(), draftId)
      // Every look at the account was bounded: Lipwa without a limit returns the whole account.
      const lists = sandbox().requests().filter((r) => r.method === "GET" && /\/transactions$/.test(r.path))
      expect(lists.length).toBeGreaterThan(0)
      expect(lists.every((r) => Number(r.query.limit) > 0)).toBe(true)
    })

    it("a desk prompt asks for the computed total, and paid it makes the draft an order once", async () => {
      const draftId = await draftOrder("+254700000010")
      await staleSummary(draftId, 1000)
      const asked = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA })
      expect(asked.status).toBe(200)
      expect(asked.data.attempt.amount_requested).toBe(1160)
      await sandbox().settle(asked.data.attempt.reference, "success")
      await eventually(async () => ((await ledger().listMpesaAttempts({ id: asked.data.attempt.id }))[0]?.order_id ? true : undefined))
      await expectOneOrderOneCapture(getContainer(), draftId)
    })

    it("refuses a debit, and a payment made before the order existed, naming the rule and the order", async () => {
      const draftId = await draftOrder("+254700000000")
      const debit = sandbox().recordTillPayment({ phone: "0712345678", amount: 1160, type: "Debit" })
      const old = sandbox().recordTillPayment({ phone: "0712345678", amount: 1160, paidAt: new Date(Date.now() - 2 * 365 * 86_400_000).toISOString() })

      const asDebit = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: debit.receipt })
      expect(asDebit.status).toBe(409)
      expect(asDebit.data).toMatchObject({ code: "MPESA_RECEIPT_NOT_A_PAYMENT", message: expect.stringMatching(/money going out.*Draft order #\d+/) })
      const asOld = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: old.receipt })
      expect(asOld.status).toBe(409)
      expect(asOld.data).toMatchObject({ code: "MPESA_RECEIPT_TOO_OLD", message: expect.stringMatching(/before Draft order #\d+ was created/) })
      expect(await ledger().listMpesaAttempts({ receipt: [debit.receipt, old.receipt] })).toHaveLength(0)
    })

    it("a recording cut short after the receipt was claimed (server killed before its session) is finished by the recovery job: paid once", async () => {
      const draftId = await draftOrder("+254700000000")
      const till = sandbox().recordTillPayment({ phone: "0712345678", amount: 1160 })
      // What the recording leaves at that kill point: the order's collection for what it owes,
      // and the receipt claimed as a paid, recorded attempt with no session yet.
      const { result } = await createOrderPaymentCollectionWorkflow(getContainer()).run({ input: { order_id: draftId, amount: 1160 } })
      const collectionId = (result as any)[0].id
      const minuteAgo = new Date(Date.now() - 60_000)
      const attempt = await ledger().insertAttempt({
        gateway: "lipwa",
        provider_id: LIPWA,
        payment_collection_id: collectionId,
        phone_masked: "2547******78",
        phone_hash: "none",
        amount_requested: 1160,
        amount_paid: 1160,
        state: "paid",
        outcome: "paid",
        receipt: till.receipt,
        pushed_at: minuteAgo,
        settled_at: minuteAgo,
        origin: "recorded",
        requested_by: "user_test",
      })

      // The receipt stays used up: recording it again is refused, and the job finishes the first recording.
      const again = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: till.receipt })
      expect(again.data.code).toBe("MPESA_RECEIPT_ALREADY_RECORDED")
      await recoverMpesaPayments(getContainer())

      const [row] = await ledger().listMpesaAttempts({ id: attempt.id })
      expect(row).toMatchObject({ order_id: draftId, paid_without_order: false, paid_twice: false, session_id: expect.stringMatching(/^payses_/) })
      await expectOneOrderOneCapture(getContainer(), draftId)
    })

    it("a desk prompt on a Lipia draft whose push answer was lost, then paid: the merchant accepts the unverified claim and the draft becomes an order, paid once", async () => {
      const draftId = await draftOrder("+254700000000")
      // The push reaches the sandbox but its answer comes after the test store's 5 s timeout.
      sandbox().injectFault({ api: "lipia", path: "/payments/stk-push", mode: "delay", delayMs: 6_500 })
      const asked = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPIA })
      expect(asked.status).toBe(200)
      const claim = await eventually(async () => {
        const [row] = await ledger().listMpesaAttempts({ id: asked.data.attempt.id })
        return row?.unverified ? row : undefined
      }, 30_000)
      expect(claim).toMatchObject({ amount_paid: 1160, order_id: null })
      // The list says what it is, not "Sending the payment prompt", and names the draft it was asked for.
      const listed = await admin("get", `/admin/mpesa/attempts?q=${claim.id}`)
      expect(listed.data.attempts).toEqual([expect.objectContaining({ state_in_words: "Paid, says a callback — unverified", tone: "attention", for_order_id: draftId, order_is_draft: true })])

      // Recording the same receipt by hand points to Accept; nothing is paid twice.
      const recorded = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPIA, receipt: claim.receipt, amount: 1160, note: "seen" })
      expect(recorded.data).toMatchObject({ code: "MPESA_RECEIPT_ALREADY_RECORDED", message: expect.stringMatching(/press Accept/) })

      const accepted = await admin("post", `/admin/mpesa/attempts/${claim.id}/accept`, { note: "Seen in the Lipia portal" })
      expect(accepted.status).toBe(200)
      expect(accepted.data.attempt.state_in_words).toBe("Paid — accepted on the merchant's word")
      await eventually(async () => ((await ledger().listMpesaAttempts({ id: claim.id }))[0]?.order_id ? true : undefined))
      await expectOneOrderOneCapture(getContainer(), draftId)
      const placed = await admin("post", `/admin/mpesa/attempts/${claim.id}/place-order`)
      expect(placed.status).toBe(409)
    })

    it("refuses through the desk's routes with the catalogue's codes", async () => {
      // A cancelled order: nothing can be asked for it.
      const cancelled = await draftOrder("+254700000000")
      expect((await admin("post", `/admin/draft-orders/${cancelled}/convert-to-order`)).status).toBe(200)
      expect((await admin("post", `/admin/orders/${cancelled}/cancel`)).status).toBe(200)
      const notPayable = await admin("post", `/admin/mpesa/orders/${cancelled}/request-payment`, { provider_id: LIPWA })
      expect([notPayable.status, notPayable.data.code]).toEqual([409, "MPESA_ORDER_NOT_PAYABLE"])

      // Lipwa's list unreachable: the recording says so and takes nothing.
      const draftId = await draftOrder("+254700000000")
      const till = sandbox().recordTillPayment({ phone: "0712345678", amount: 1160 })
      sandbox().injectFault({ api: "lipwa", path: "/transactions", mode: "http_503", times: 10 })
      const unavailable = await admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: till.receipt })
      expect([unavailable.status, unavailable.data.code]).toEqual([500, "MPESA_UNAVAILABLE"])
      expect(await ledger().listMpesaAttempts({ receipt: till.receipt })).toHaveLength(0)

      // Above M-Pesa's ceiling (KES 250,000).
      const dear = await seedStore(getContainer(), { paymentProviders: [LIPIA, LIPWA], vatRate: 16, withShipping: false, productPrice: 300_000 })
      const dearDraft = await draftOrder("+254700000000", 1, dear.variant.id)
      const tooLarge = await admin("post", `/admin/mpesa/orders/${dearDraft}/request-payment`, { provider_id: LIPWA })
      expect([tooLarge.status, tooLarge.data.code]).toEqual([400, "MPESA_AMOUNT_TOO_LARGE"])

      // Another desk action holding the order past the lock's wait.
      const locking = getContainer().resolve(Modules.LOCKING)
      await locking.acquire(draftId, { ownerId: "another-tab", expire: 60 })
      try {
        const [asked, recorded] = await Promise.all([
          admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA }),
          admin("post", `/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPWA, receipt: till.receipt }),
        ])
        expect([asked.status, asked.data.code]).toEqual([409, "MPESA_SESSION_LOCKED"])
        expect([recorded.status, recorded.data.code]).toEqual([409, "MPESA_SESSION_LOCKED"])
      } finally {
        await locking.release(draftId, { ownerId: "another-tab" })
      }
      expect(sandbox().payments().filter((p) => p.channel === "stk_push")).toHaveLength(0)
    })
  },
})
