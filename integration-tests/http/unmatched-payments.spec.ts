import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { eventually, expectOneOrderOneCapture, LIPIA, LIPWA, openShop, useSandbox } from "../fixtures/mpesa"
import type { SeededStore } from "../fixtures/store"

jest.setTimeout(180_000)

const sandbox = useSandbox()

/**
 * Paybill and Till payments waiting for an order, on a real store: credits in Lipwa's list of the
 * account's transactions that no attempt in the ledger holds, each with the orders and drafts
 * owing exactly its amount (the payer's phone first), recorded in one step through the desk's
 * own rules. Lipia has no list, and a gateway down or rate limiting is said plainly.
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
    const unmatched = (providerId = LIPWA) => admin("get", `/admin/mpesa/unmatched-payments?provider_id=${providerId}`)

    /** A draft of `quantity` × KES 1,000 (no shipping): it owes KES 1,000 × quantity. */
    async function draftOrder(phone: string, quantity: number, name = "Achieng"): Promise<{ id: string; display_id: number }> {
      const created = await admin("post", "/admin/draft-orders", {
        email: `${name.toLowerCase()}@example.com`,
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity }],
        shipping_address: { first_name: name, last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: seed.countries[0], phone },
      })
      expect(created.status).toBe(200)
      return created.data.draft_order
    }

    it("lists a Paybill payment no attempt holds with the orders owing exactly its amount, the payer's phone first — never the whole phone", async () => {
      const other = await draftOrder("+254700000010", 2, "Wanjiru")
      const payers = await draftOrder("0712 345 678", 2, "Achieng")
      const owesLess = await draftOrder("0712345678", 1, "Kamau")
      const paybill = sandbox().recordTillPayment({ phone: "254712345678", amount: 2000 })

      const listed = await unmatched()

      expect(listed.status).toBe(200)
      expect(listed.data).toMatchObject({ provider_id: LIPWA, reached_since: true })
      expect(listed.data.payments).toEqual([
        {
          receipt: paybill.receipt,
          reference: paybill.ref,
          amount: 2000,
          paid_at: expect.any(String),
          phone_masked: "2547******78",
          candidates: [
            expect.objectContaining({ order_id: payers.id, display_id: payers.display_id, label: `Draft order #${payers.display_id}`, draft: true, outstanding: 2000, customer: "Achieng Otieno", same_phone: true }),
            expect.objectContaining({ order_id: other.id, outstanding: 2000, customer: "Wanjiru Otieno", same_phone: false }),
          ],
        },
      ])
      expect(listed.data.payments[0].candidates.map((c: { order_id: string }) => c.order_id)).not.toContain(owesLess.id)
      expect(JSON.stringify(listed.data)).not.toMatch(/712345678|345 678/)
      // Every look at the account was bounded: Lipwa without a limit returns the whole account.
      const lists = sandbox().requests().filter((r) => r.method === "GET" && /\/transactions$/.test(r.path))
      expect(lists.length).toBeGreaterThan(0)
      expect(lists.every((r) => Number(r.query.limit) > 0)).toBe(true)
    })

    it("recorded on its order through the desk's route, the payment pays the order once and leaves the list; a second click is refused", async () => {
      const draft = await draftOrder("0712345678", 2)
      const paybill = sandbox().recordTillPayment({ phone: "0712345678", amount: 2000 })
      // A prompt's payment: its attempt holds it, so it is not waiting for anything.
      const prompted = await admin("post", `/admin/mpesa/orders/${(await draftOrder("0700000000", 1)).id}/request-payment`, { provider_id: LIPWA })
      expect(prompted.status).toBe(200)
      await sandbox().settle(prompted.data.attempt.reference, "success")
      await eventually(async () => (sandbox().payments().filter((p) => p.status === "success").length === 2 ? true : undefined))

      const before = await unmatched()
      expect(before.data.payments.map((p: { receipt: string }) => p.receipt)).toEqual([paybill.receipt])
      const [candidate] = before.data.payments[0].candidates
      expect(candidate.order_id).toBe(draft.id)

      const recorded = await admin("post", `/admin/mpesa/orders/${candidate.order_id}/record-payment`, { provider_id: LIPWA, receipt: before.data.payments[0].receipt })
      expect(recorded.status).toBe(200)
      expect(recorded.data).toMatchObject({ outcome: "done", attempt: { receipt: paybill.receipt, amount_paid: 2000 } })
      await expectOneOrderOneCapture(getContainer(), draft.id)

      expect((await unmatched()).data.payments).toEqual([])
      expect((await admin("get", "/admin/mpesa/owing-orders")).data.orders.map((o: { order_id: string }) => o.order_id)).not.toContain(draft.id)
      const again = await admin("post", `/admin/mpesa/orders/${draft.id}/record-payment`, { provider_id: LIPWA, receipt: paybill.receipt })
      expect([again.status, again.data.code]).toEqual([409, "MPESA_RECEIPT_ALREADY_RECORDED"])
      await expectOneOrderOneCapture(getContainer(), draft.id)
    })

    it("lists a payment no order owes exactly with no candidate, and a debit or a payment older than its window not at all", async () => {
      await draftOrder("0712345678", 2)
      const odd = sandbox().recordTillPayment({ phone: "0712345678", amount: 1999 })
      sandbox().recordTillPayment({ phone: "0712345678", amount: 2000, type: "Debit" })
      sandbox().recordTillPayment({ phone: "0712345678", amount: 2000, paidAt: new Date(Date.now() - 60 * 86_400_000).toISOString() })

      const listed = await unmatched()

      expect(listed.data.payments).toEqual([expect.objectContaining({ receipt: odd.receipt, amount: 1999, candidates: [] })])
    })

    it("lists the orders and drafts that owe money, without their phone", async () => {
      const draft = await draftOrder("0712345678", 3)

      const owing = await admin("get", "/admin/mpesa/owing-orders")

      expect(owing.status).toBe(200)
      expect(owing.data.orders).toEqual([
        expect.objectContaining({ order_id: draft.id, label: `Draft order #${draft.display_id}`, outstanding: 3000, customer: "Achieng Otieno" }),
      ])
      expect(owing.data.orders[0]).not.toHaveProperty("phone")
      expect((await admin("get", "/admin/mpesa/owing-orders?limit=5")).status).toBe(400)
    })

    it("says Lipia cannot list the account's transactions, and refuses a bad query or no login", async () => {
      const lipia = await unmatched(LIPIA)
      expect(lipia.status).toBe(400)
      expect(lipia.data).toMatchObject({ code: "MPESA_NO_TRANSACTION_LIST", message: expect.stringMatching(/Lipia.* has no API that lists the account's transactions.*record each by its receipt/) })

      const bad = await admin("get", "/admin/mpesa/unmatched-payments?provider_id=pp_system_default")
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/provider_id/)
      const anonymous = await api.get(`/admin/mpesa/unmatched-payments?provider_id=${LIPWA}`, { validateStatus: () => true })
      expect(anonymous.status).toBe(401)
      expect((await api.get("/admin/mpesa/owing-orders", { validateStatus: () => true })).status).toBe(401)
    })

    it("reconciles a payment without an order that the merchant resolved as settled, not as news — and lists only the Paybill payment waiting", async () => {
      // As the demo's seed writes its history: a paid Lipwa attempt, no order, resolved with a note; Lipwa lists it.
      const settled = sandbox().recordTillPayment({ phone: "0712345678", amount: 1500, receipt: "DMH0100001", paidAt: new Date(Date.now() - 2 * 86_400_000).toISOString() })
      const ledger = getContainer().resolve("mpesa") as any
      await ledger.createMpesaAttempts([
        {
          gateway: "lipwa",
          provider_id: LIPWA,
          reference: "demo-history-1",
          phone_masked: "2547******78",
          phone_hash: "demo-history",
          amount_requested: 1500,
          amount_paid: 1500,
          state: "paid",
          outcome: "paid",
          receipt: settled.receipt,
          pushed_at: new Date(Date.now() - 2 * 86_400_000),
          settled_at: new Date(Date.now() - 2 * 86_400_000),
          resolved_at: new Date(),
          resolved_by: "demo seed",
          resolution_note: "Demo history: no order.",
        },
      ])
      const waiting = sandbox().recordTillPayment({ phone: "0712345678", amount: 2000 })

      const { reconciliation } = (await admin("get", `/admin/mpesa/reconcile?provider_id=${LIPWA}`)).data

      expect(reconciliation).toMatchObject({ supported: true, matched: 0, resolved: 1, paid_twice: [], unknown_to_gateway: [] })
      expect(reconciliation.received_without_order.map((r: { receipt: string }) => r.receipt)).toEqual([waiting.receipt])
      expect((await unmatched()).data.payments.map((p: { receipt: string }) => p.receipt)).toEqual([waiting.receipt])
    })

    it.each([
      ["down", "http_503", "MPESA_UNAVAILABLE", /did not answer/],
      ["rate limiting", "http_429", "MPESA_RATE_LIMITED", /too many requests/],
    ] as const)("says so when Lipwa is %s, and lists the payment once it answers again", async (_case, mode, code, words) => {
      await draftOrder("0712345678", 2)
      const paybill = sandbox().recordTillPayment({ phone: "0712345678", amount: 2000 })
      // The client's own retries (3) use up all four answers.
      sandbox().injectFault({ api: "lipwa", path: "/transactions", mode, times: 4 })

      const failed = await unmatched()

      expect(failed.status).toBe(500)
      expect(failed.data).toMatchObject({ code, message: expect.stringMatching(words) })
      expect(failed.data.message).toMatch(/nothing was changed; try again/)
      const again = await eventually(async () => {
        const answer = await unmatched()
        return answer.status === 200 ? answer : undefined
      })
      expect(again.data.payments).toEqual([expect.objectContaining({ receipt: paybill.receipt, candidates: [expect.objectContaining({ outstanding: 2000 })] })])
    })
  },
})
