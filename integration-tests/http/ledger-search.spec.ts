import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { eventually, LIPIA, LIPWA, openShop, startMpesaPayment, useSandbox } from "../fixtures/mpesa"
import type { SeededStore } from "../fixtures/store"
import type { storeApi } from "../fixtures/store"

jest.setTimeout(180_000)

const sandbox = useSandbox()

/**
 * The M-Pesa ledger searched as a customer describes a payment on the phone to the shop: their
 * number in any spelling (matched through the keyed hash the ledger keeps, never the number),
 * the order's number exactly, the receipt as read out. Every answer names orders by number and
 * says why a prompt failed.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: SeededStore
    let store: ReturnType<typeof storeApi>
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ seed, store, headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const admin = (method: "get" | "post", url: string, body?: unknown) =>
      method === "get" ? api.get(url, { headers, validateStatus: () => true }) : api.post(url, body ?? {}, { headers, validateStatus: () => true })
    const search = async (q: string) => {
      const answer = await admin("get", `/admin/mpesa/attempts?q=${encodeURIComponent(q)}`)
      expect(answer.status).toBe(200)
      return answer.data.attempts as any[]
    }
    const ledger = () => getContainer().resolve("mpesa") as any
    const query = () => getContainer().resolve(ContainerRegistrationKeys.QUERY)

    async function attemptOf(sessionId: string, until: (row: any) => boolean) {
      return eventually(async () => {
        const [row] = await ledger().listMpesaAttempts({ session_id: sessionId })
        return row && until(row) ? row : undefined
      })
    }

    async function displayIdOf(orderId: string): Promise<number> {
      const { data } = await query().graph({ entity: "order", fields: ["display_id"], filters: { id: orderId } })
      return data[0].display_id
    }

    async function draftOrder(phone: string): Promise<{ id: string; display_id: number }> {
      const created = await admin("post", "/admin/draft-orders", {
        email: "desk@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 2 }],
        shipping_address: { first_name: "Achieng", last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: seed.countries[0], phone },
      })
      expect(created.status).toBe(200)
      return { id: created.data.draft_order.id, display_id: created.data.draft_order.display_id }
    }

    /** A paid order (0712 345 678), a prompt cancelled on Lipwa (…001), one refused for funds on Lipia (…003). */
    async function payments() {
      // An ordinary number: the sandbox approves it by itself.
      const paid = await startMpesaPayment(store, seed, LIPIA, "0712345678")
      const paidRow = await attemptOf(paid.session.id, (row) => !!row.order_id)
      const cancelled = await startMpesaPayment(store, seed, LIPWA, "0700000001")
      const cancelledRow = await attemptOf(cancelled.session.id, (row) => row.state === "failed")
      const broke = await startMpesaPayment(store, seed, LIPIA, "0700000003")
      const brokeRow = await attemptOf(broke.session.id, (row) => row.state === "failed")
      return { paidRow, cancelledRow, brokeRow, displayId: await displayIdOf(paidRow.order_id) }
    }

    it("finds a payment by the customer's whole phone number in any spelling, and only that payment", async () => {
      const { paidRow } = await payments()

      for (const spelling of ["0712 345 678", "0712345678", "+254 712 345 678", "254712345678", "712345678", "0712-345-678"]) {
        expect({ spelling, found: (await search(spelling)).map((a) => a.id) }).toEqual({ spelling, found: [paidRow.id] })
      }
      // Another number, or a part of one, finds nothing: the hash is of the whole number.
      expect(await search("0712 345 679")).toEqual([])
      expect(await search("345678")).toEqual([])
      // The number was matched, not stored or sent back.
      const answer = await admin("get", `/admin/mpesa/attempts?q=0712345678`)
      expect(JSON.stringify(answer.data)).not.toMatch(/254712345678|0712345678|phone_hash/)
    })

    it("finds an order's payments by its number exactly: #1 is never a phone ending in 1", async () => {
      const { paidRow, cancelledRow, displayId } = await payments()

      expect((await search(`#${displayId}`)).map((a) => a.id)).toEqual([paidRow.id])
      expect((await search(String(displayId))).map((a) => a.id)).toEqual([paidRow.id])
      // 0700000001 ends in 1, and 01 is its last two digits: neither "#1", "1" nor "01" finds it.
      for (const q of ["#1", "1", "01"]) {
        expect((await search(q)).map((a) => a.id)).not.toContain(cancelledRow.id)
      }
      // A number no order has finds nothing.
      expect(await search("#987654")).toEqual([])
    })

    it("finds a draft order's desk prompt by the draft's number, and names it a draft", async () => {
      const draft = await draftOrder("+254700000010")
      const asked = await admin("post", `/admin/mpesa/orders/${draft.id}/request-payment`, { provider_id: LIPIA, phone: "0700000010" })
      expect(asked.status).toBe(200)

      // Not paid yet: the ledger's order_id is written at capture; the prompt is for the draft all the same.
      const found = await search(`#${draft.display_id}`)
      expect(found).toEqual([expect.objectContaining({ id: asked.data.attempt.id, for_order_id: draft.id, order_display_id: draft.display_id, order_is_draft: true })])
      expect((await search(String(draft.display_id))).map((a) => a.id)).toEqual([asked.data.attempt.id])
      // Its id finds it too, for developers.
      expect((await search(draft.id)).map((a) => a.id)).toEqual([asked.data.attempt.id])
    })

    it("finds a payment by its receipt in any case", async () => {
      const { paidRow } = await payments()

      for (const typed of [paidRow.receipt, paidRow.receipt.toLowerCase(), ` ${paidRow.receipt.toLowerCase()} `]) {
        expect((await search(typed)).map((a) => a.id)).toEqual([paidRow.id])
      }
      // A receipt is matched whole: a part of one is not a wildcard.
      expect(await search(paidRow.receipt.slice(0, 5))).toEqual([])
      expect(await search("%")).toEqual([])
    })

    it("names each payment's order by its number and says why a prompt failed (in the chart's and the CSV's words), in the list, the attempt and the callback log", async () => {
      const { paidRow, cancelledRow, brokeRow, displayId } = await payments()

      const list = await admin("get", "/admin/mpesa/attempts")
      const byId = new Map(list.data.attempts.map((a: any) => [a.id, a]))
      expect(byId.get(paidRow.id)).toMatchObject({ order_id: paidRow.order_id, for_order_id: paidRow.order_id, order_display_id: displayId, order_is_draft: false, failure_reason: null })
      expect(byId.get(brokeRow.id)).toMatchObject({ order_display_id: null, state_in_words: "Failed", failure_reason: "Insufficient funds" })
      // Lipwa reports a failure with no code and no reason: the list says so rather than guess.
      expect(byId.get(cancelledRow.id)).toMatchObject({ gateway: "lipwa", state_in_words: "Failed", failure_reason: "Failed — Lipwa gives no reason" })

      const one = await admin("get", `/admin/mpesa/attempts/${paidRow.id}`)
      expect(one.data.attempt).toMatchObject({ order_display_id: displayId, order_is_draft: false, timeline: expect.any(Array) })

      const callbacks = await eventually(async () => {
        const answer = await admin("get", "/admin/mpesa/callbacks?matched=true")
        return answer.data.callbacks.some((c: any) => c.attempt_id === paidRow.id) ? answer.data.callbacks : undefined
      })
      expect(callbacks.find((c: any) => c.attempt_id === paidRow.id).payment).toEqual({
        order_id: paidRow.order_id,
        order_display_id: displayId,
        order_is_draft: false,
        receipt: paidRow.receipt,
        amount: paidRow.amount_paid,
        state_in_words: "Paid",
      })
      const one_callback = await admin("get", `/admin/mpesa/callbacks/${callbacks[0].id}`)
      expect(one_callback.data.callback).toHaveProperty("payment")
    })

    it("a receipt recorded twice is refused naming the order by its number, never by ids", async () => {
      const first = await draftOrder("+254700000000")
      const till = sandbox().recordTillPayment({ phone: "0712345678", amount: 2000 })
      expect((await admin("post", `/admin/mpesa/orders/${first.id}/record-payment`, { provider_id: LIPWA, receipt: till.receipt })).status).toBe(200)

      const second = await draftOrder("+254700000000")
      const again = await admin("post", `/admin/mpesa/orders/${second.id}/record-payment`, { provider_id: LIPWA, receipt: till.receipt })

      expect(again.status).toBe(409)
      expect(again.data.message).toMatch(new RegExp(`Receipt ${till.receipt} is already recorded on (Draft order|Order) #${first.display_id}`))
      expect(again.data.message).not.toMatch(/order_|mpatt_|pp_/)
    })
  },
})
