import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { csvRecords, eventually, LIPIA, LIPWA, recoverMpesaPayments, startMpesaPayment, useSandbox, openShop } from "../fixtures/mpesa"
import { adminHeaders, seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()

/**
 * The admin API under /admin/mpesa on a real store: every payment findable (by receipt, order,
 * phone), exportable, re-checkable, and every flagged one settleable without touching the
 * database.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ seed, store, headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const startPayment = (providerId: string, phone: string) => startMpesaPayment(store, seed, providerId, phone)
    const admin = (method: "get" | "post", url: string, body?: unknown) =>
      method === "get" ? api.get(url, { headers, validateStatus: () => true }) : api.post(url, body ?? {}, { headers, validateStatus: () => true })
    const ledger = () => getContainer().resolve("mpesa") as any

    async function orderOf(cartId: string): Promise<string | undefined> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return data[0]?.order_id
    }

    async function attemptOf(sessionId: string, until: (row: any) => boolean = () => true) {
      return eventually(async () => {
        const [row] = await ledger().listMpesaAttempts({ session_id: sessionId })
        return row && until(row) ? row : undefined
      })
    }

    /** A paid order, a cancelled prompt and a prompt still on the phone. */
    async function threePayments() {
      const paid = await startPayment(LIPIA, "0700000000")
      const orderId = await eventually(() => orderOf(paid.cart.id))
      const paidRow = await attemptOf(paid.session.id, (row) => !!row.order_id)
      const failed = await startPayment(LIPWA, "0700000001")
      await attemptOf(failed.session.id, (row) => row.state === "failed")
      const pending = await startPayment(LIPIA, "0700000010")
      return { paid, orderId, paidRow, failed, pending }
    }

    async function heldPayment() {
      const started = await startPayment(LIPIA, "0700000010")
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const inventory = getContainer().resolve(Modules.INVENTORY) as any
      const { data: [variant] } = await query.graph({ entity: "variant", fields: ["inventory_items.inventory_item_id"], filters: { id: seed.variant.id } })
      const level = (stocked_quantity: number) => [
        { inventory_item_id: variant.inventory_items[0].inventory_item_id, location_id: seed.stockLocation.id, stocked_quantity },
      ]
      await inventory.updateInventoryLevels(level(0))
      await sandbox().settle(started.reference, "success")
      const row = await attemptOf(started.session.id, (r) => r.paid_without_order)
      return { ...started, row, restock: () => inventory.updateInventoryLevels(level(100)) }
    }

    it("lists, filters, searches and paginates the ledger", async () => {
      const { paid, orderId, paidRow, pending } = await threePayments()

      const all = await admin("get", "/admin/mpesa/attempts")
      expect(all.status).toBe(200)
      expect(all.data).toMatchObject({ count: 3, limit: 20, offset: 0 })
      expect(all.data.attempts.map((a: any) => a.state)).toEqual(["pending", "failed", "paid"])
      expect(JSON.stringify(all.data)).not.toMatch(/phone_hash|254700000/)

      expect((await admin("get", "/admin/mpesa/attempts?gateway=lipwa")).data.count).toBe(1)
      expect((await admin("get", "/admin/mpesa/attempts?state=paid&state=failed")).data.count).toBe(2)
      const byReceipt = await admin("get", `/admin/mpesa/attempts?q=${paidRow.receipt.toLowerCase()}`)
      expect(byReceipt.data.attempts).toEqual([expect.objectContaining({ session_id: paid.session.id, order_id: orderId, state_in_words: "Paid" })])
      expect((await admin("get", `/admin/mpesa/attempts?q=${orderId}`)).data.count).toBe(1)
      // The customer's whole number, as they say it (the ledger keeps only its keyed hash); never its last digits alone.
      expect((await admin("get", `/admin/mpesa/attempts?q=${encodeURIComponent("0700 000 010")}`)).data.attempts).toEqual([expect.objectContaining({ session_id: pending.session.id })])
      expect((await admin("get", `/admin/mpesa/attempts?q=10`)).data.attempts).not.toContainEqual(expect.objectContaining({ session_id: pending.session.id }))
      const page = await admin("get", "/admin/mpesa/attempts?limit=1&offset=1")
      expect(page.data).toMatchObject({ count: 3, limit: 1, offset: 1, attempts: [expect.objectContaining({ state: "failed" })] })
      const future = await admin("get", "/admin/mpesa/attempts?from=2099-01-01")
      expect(future.data.count).toBe(0)
    })

    it.each([
      ["state=bogus", /state/],
      ["limit=0", /limit/],
      ["from=yesterday", /from/],
      ["sort=amount", /sort|Unrecognized/i],
    ])("answers a bad query (%s) with 400 naming the parameter", async (query, named) => {
      const response = await admin("get", `/admin/mpesa/attempts?${query}`)

      expect(response.status).toBe(400)
      expect(response.data.message).toMatch(named)
    })

    // Every route under /admin/mpesa, as the source lays them out (checked below).
    const ADMIN_ROUTES = [
      ["get", "/admin/mpesa/attempts"],
      ["get", "/admin/mpesa/attempts/export"],
      ["get", "/admin/mpesa/attempts/mpatt_x"],
      ["post", "/admin/mpesa/attempts/mpatt_x/recheck"],
      ["post", "/admin/mpesa/attempts/mpatt_x/resolve"],
      ["post", "/admin/mpesa/attempts/mpatt_x/place-order"],
      ["post", "/admin/mpesa/attempts/mpatt_x/accept"],
      ["get", "/admin/mpesa/orders/order_x"],
      ["post", "/admin/mpesa/orders/order_x/request-payment"],
      ["get", "/admin/mpesa/callbacks"],
      ["get", "/admin/mpesa/callbacks/mpcb_x"],
      ["get", "/admin/mpesa/outcomes"],
      ["post", "/admin/mpesa/orders/order_x/record-payment"],
      ["get", "/admin/mpesa/reconcile?provider_id=pp_mpesa-lipwa_lipwa"],
      ["get", "/admin/mpesa/unmatched-payments?provider_id=pp_mpesa-lipwa_lipwa"],
      ["get", "/admin/mpesa/owing-orders"],
      ["get", "/admin/mpesa/setup"],
      ["post", "/admin/mpesa/setup/test-callback"],
    ] as const
    it.each(ADMIN_ROUTES)("%s %s is for the store's admins only: 401 without a login", async (method, url) => {
      const response = method === "get" ? await api.get(url, { validateStatus: () => true }) : await api.post(url, {}, { validateStatus: () => true })

      expect(response.status).toBe(401)
    })

    it("the 401 table covers every admin route in the source", () => {
      const root = path.join(__dirname, "../../src/api/admin/mpesa")
      const onDisk = require("node:fs")
        .readdirSync(root, { recursive: true })
        .map(String)
        .filter((file: string) => file.endsWith("route.ts"))
        .map((file: string) => `/admin/mpesa/${path.dirname(file)}`.replace(/\/\.$/, ""))
      const tabled = ADMIN_ROUTES.map(([, url]) => url.split("?")[0].replace(/\/(mpatt|order|mpcb)_x/, "/[id]"))
      expect([...new Set(tabled)].sort()).toEqual([...onDisk].sort())
    })

    it("exports the filtered attempts as CSV for the accountant: Nairobi time, shillings, order numbers, emails and why a prompt failed", async () => {
      const { paidRow, orderId, failed } = await threePayments()
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: [order] } = await query.graph({ entity: "order", fields: ["display_id", "email"], filters: { id: orderId } })

      const csv = await admin("get", "/admin/mpesa/attempts/export?state=paid")

      expect(csv.status).toBe(200)
      expect(csv.headers["content-type"]).toMatch(/text\/csv/)
      const lines = String(csv.data).trim().split("\r\n")
      expect(lines[0]).toBe(
        "date,gateway,reference,receipt,currency,amount_requested,amount_paid,phone,order,customer_email,state,reason,flags,resolved_at,resolved_by,origin,requested_by,recorded_by,attested,attested_by,note,order_id"
      )
      const paid = csvRecords(String(csv.data))
      expect(paid).toEqual([
        expect.objectContaining({
          gateway: "lipia",
          reference: paidRow.reference,
          receipt: paidRow.receipt,
          currency: "KES",
          amount_requested: String(paidRow.amount_requested),
          amount_paid: String(paidRow.amount_paid),
          phone: "2547******00",
          order: `Order #${order.display_id}`,
          customer_email: order.email,
          state: "paid",
          reason: "",
          origin: "checkout",
          attested: "false",
          order_id: orderId,
        }),
      ])
      // Nairobi's wall clock, with the offset: the same instant the ledger holds.
      expect(paid[0].date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/)
      expect(Math.abs(Date.parse(paid[0].date) - new Date(paidRow.pushed_at).getTime())).toBeLessThan(1000)

      const all = csvRecords(String((await admin("get", "/admin/mpesa/attempts/export")).data))
      // The shopper cancelled on Lipwa, which never says why: the file says so rather than leave it blank.
      expect(all.find((r) => r.reference === failed.reference)).toMatchObject({ state: "failed", reason: "Failed — Lipwa gives no reason", order: "" })
    })

    it("serves an order's M-Pesa receipt and timeline to the order panel, and nothing for other orders", async () => {
      const { paidRow, orderId } = await threePayments()

      const panel = await admin("get", `/admin/mpesa/orders/${orderId}`)

      expect(panel.status).toBe(200)
      expect(panel.data.attempts).toHaveLength(1)
      expect(panel.data.attempts[0]).toMatchObject({ receipt: paidRow.receipt, amount_paid: paidRow.amount_requested, phone_masked: "2547******00" })
      expect(panel.data.attempts[0].timeline.map((e: any) => e.event)).toEqual(["pushed", "callback_received", "verified", "captured"])
      expect((await admin("get", "/admin/mpesa/orders/order_not_mpesa")).data.attempts).toEqual([])
    })

    it("re-checks with the gateway on request, at most once every few seconds", async () => {
      const { pending } = await threePayments()
      const [row] = await ledger().listMpesaAttempts({ session_id: pending.session.id })
      sandbox().reset()

      const first = await admin("post", `/admin/mpesa/attempts/${row.id}/recheck`)
      const second = await admin("post", `/admin/mpesa/attempts/${row.id}/recheck`)

      expect(first.data).toMatchObject({ asked: true, answer: expect.stringMatching(/Check your phone/), attempt: { state: "pending" } })
      expect(second.data).toMatchObject({ asked: false })
      expect(sandbox().requests()).toHaveLength(1)
    })

    it("shows a held payment under needs attention, and places its order once restocked — without charging again", async () => {
      const held = await heldPayment()

      const attention = await admin("get", "/admin/mpesa/attempts?flag=needs_attention")
      expect(attention.data.attempts).toEqual([
        expect.objectContaining({ id: held.row.id, attention: [expect.objectContaining({ flag: "paid_without_order", todo: expect.stringMatching(/Place the order/) })] }),
      ])

      await held.restock()
      const placed = await admin("post", `/admin/mpesa/attempts/${held.row.id}/place-order`)

      expect(placed.status).toBe(200)
      expect(placed.data.order_id).toBe(await orderOf(held.cart.id))
      expect(placed.data.attempt).toMatchObject({ paid_without_order: false, order_id: placed.data.order_id, attention: [] })
      expect(sandbox().payments()).toHaveLength(1)
      expect((await admin("get", "/admin/mpesa/attempts?flag=needs_attention")).data.count).toBe(0)
      expect((await admin("post", `/admin/mpesa/attempts/${held.row.id}/place-order`)).status).toBe(409)
    })

    it("keeps a payment held when its order still cannot be placed", async () => {
      const held = await heldPayment()

      const placed = await admin("post", `/admin/mpesa/attempts/${held.row.id}/place-order`)

      expect(placed.status).toBe(409)
      expect(placed.data.message).toMatch(/could not be placed|did not become an order/)
      // Held, with no order — or, should Medusa leave an order behind a failed completion (its
      // workflow engine can, under load), that order recorded: never paid without either.
      const orderId = await orderOf(held.cart.id)
      expect(placed.data.attempt).toMatchObject({ paid_without_order: !orderId, order_id: orderId ?? null })
      expect(sandbox().payments()).toHaveLength(1)
    })

    it("once resolved, a held payment's order is never placed: place-order answers 409 saying so, and the job leaves it", async () => {
      const held = await heldPayment()
      await admin("post", `/admin/mpesa/attempts/${held.row.id}/resolve`, { note: "Reversed in the portal, ref R9" })
      await held.restock()

      const placed = await admin("post", `/admin/mpesa/attempts/${held.row.id}/place-order`)
      await recoverMpesaPayments(getContainer())

      expect(placed.status).toBe(409)
      expect(placed.data.message).toMatch(/resolved/)
      expect(await orderOf(held.cart.id)).toBeUndefined()
      expect((await ledger().listMpesaAttempts({ id: held.row.id }))[0]).toMatchObject({ paid_without_order: true, order_id: null })
    })

    it("resolves a flagged payment with a note, kept with who and when, and it leaves needs attention", async () => {
      const held = await heldPayment()

      expect((await admin("post", `/admin/mpesa/attempts/${held.row.id}/resolve`, {})).status).toBe(400)
      const resolved = await admin("post", `/admin/mpesa/attempts/${held.row.id}/resolve`, { note: "Reversed KES in the portal, ref R123" })

      expect(resolved.status).toBe(200)
      expect(resolved.data.attempt).toMatchObject({
        resolution_note: "Reversed KES in the portal, ref R123",
        resolved_by: expect.any(String),
        resolved_at: expect.any(String),
        attention: [],
      })
      expect(resolved.data.attempt.timeline.at(-1)).toMatchObject({ event: "resolved" })
      expect((await admin("get", "/admin/mpesa/attempts?flag=needs_attention")).data.count).toBe(0)
      expect((await admin("get", "/admin/mpesa/attempts?flag=paid_without_order")).data.count).toBe(1)
    })
    it("keeps no whole phone number from a merchant's note: not in the ledger, the answer or the CSV export", async () => {
      const held = await heldPayment()

      const resolved = await admin("post", `/admin/mpesa/attempts/${held.row.id}/resolve`, {
        note: "Reversed to 0712 345 678 (customer asked on +254-722-000-111), ref R123",
      })

      expect(resolved.status).toBe(200)
      const masked = "Reversed to 07******78 (customer asked on 2547******11), ref R123"
      expect(resolved.data.attempt.resolution_note).toBe(masked)
      expect((await ledger().listMpesaAttempts({ id: held.row.id }))[0].resolution_note).toBe(masked)

      // A payment recorded by its receipt, with the note as whatever recorded it wrote it.
      await ledger().createMpesaAttempts([
        {
          gateway: "lipia",
          provider_id: LIPIA,
          reference: "recorded-ref",
          receipt: "TAB7654321",
          phone_masked: "unknown",
          phone_hash: "",
          amount_requested: 100,
          amount_paid: 100,
          state: "paid",
          origin: "recorded",
          requested_by: "user_1",
          attested: true,
          attestation_note: "Paid from 0712345678 per WhatsApp",
          pushed_at: new Date(),
        },
      ])
      const csv = String((await admin("get", "/admin/mpesa/attempts/export")).data)
      expect(csvRecords(csv).find((r) => r.receipt === "TAB7654321")).toMatchObject({ origin: "recorded", recorded_by: "user_1", attested: "true", note: "Paid from 07******78 per WhatsApp" })
      expect(csv).not.toMatch(/712[\s-]*345[\s-]*678|722[\s-]*000[\s-]*111/)
    })

    it("shows each provider's set-up without its key or secret, and finds its callback URL reachable", async () => {
      const setup = await admin("get", "/admin/mpesa/setup")

      expect(setup.status).toBe(200)
      expect(setup.data.providers.map((p: any) => p.provider_id)).toEqual(expect.arrayContaining([LIPIA, LIPWA]))
      expect(setup.data.providers.find((p: any) => p.provider_id === LIPWA)).toMatchObject({
        gateway: "lipwa",
        mode: "sandbox",
        key_fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
        callback_url: expect.stringMatching(/\/hooks\/mpesa\/lipwa\?attempt_id=…&sig=…$/),
      })
      expect(JSON.stringify(setup.data)).not.toMatch(/sandbox-lipwa-key|sandbox-lipia-key|integration-tests-callback-secret/)

      const test = await admin("post", "/admin/mpesa/setup/test-callback", { provider_id: LIPIA })

      expect(test.status).toBe(200)
      expect(test.data.test).toMatchObject({ result: "reachable", url: expect.stringMatching(/\/hooks\/mpesa\/lipia$/) })
      expect(sandbox().requests()).toEqual([])
      expect((await admin("post", "/admin/mpesa/setup/test-callback", { provider_id: "pp_system_default" })).status).toBe(400)
    })

    it("answers a ping only when it is signed", async () => {
      const forged = await api.post(`/hooks/mpesa/lipia?session_id=ping_x&sig=${"0".repeat(64)}&ping=${LIPIA}`, {}, { validateStatus: () => true })

      expect(forged.status).toBe(401)
    })

    it("reconciles Lipwa's transactions with the ledger, and says Lipia has no list", async () => {
      const ordered = await startPayment(LIPWA, "0700000000")
      await eventually(() => orderOf(ordered.cart.id))
      await attemptOf(ordered.session.id, (row) => !!row.order_id)
      // A Lipwa payment made after its cart changed: money received, no order.
      const orphan = await startPayment(LIPWA, "0700000010")
      const added = await api.post(`/store/carts/${orphan.cart.id}/line-items`, { variant_id: seed.variant.id, quantity: 1 }, { headers: { "x-publishable-api-key": seed.publishableKey } })
      expect(added.status).toBe(200)
      await sandbox().settle(orphan.reference, "success")
      const orphanRow = await attemptOf(orphan.session.id, (row) => row.paid_without_order)

      const lipwa = await admin("get", `/admin/mpesa/reconcile?provider_id=${LIPWA}`)

      expect(lipwa.status).toBe(200)
      expect(lipwa.data.reconciliation).toMatchObject({
        supported: true,
        matched: 1,
        received_without_order: [expect.objectContaining({ receipt: orphanRow.receipt, attempt_id: orphanRow.id })],
        unknown_to_gateway: [],
      })
      const lipia = await admin("get", `/admin/mpesa/reconcile?provider_id=${LIPIA}`)
      expect(lipia.data.reconciliation).toEqual({ supported: false, message: expect.stringMatching(/no API that lists/) })
      expect((await admin("get", `/admin/mpesa/reconcile?provider_id=${LIPWA}&from=soon`)).status).toBe(400)
    })

    // Last in the file: ten thousand rows make the database's next minutes slower.
    it("escapes what a spreadsheet would run, and exports every row however many there are", async () => {
      const row = (i: number, reference: string) => ({
        gateway: "lipwa",
        provider_id: LIPWA,
        reference,
        phone_masked: "2547******00",
        phone_hash: "",
        amount_requested: 100,
        state: "failed",
        pushed_at: new Date(Date.parse("2026-11-01T00:00:00Z") + i * 1000),
      })
      await ledger().createMpesaAttempts([row(0, "=HYPERLINK(\"http://x\")"), row(1, "\t=1+1"), row(2, "\r@SUM(A1)")])
      // More than the 10,000 rows the export once stopped at, silently.
      for (let from = 0; from < 10_050; from += 2_000) {
        await ledger().createMpesaAttempts(Array.from({ length: Math.min(2_000, 10_050 - from) }, (_, i) => row(from + i + 3, `ref_${from + i}`)))
      }

      const csv = await admin("get", "/admin/mpesa/attempts/export")

      const text = String(csv.data)
      expect(text).toContain(`,lipwa,"'=HYPERLINK(""http://x"")",`)
      expect(text).toContain(`,lipwa,"'\t=1+1",`)
      expect(text).toContain(`,lipwa,"'\r@SUM(A1)",`)
      const lines = text.split("\r\n").filter(Boolean)
      expect(lines).toHaveLength(1 + 10_053)
      expect(lines.at(-1)).toContain(",ref_10049,")
    })
  },
})
