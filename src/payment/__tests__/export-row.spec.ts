import { EXPORT_COLUMNS, exportRow, type ExportedAttempt, type ExportedOrder, type ExportNames } from "../export-row"

const base: ExportedAttempt = {
  pushed_at: "2026-12-06T06:52:00Z",
  gateway: "lipia",
  reference: "ref_1",
  receipt: null,
  amount_requested: 1700,
  amount_paid: null,
  phone_masked: "2547******78",
  order_id: null,
  state: "pending",
  outcome: null,
  result_code: null,
  paid_without_order: false,
  paid_twice: false,
  unverified: false,
  late_success: false,
  refund_refused: false,
  checks_abandoned: false,
  resolved_at: null,
  resolved_by: null,
  origin: "checkout",
  requested_by: null,
  attested: false,
  attestation_note: null,
  attested_by: null,
} as ExportedAttempt

const orders: Record<string, ExportedOrder> = {
  order_1: { id: "order_1", label: "Order #12", email: "wanjiku@example.com" },
  order_2: { id: "order_2", label: "Draft order #3", email: null },
}

const names: Pick<ExportNames, "users"> = {
  users: new Map([
    ["user_a", "amina@shop.co.ke"],
    ["user_b", "otieno@shop.co.ke"],
  ]),
}

const row = (attempt: Partial<ExportedAttempt>, forOrder = attempt.order_id) =>
  Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, exportRow({ ...base, ...attempt } as ExportedAttempt, forOrder ? orders[forOrder] : undefined, names.users)[i]]))

describe("the accountant's CSV row", () => {
  it("has one cell per column", () => {
    expect(exportRow(base, undefined, names.users)).toHaveLength(EXPORT_COLUMNS.length)
  })

  it("dates on Nairobi's clock with the offset, in shillings, the order by its number with the customer's email", () => {
    expect(row({ order_id: "order_1", state: "paid", outcome: "paid", receipt: "TLP4DEMO01", amount_paid: 1700, resolved_at: "2026-12-06T21:05:00Z", resolved_by: "user_b" })).toMatchObject({
      date: "2026-12-06T09:52:00+03:00",
      currency: "KES",
      order: "Order #12",
      customer_email: "wanjiku@example.com",
      reason: null,
      resolved_at: "2026-12-07T00:05:00+03:00",
      resolved_by: "otieno@shop.co.ke",
      order_id: "order_1",
    })
  })

  it("names the draft a desk prompt was asked for before it is paid (the ledger has no order_id yet)", () => {
    expect(row({ origin: "admin_request", state: "pending" }, "order_2")).toMatchObject({ order: "Draft order #3", order_id: "order_2", customer_email: null })
  })

  it.each([
    // origin → who asked, who recorded
    ["checkout", null, null],
    ["admin_request", "amina@shop.co.ke", null],
    ["recorded", null, "amina@shop.co.ke"],
  ])("%s: requested_by %p, recorded_by %p", (origin, requested, recorded) => {
    expect(row({ origin, requested_by: "user_a" })).toMatchObject({ requested_by: requested, recorded_by: recorded })
  })

  it("keeps an id it cannot name rather than dropping who did it", () => {
    expect(row({ origin: "admin_request", requested_by: "user_gone" }).requested_by).toBe("user_gone")
  })

  it("says why a failed prompt failed", () => {
    expect(row({ state: "failed", outcome: "cancelled", result_code: 1032 }).reason).toBe("Cancelled by the shopper")
    expect(row({ gateway: "lipwa", state: "failed", outcome: "failed" }).reason).toBe("Failed — Lipwa gives no reason")
  })

  it("an attested payment names who vouched for it, with the note, and no whole phone number", () => {
    expect(row({ origin: "recorded", requested_by: "user_a", attested: true, attestation_note: "Seen on 0712 345 678's statement" })).toMatchObject({
      attested: true,
      attested_by: "amina@shop.co.ke",
      note: expect.not.stringContaining("345"),
    })
    expect(row({ origin: "checkout", attested: true, attested_by: "user_b", attestation_note: "Seen in the Lipia portal" })).toMatchObject({
      attested_by: "otieno@shop.co.ke",
      note: "Seen in the Lipia portal",
    })
    expect(row({ origin: "recorded", requested_by: "user_a", attestation_note: "looked up" })).toMatchObject({ attested_by: null, note: null })
  })
})
