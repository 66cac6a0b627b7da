import { candidatesFor, creditsWithoutAttempt, type OwingOrder, samePhone } from "../unmatched-payments"

const order = (id: string, extra: Partial<OwingOrder> = {}): OwingOrder => ({
  order_id: id,
  display_id: Number(id.replace(/\D/g, "")) || null,
  label: `Order #${id}`,
  draft: false,
  created_at: "2026-12-01T08:00:00.000Z",
  outstanding: 1700,
  customer: "Achieng Otieno",
  phone: null,
  ...extra,
})
const credit = { receipt: "TLP4DEMO01", reference: "ws_CO_1", amount: 1700, phone: "254712345678", paidAt: "2026-12-01T12:00:00+03:00" }

describe("the payer's phone against the order's", () => {
  it.each([
    // credit's phone (as the gateway lists it), order's phone (as typed) → same payer
    ["254712345678", "0712 345 678", true],
    ["254712345678", "+254 712-345-678", true],
    ["254712345678", "0712345679", false],
    ["2547******78", "0712345678", true],
    ["2547******78", "0712345688", false],
    ["07******78", "254712345678", true],
    ["254712345678", null, false],
    [undefined, "0712345678", false],
    ["254712345678", "not a phone", false],
  ])("%j paid for an order whose phone is %j: %j", (creditPhone, orderPhone, same) => {
    expect(samePhone(creditPhone, orderPhone)).toBe(same)
  })
})

describe("the orders a waiting payment could pay", () => {
  it.each([
    ["owing another amount", [order("1", { outstanding: 1500 })], []],
    ["created after the payment (it paid something else)", [order("1", { created_at: "2026-12-01T10:00:00.000Z" })], []],
    ["created within the clocks' 5 minutes after it", [order("1", { created_at: "2026-12-01T09:04:00.000Z" })], ["1"]],
    ["the payer's own order first, then the newest", [order("1"), order("2", { created_at: "2026-12-01T08:30:00.000Z" }), order("3", { phone: "0712345678" })], ["3", "2", "1"]],
    ["a draft as much as an order", [order("4", { draft: true, label: "Draft order #4" })], ["4"]],
  ])("%s", (_case, orders, expected) => {
    expect(candidatesFor(credit, orders).map((c) => c.order_id)).toEqual(expected)
  })

  it("says which candidate has the payer's phone, and never carries the phone itself", () => {
    const [candidate] = candidatesFor(credit, [order("3", { phone: "0712345678" })])
    expect(candidate).toMatchObject({ order_id: "3", same_phone: true, outstanding: 1700, customer: "Achieng Otieno" })
    expect(candidate).not.toHaveProperty("phone")
  })

  it("takes any order owing the amount when the gateway gives no date", () => {
    expect(candidatesFor({ ...credit, paidAt: undefined }, [order("1", { created_at: "2030-01-01T00:00:00.000Z" })])).toHaveLength(1)
  })
})

describe("credits no attempt holds", () => {
  const credits = [
    { receipt: "TAA0000001", reference: "ws_CO_1", amount: 100 },
    { receipt: "taa0000002", reference: "ws_CO_2", amount: 200 },
    { receipt: "TAA0000003", reference: "ws_CO_3", amount: 300 },
  ]
  it.each([
    ["none known", { receipts: [], references: [] }, ["TAA0000001", "taa0000002", "TAA0000003"]],
    ["a receipt recorded, whatever its case", { receipts: ["TAA0000002"], references: [] }, ["TAA0000001", "TAA0000003"]],
    ["a prompt's payment whose receipt is not written yet", { receipts: [], references: ["ws_CO_3"] }, ["TAA0000001", "taa0000002"]],
  ])("%s", (_case, known, expected) => {
    expect(creditsWithoutAttempt(credits, known).map((c) => c.receipt)).toEqual(expected)
  })
})
