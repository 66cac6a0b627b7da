import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { drainRecovery, eventually, LIPIA, LIPWA, openShop, startMpesaPayment, useSandbox } from "../fixtures/mpesa"
import type { SeededStore, StoreApi } from "../fixtures/store"

jest.setTimeout(180_000)

const sandbox = useSandbox()

/**
 * The prune job as the store runs it: from the built plugin the test app loads (see
 * fixtures/mpesa.ts recoveryJob), called as Medusa calls every job, `handler(container, { scheduledFor })`.
 */
function pruneMpesaCallbacks(container: unknown, now: number): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, "../../.medusa/server/src/jobs/prune-mpesa-callbacks.js")).default(container, { scheduledFor: new Date(now) })
}

/**
 * The merchant's desk on a real store: a prompt sent from the admin for what an edited order or
 * a draft order owes (same guards as checkout; paid, the order owes nothing and a draft becomes
 * an order once), and every callback kept as received — matched or forged.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: SeededStore
    let store: StoreApi
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ seed, store, headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const admin = (method: "get" | "post", url: string, body?: unknown, extra: Record<string, string> = {}) =>
      method === "get"
        ? api.get(url, { headers: { ...headers, ...extra }, validateStatus: () => true })
        : api.post(url, body ?? {}, { headers: { ...headers, ...extra }, validateStatus: () => true })
    const ledger = () => getContainer().resolve("mpesa") as any
    const query = () => getContainer().resolve(ContainerRegistrationKeys.QUERY)

    async function orderOfCart(cartId: string): Promise<string | undefined> {
      const { data } = await query().graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return data[0]?.order_id
    }

    async function outstanding(orderId: string): Promise<number> {
      const answer = await admin("get", `/admin/mpesa/orders/${orderId}`)
      expect(answer.status).toBe(200)
      return answer.data.balance.outstanding
    }

    /** An order paid at checkout, then edited to add one more item: it owes that item's price. */
    async function editedOrder() {
      const paid = await startMpesaPayment(store, seed, LIPIA, "0700000000")
      const orderId = await eventually(() => orderOfCart(paid.cart.id))
      await eventually(async () => ((await outstanding(orderId)) === 0 ? true : undefined))
      const edit = await admin("post", "/admin/order-edits", { order_id: orderId })
      expect(edit.status).toBe(200)
      // Medusa's order-edit routes take the order's id (one active edit per order).
      const editId = orderId
      expect((await admin("post", `/admin/order-edits/${editId}/items`, { items: [{ variant_id: seed.variant.id, quantity: 1 }] })).status).toBe(200)
      expect((await admin("post", `/admin/order-edits/${editId}/request`)).status).toBe(200)
      const confirmed = await admin("post", `/admin/order-edits/${editId}/confirm`)
      expect(confirmed.status).toBe(200)
      return orderId
    }

    async function draftOrder(phone: string | null = "+254700000000") {
      const created = await admin("post", "/admin/draft-orders", {
        email: "phone-order@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity: 2 }],
        shipping_address: {
          first_name: "Achieng",
          last_name: "Otieno",
          address_1: "Moi Avenue 5",
          city: "Nairobi",
          country_code: seed.countries[0],
          ...(phone ? { phone } : {}),
        },
      })
      expect(created.status).toBe(200)
      return created.data.draft_order.id as string
    }

    async function orderRow(orderId: string) {
      const { data } = await query().graph({ entity: "order", fields: ["id", "status", "is_draft_order", "summary.*"], filters: { id: orderId } })
      return data[0]
    }

    it("asks for what an edited order owes, with the checkout's guards; paid, the order owes nothing", async () => {
      const orderId = await editedOrder()
      const owed = await outstanding(orderId)
      expect(owed).toBeGreaterThan(0)

      const panel = await admin("get", `/admin/mpesa/orders/${orderId}`)
      expect(panel.data.balance).toMatchObject({ order_id: orderId, draft: false, currency_code: "kes", phone: "+254700000000" })
      expect(panel.data.providers.map((p: any) => [p.provider_id, p.mode])).toEqual(
        expect.arrayContaining([
          [LIPIA, "sandbox"],
          [LIPWA, "sandbox"],
        ])
      )

      // The order's own number would pay at once; a number that never settles shows the guard.
      const asked = await admin("post", `/admin/mpesa/orders/${orderId}/request-payment`, { provider_id: LIPWA, phone: "0700000010" })
      expect(asked.status).toBe(200)
      expect(asked.data.attempt).toMatchObject({ state: "pending", origin: "admin_request", amount_requested: owed, gateway: "lipwa" })
      expect(asked.data.attempt.requested_by).toEqual(expect.any(String))
      expect(JSON.stringify(asked.data)).not.toMatch(/254700000010|phone_hash/)

      const again = await admin("post", `/admin/mpesa/orders/${orderId}/request-payment`, { provider_id: LIPIA })
      expect(again.status).toBe(409)
      expect(again.data).toMatchObject({ code: "MPESA_PAYMENT_IN_PROGRESS" })
      expect(again.data.message).toMatch(/still live on the customer's phone/)
      expect(Number(again.headers["retry-after"])).toBeGreaterThan(0)

      await sandbox().settle(asked.data.attempt.reference, "success")
      await eventually(async () => ((await outstanding(orderId)) === 0 ? true : undefined))
      const row = await eventually(async () => {
        const found = await ledger().retrieveMpesaAttempt(asked.data.attempt.id)
        return found.order_id ? found : undefined
      })
      expect(row).toMatchObject({ state: "paid", order_id: orderId, paid_twice: false, paid_without_order: false })

      // Captured on the order by the M-Pesa provider, as Medusa records any capture.
      const { data: payments } = await query().graph({
        entity: "payment",
        fields: ["provider_id", "amount", "captured_at", "payment_collection_id"],
        filters: { payment_collection_id: row.payment_collection_id },
      })
      expect(payments).toHaveLength(1)
      expect(payments[0]).toMatchObject({ provider_id: LIPWA })
      expect(payments[0].captured_at).toBeTruthy()

      // The order panel shows it, with the callback that told it.
      const after = await admin("get", `/admin/mpesa/orders/${orderId}`)
      const shown = after.data.attempts.find((a: any) => a.id === row.id)
      expect(shown.timeline.find((e: any) => e.event === "callback_received" && e.callback_id)).toBeTruthy()

      const nothing = await admin("post", `/admin/mpesa/orders/${orderId}/request-payment`, { provider_id: LIPIA })
      expect(nothing.status).toBe(409)
      expect(nothing.data.code).toBe("MPESA_NOTHING_OUTSTANDING")
    })

    it("a draft order paid by M-Pesa becomes an order exactly once, whatever the callbacks do", async () => {
      const draftId = await draftOrder()
      expect(await outstanding(draftId)).toBeGreaterThan(0)

      // 0700000006: paid, and the callback is delivered twice.
      const asked = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPIA, phone: "0700000006" })
      expect(asked.status).toBe(200)
      const converted = await eventually(async () => {
        const order = await orderRow(draftId)
        return order.is_draft_order ? undefined : order
      })
      expect(converted.status).toBe("pending")

      // More callbacks and the recovery job, at once: nothing more happens.
      await Promise.all([sandbox().resendCallback(asked.data.attempt.reference), sandbox().resendCallback(asked.data.attempt.reference), drainRecovery(getContainer())])
      const row = await eventually(async () => {
        const found = await ledger().retrieveMpesaAttempt(asked.data.attempt.id)
        return found.order_id ? found : undefined
      })
      expect(row).toMatchObject({ state: "paid", order_id: draftId, paid_twice: false })
      expect(await outstanding(draftId)).toBe(0)

      // Converted once: one reservation per line (a second conversion would reserve again), one capture.
      const { data: items } = await query().graph({ entity: "order", fields: ["items.id"], filters: { id: draftId } })
      const inventory = getContainer().resolve(Modules.INVENTORY) as any
      const reservations = await inventory.listReservationItems({ line_item_id: items[0].items.map((i: any) => i.id) })
      expect(reservations).toHaveLength(items[0].items.length)
      const { data: payments } = await query().graph({ entity: "payment", fields: ["id", "captured_at"], filters: { payment_collection_id: row.payment_collection_id } })
      expect(payments).toHaveLength(1)
    })

    it("refuses what it cannot ask, in words the merchant can act on", async () => {
      const noPhone = await draftOrder(null)
      const missing = await admin("post", `/admin/mpesa/orders/${noPhone}/request-payment`, { provider_id: LIPIA })
      expect(missing.status).toBe(400)
      expect(missing.data.message).toMatch(/no phone number/i)

      const airtel = await admin("post", `/admin/mpesa/orders/${noPhone}/request-payment`, { provider_id: LIPIA, phone: "0733123456" })
      expect(airtel.status).toBe(400)
      expect(airtel.data.code).toBe("MPESA_NOT_SAFARICOM")
      expect(await ledger().listMpesaAttempts({})).toHaveLength(0)

      expect((await admin("post", `/admin/mpesa/orders/order_nope/request-payment`, { provider_id: LIPIA })).status).toBe(404)
      const badProvider = await admin("post", `/admin/mpesa/orders/${noPhone}/request-payment`, { provider_id: "pp_system_default" })
      expect(badProvider.status).toBe(400)
      expect(badProvider.data.message).toMatch(/provider_id/)
      const extra = await admin("post", `/admin/mpesa/orders/${noPhone}/request-payment`, { provider_id: LIPIA, amount: 1 })
      expect(extra.status).toBe(400)

      const anonymous = await api.post(`/admin/mpesa/orders/${noPhone}/request-payment`, { provider_id: LIPIA }, { validateStatus: () => true })
      expect(anonymous.status).toBe(401)
    })

    it("keeps every callback as received — matched or forged — with nothing secret, and prunes the old", async () => {
      const forged = await api.post(
        "/hooks/mpesa/lipia?attempt_id=mpatt_forged&sig=0000",
        { response: { Status: "Success", ResultCode: 0, MpesaReceiptNumber: "FAKE123456", Amount: 5000, Phone: "254712345678" } },
        { headers: { Authorization: "Bearer leaked-token", "User-Agent": "forger/1.0", "X-Forwarded-For": "203.0.113.9" }, validateStatus: () => true }
      )
      expect(forged.status).toBe(401)

      const paid = await startMpesaPayment(store, seed, LIPIA, "0700000000")
      await eventually(() => orderOfCart(paid.cart.id))

      const unmatched = await admin("get", "/admin/mpesa/callbacks?matched=false")
      expect(unmatched.status).toBe(200)
      expect(unmatched.data.count).toBe(1)
      const [log] = unmatched.data.callbacks
      expect(log).toMatchObject({
        gateway: "lipia",
        attempt_id: null,
        named_id: "mpatt_forged",
        signature_valid: false,
        answer_status: 401,
        answer_code: "MPESA_BAD_SIGNATURE",
      })
      expect(log.body).toContain("FAKE123456")
      expect(log.body).toContain("2547******78")
      expect(JSON.stringify(log)).not.toMatch(/254712345678|leaked-token|sig=0000/)
      expect(log.headers).toMatchObject({ "user-agent": "forger/1.0", "x-forwarded-for": "203.0.113.9" })
      expect(log.headers.authorization).toBeUndefined()

      const matched = await eventually(async () => {
        const answer = await admin("get", "/admin/mpesa/callbacks?matched=true")
        return answer.data.count ? answer.data : undefined
      })
      const genuine = matched.callbacks[0]
      expect(genuine).toMatchObject({ gateway: "lipia", signature_valid: true, answer_status: 200, answer_message: "ok" })
      const attempt = await admin("get", `/admin/mpesa/attempts/${genuine.attempt_id}`)
      expect(attempt.data.attempt.callbacks.map((c: any) => c.id)).toContain(genuine.id)
      expect(attempt.data.attempt.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ event: "callback_received", callback_id: genuine.id })]))
      expect((await admin("get", `/admin/mpesa/callbacks/${genuine.id}`)).data.callback.id).toBe(genuine.id)

      expect((await admin("get", "/admin/mpesa/callbacks?matched=maybe")).status).toBe(400)
      expect((await api.get("/admin/mpesa/callbacks", { validateStatus: () => true })).status).toBe(401)

      // Kept for callbackLogDays (90 by default): nothing goes today, everything 91 days on.
      expect(await pruneMpesaCallbacks(getContainer(), Date.now())).toBe(0)
      expect(await pruneMpesaCallbacks(getContainer(), Date.now() + 91 * 24 * 3600_000)).toBeGreaterThanOrEqual(2)
      expect((await admin("get", "/admin/mpesa/callbacks")).data.count).toBe(0)
      // The attempt keeps its own record of the callback once the log forgot it.
      const pruned = await admin("get", `/admin/mpesa/attempts/${genuine.attempt_id}`)
      expect(pruned.data.attempt.timeline.filter((e: any) => e.event === "callback_received")).toHaveLength(1)
    })
  },
})
