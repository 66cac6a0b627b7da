import type { StatusResult } from "../../lib/gateway"
import { decide } from "../decide"

const now = new Date("2026-11-23T10:00:00.000Z")
const base: StatusResult = { gateway: "lipia", reference: "ref", found: true, state: "pending", message: "Check your phone" }

describe("decide", () => {
  it.each([
    // [gateway says, amount, requested, Medusa status, session state]
    ["pending", undefined, 100, "pending", "pending"],
    ["paid", 100, 100, "captured", "paid"],
    ["paid", 50, 100, "requires_more", "amount_mismatch"],
    ["paid", 101, 100, "requires_more", "amount_mismatch"],
    ["paid", undefined, 100, "pending", "pending"],
    ["failed", 100, 100, "error", "failed"],
  ] as const)("gateway %s for KES %p of %p → %s (%s)", (state, amount, requested, status, sessionState) => {
    const decision = decide({ ...base, state, amount, receipt: state === "paid" ? "NEF61H8J60" : undefined }, requested, now)
    expect(decision.status).toBe(status)
    expect(decision.patch.state).toBe(sessionState)
    expect(decision.patch.checked_at).toBe(now.toISOString())
  })

  it("keeps the receipt, the amount paid and when it was paid", () => {
    const { patch } = decide(
      { ...base, state: "paid", amount: 100, receipt: "NEF61H8J60", resultCode: 0, settledAt: "2026-11-23T09:59:00.000Z", message: "Payment received. Thank you!" },
      100,
      now
    )
    expect(patch).toMatchObject({
      receipt: "NEF61H8J60",
      amount_paid: 100,
      paid_at: "2026-11-23T09:59:00.000Z",
      result_code: 0,
      outcome: "paid",
      message: "Payment received. Thank you!",
    })
  })

  it("flags an amount mismatch for the admin and tells the shopper both amounts", () => {
    const { patch } = decide({ ...base, state: "paid", amount: 50, receipt: "NEF61H8J60" }, 100, now)
    expect(patch.flags).toEqual({ amount_mismatch: true })
    expect(patch.receipt).toBe("NEF61H8J60")
    expect(patch.message).toContain("KES 50")
    expect(patch.message).toContain("KES 100")
  })

  it("passes the result code and shopper message of a failure through", () => {
    const { patch } = decide(
      { ...base, state: "failed", resultCode: 1032, outcome: "cancelled", message: "The payment was cancelled on your phone." },
      100,
      now
    )
    expect(patch).toMatchObject({ state: "failed", result_code: 1032, outcome: "cancelled", message: "The payment was cancelled on your phone." })
  })
})
