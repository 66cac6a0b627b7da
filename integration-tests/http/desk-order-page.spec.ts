import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { LIPIA, LIPWA, openShop, useSandbox } from "../fixtures/mpesa"
import type { SeededStore } from "../fixtures/store"

jest.setTimeout(180_000)

const sandbox = useSandbox()

/**
 * What the order page's M-Pesa panel relies on from the server: a prompt asked with the amount
 * the panel showed is refused (nothing sent) when the order now owes another amount, and a draft
 * Medusa converted answers as the order it became, by its number.
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
    const ledger = () => getContainer().resolve("mpesa") as any
    const kes = (amount: number) => `KES ${amount.toLocaleString("en-KE")}`

    async function draftOrder(quantity: number) {
      const created = await admin("post", "/admin/draft-orders", {
        email: "phone-order@example.com",
        region_id: seed.region.id,
        sales_channel_id: seed.salesChannel.id,
        items: [{ variant_id: seed.variant.id, quantity }],
        shipping_address: { first_name: "Achieng", last_name: "Otieno", address_1: "Moi Avenue 5", city: "Nairobi", country_code: seed.countries[0], phone: "+254700000010" },
      })
      expect(created.status).toBe(200)
      return created.data.draft_order.id as string
    }

    it("refuses a prompt for another amount than the panel showed, with both amounts, and sends none; the amount shown is sent", async () => {
      const draftId = await draftOrder(2)
      const owed = (await admin("get", `/admin/mpesa/orders/${draftId}`)).data.balance.outstanding
      expect(owed).toBeGreaterThanOrEqual(1000)

      // The panel was read before shipping was added: it showed KES 200 less than is owed now.
      const shown = owed - 200
      const pushesBefore = sandbox().payments().length
      const stale = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA, expected_amount: shown })
      expect(stale.status).toBe(409)
      expect(stale.data.code).toBe("MPESA_AMOUNT_CHANGED")
      expect(stale.data.message).toContain(`now owes ${kes(owed)}, not the ${kes(shown)} shown`)
      expect(stale.data.message).toMatch(/^Draft order #\d+ /)
      expect(await ledger().listMpesaAttempts({})).toHaveLength(0)
      expect(sandbox().payments()).toHaveLength(pushesBefore)

      const badAmount = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA, expected_amount: "lots" })
      expect(badAmount.status).toBe(400)

      const asked = await admin("post", `/admin/mpesa/orders/${draftId}/request-payment`, { provider_id: LIPWA, expected_amount: owed })
      expect(asked.status).toBe(200)
      expect(asked.data.attempt).toMatchObject({ amount_requested: owed, origin: "admin_request", state: "pending" })
    })

    it("answers for a draft Medusa converted as the order it became, by its number, still owing what it owes", async () => {
      const draftId = await draftOrder(1)
      const before = (await admin("get", `/admin/mpesa/orders/${draftId}`)).data.balance
      expect(before).toMatchObject({ order_id: draftId, draft: true, status: "draft", label: `Draft order #${before.display_id}` })

      // Medusa's own "Convert to order" on the draft page: same id, no payment.
      const converted = await admin("post", `/admin/draft-orders/${draftId}/convert-to-order`)
      expect(converted.status).toBe(200)

      const after = (await admin("get", `/admin/mpesa/orders/${draftId}`)).data.balance
      expect(after).toMatchObject({ order_id: draftId, draft: false, status: "pending", display_id: before.display_id, label: `Order #${before.display_id}` })
      expect(after.outstanding).toBe(before.outstanding)
      // Medusa's own draft route no longer finds it (its draft page cannot load it again): the panel is where the draft's page leads on.
      expect((await admin("get", `/admin/draft-orders/${draftId}`)).status).toBe(404)
    })
  },
})
