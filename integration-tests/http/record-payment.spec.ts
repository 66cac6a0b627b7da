import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { csvRecords, eventually, LIPIA, LIPWA, openShop, useSandbox, useTestEnv } from "../fixtures/mpesa"
import type { SeededStore } from "../fixtures/store"

jest.setTimeout(180_000)

const sandbox = useSandbox()
// One prompt per phone: a recorded payment must not count as one (it rang no phone).
useTestEnv({ MPESA_TEST_PHONE_LIMIT: "1" })

/** Two of the seeded product (KES 1,000 each), no shipping: a draft order owing KES 2,000. */
const OWED = 2000

/**
 * "Record a payment made outside the prompt" on a real store: the customer paid the Paybill or
 * Till, the merchant enters the receipt; Lipwa's list of transactions must show it for exactly
 * what is owed, Lipia's payment stands on the merchant's word, marked attested. Either way it is
 * taken on the order as Medusa's mark-as-paid takes a payment, with the M-Pesa provider.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: SeededStore
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ seed, headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const admin = (method: "get" | "post", url: string, body?: unknown) =>
      method === "get" ? api.get(url, { headers, validateStatus: () => true }) : api.post(url, body ?? {}, { headers, validateStatus: () => true })
    const record = (orderId: string, body: Record<string, unknown>) => admin("post", `/admin/mpesa/orders/${orderId}/record-payment`, body)
    const ledger = () => getContainer().resolve("mpesa") as any
    const query = () => getContainer().resolve(ContainerRegistrationKeys.QUERY)

    async function draftOrder(phone = "+254700000000"): Promise<string> {
      const created = await admin("post", "/admin/draft-orders", {
        email: "paybill@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 2 }],
        shipping_address: { first_name: "Achieng", last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: seed.countries[0], phone },
      })
      expect(created.status).toBe(200)
      return created.data.draft_order.id
    }

    async function order(orderId: string) {
      const { data } = await query().graph({ entity: "order", fields: ["id", "status", "is_draft_order", "summary.*"], filters: { id: orderId } })
      return data[0]
    }
    const outstanding = async (orderId: string) => Number((await order(orderId)).summary.pending_difference)

    async function paymentsOf(collectionId: string) {
      const { data } = await query().graph({ entity: "payment", fields: ["provider_id", "amount", "captured_at"], filters: { payment_collection_id: collectionId } })
      return data
    }

    it("records a Lipwa receipt from a Paybill payment: the order owes nothing, the M-Pesa provider captured it, and no prompt was sent", async () => {
      const draftId = await draftOrder()
      expect(await outstanding(draftId)).toBe(OWED)
      const till = sandbox().recordTillPayment({ phone: "0712345678", amount: OWED })

      const recorded = await record(draftId, { provider_id: LIPWA, receipt: ` ${till.receipt!.toLowerCase()} ` })

      expect(recorded.status).toBe(200)
      expect(recorded.data).toMatchObject({ outcome: "done" })
      expect(recorded.data.attempt).toMatchObject({
        origin: "recorded",
        state: "paid",
        state_in_words: "Paid — recorded by receipt",
        gateway: "lipwa",
        provider_id: LIPWA,
        receipt: till.receipt,
        amount_requested: OWED,
        amount_paid: OWED,
        attested: false,
        phone_masked: "2547******78",
        requested_by: expect.any(String),
        pushed_at: new Date(till.settledAt!.replace(/\.\d{3}Z$/, ".000Z")).toISOString(),
      })
      expect(JSON.stringify(recorded.data)).not.toMatch(/254712345678|phone_hash|recorded_sig/)
      expect(await outstanding(draftId)).toBe(0)
      const [payment, ...more] = await paymentsOf(recorded.data.attempt.payment_collection_id)
      expect(more).toEqual([])
      expect(payment).toMatchObject({ provider_id: LIPWA })
      expect(Number(payment.amount)).toBe(OWED)
      expect(payment.captured_at).toBeTruthy()
      // Paid in full, the draft became an order (settle-mpesa-payment), and the attempt says so.
      const converted = await eventually(async () => ((await order(draftId)).is_draft_order ? undefined : await order(draftId)))
      expect(converted.status).toBe("pending")
      expect((await ledger().retrieveMpesaAttempt(recorded.data.attempt.id)).order_id).toBe(draftId)
      // Nothing rang: the sandbox saw one transactions list and no push.
      expect(sandbox().payments()).toHaveLength(1)
      expect(sandbox().requests().filter((r) => r.api === "lipwa").map((r) => `${r.method} ${r.path}`)).toEqual(["GET /lipwa/api/transactions"])

      const again = await record(draftId, { provider_id: LIPWA, receipt: till.receipt })
      expect(again.status).toBe(409)
      expect(again.data).toMatchObject({ code: "MPESA_RECEIPT_ALREADY_RECORDED", message: expect.stringMatching(/already recorded on Order #\d+: one M-Pesa payment can pay only once/) })
      const elsewhere = await record(await draftOrder(), { provider_id: LIPWA, receipt: till.receipt })
      expect(elsewhere.status).toBe(409)
      expect(elsewhere.data.code).toBe("MPESA_RECEIPT_ALREADY_RECORDED")
      expect(await ledger().listMpesaAttempts({})).toHaveLength(1)

      // A recorded payment rang no phone: the same phone may still be prompted (limit 1 per window).
      const next = await draftOrder("+254712345678")
      const asked = await admin("post", `/admin/mpesa/orders/${next}/request-payment`, { provider_id: LIPWA, phone: "0712345678" })
      expect(asked.status).toBe(200)
    })

    it("refuses a Lipwa receipt of another amount, one the account never received, and one for an order that owes nothing — taking nothing", async () => {
      const draftId = await draftOrder()
      const short = sandbox().recordTillPayment({ phone: "0712345678", amount: 500, receipt: "THK75EOH2Z" })

      const wrong = await record(draftId, { provider_id: LIPWA, receipt: short.receipt })
      expect(wrong.status).toBe(409)
      expect(wrong.data).toMatchObject({ code: "MPESA_RECEIPT_AMOUNT_MISMATCH", message: expect.stringMatching(/THK75EOH2Z is for KES 500; Draft order #\d+ owes KES 2,000/) })
      const entered = await record(draftId, { provider_id: LIPWA, receipt: short.receipt, amount: OWED })
      expect(entered.status).toBe(409)
      expect(entered.data.message).toMatch(/is for KES 500, not the KES 2,000 entered/)

      const unknown = await record(draftId, { provider_id: LIPWA, receipt: "TAA0000000" })
      expect(unknown.status).toBe(409)
      expect(unknown.data).toMatchObject({ code: "MPESA_RECEIPT_NOT_FOUND", message: expect.stringMatching(/not among the payments Lipwa lists/) })

      expect(await outstanding(draftId)).toBe(OWED)
      expect(await ledger().listMpesaAttempts({})).toEqual([])

      const bad = await record(draftId, { provider_id: LIPWA, receipt: "THK-75" })
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/receipt: must be an M-Pesa receipt/)
      expect((await record(draftId, { provider_id: "pp_system_default", receipt: "THK75EOH2Z" })).status).toBe(400)
      expect((await record(draftId, { provider_id: LIPWA, receipt: "THK75EOH2Z", amount: -5 })).status).toBe(400)
      expect((await record(draftId, { provider_id: LIPWA, receipt: "THK75EOH2Z", extra: 1 })).status).toBe(400)
      expect((await record("order_nope", { provider_id: LIPWA, receipt: "THK75EOH2Z" })).status).toBe(404)

      const paid = sandbox().recordTillPayment({ phone: "0712345678", amount: OWED })
      expect((await record(draftId, { provider_id: LIPWA, receipt: paid.receipt })).status).toBe(200)
      const nothing = await record(draftId, { provider_id: LIPWA, receipt: short.receipt })
      expect(nothing.status).toBe(409)
      expect(nothing.data.code).toBe("MPESA_NOTHING_OUTSTANDING")
    })

    it("records a Lipia payment on the merchant's word only with an amount and a note, marked attested everywhere it shows", async () => {
      const draftId = await draftOrder()

      const bare = await record(draftId, { provider_id: LIPIA, receipt: "TAB1234567" })
      expect(bare.status).toBe(400)
      expect(bare.data.message).toMatch(/Lipia.* cannot look receipts up.*the amount received \(Draft order #\d+ owes KES 2,000\) and a note/)
      const noNote = await record(draftId, { provider_id: LIPIA, receipt: "TAB1234567", amount: OWED })
      expect(noNote.status).toBe(400)
      expect(noNote.data.message).toMatch(/a note of at least 3 characters/)
      const other = await record(draftId, { provider_id: LIPIA, receipt: "TAB1234567", amount: 1500, note: "Seen in the M-Pesa statement" })
      expect(other.status).toBe(409)
      expect(other.data.code).toBe("MPESA_RECEIPT_AMOUNT_MISMATCH")
      expect(await ledger().listMpesaAttempts({})).toEqual([])

      const attested = await record(draftId, { provider_id: LIPIA, receipt: "tab1234567", amount: OWED, note: "Seen in the M-Pesa statement" })

      expect(attested.status).toBe(200)
      expect(attested.data.attempt).toMatchObject({
        origin: "recorded",
        state: "paid",
        state_in_words: "Paid — attested by the merchant",
        gateway: "lipia",
        receipt: "TAB1234567",
        attested: true,
        attestation_note: "Seen in the M-Pesa statement",
        requested_by: expect.any(String),
        phone_masked: "unknown",
      })
      expect(await outstanding(draftId)).toBe(0)
      const [payment] = await paymentsOf(attested.data.attempt.payment_collection_id)
      expect(payment).toMatchObject({ provider_id: LIPIA })
      expect(payment.captured_at).toBeTruthy()
      expect(sandbox().requests()).toEqual([])

      const list = await admin("get", "/admin/mpesa/attempts?q=TAB1234567")
      expect(list.data.attempts).toEqual([expect.objectContaining({ attested: true, state_in_words: "Paid — attested by the merchant" })])
      const csv = csvRecords(String((await admin("get", "/admin/mpesa/attempts/export")).data))
      // On the merchant's word: the accountant sees who vouched for it and why.
      expect(csv).toEqual([
        expect.objectContaining({
          gateway: "lipia",
          reference: "",
          receipt: "TAB1234567",
          amount_requested: String(OWED),
          amount_paid: String(OWED),
          phone: "unknown",
          state: "paid",
          origin: "recorded",
          recorded_by: attested.data.attempt.requested_by,
          attested: "true",
          attested_by: attested.data.attempt.requested_by,
          note: "Seen in the M-Pesa statement",
          order_id: draftId,
        }),
      ])
      expect(csv[0].order).toMatch(/^(Draft order|Order) #\d+$/)
    })

    it("refuses while a prompt for the order is still on the customer's phone: the two can never both pay", async () => {
      const draftId = await draftOrder()
      // 0700000010 never settles by itself: the prompt stays live.
      const asked = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA, phone: "0700000010" })
      expect(asked.status).toBe(200)
      const till = sandbox().recordTillPayment({ phone: "0712345678", amount: OWED })

      const refused = await record(draftId, { provider_id: LIPWA, receipt: till.receipt })

      expect(refused.status).toBe(409)
      expect(refused.data).toMatchObject({ code: "MPESA_PAYMENT_IN_PROGRESS", message: expect.stringMatching(/still on the customer's phone/) })
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0)
      expect(await outstanding(draftId)).toBe(OWED)

      // The customer cancels the prompt: now the Paybill payment can be recorded.
      await sandbox().settle(asked.data.attempt.reference, "cancelled")
      await eventually(async () => ((await ledger().retrieveMpesaAttempt(asked.data.attempt.id)).state === "failed" ? true : undefined))
      const recorded = await record(draftId, { provider_id: LIPWA, receipt: till.receipt })
      expect(recorded.status).toBe(200)
      expect(await outstanding(draftId)).toBe(0)
    })

    it("is for the store's admins only: 401 without a login", async () => {
      const draftId = await draftOrder()
      const anonymous = await api.post(`/admin/mpesa/orders/${draftId}/record-payment`, { provider_id: LIPIA, receipt: "TAB1234567", amount: OWED, note: "x y z" }, { validateStatus: () => true })

      expect(anonymous.status).toBe(401)
      expect(await ledger().listMpesaAttempts({})).toEqual([])
    })
  },
})
