import type { AttemptState } from "../attempt"
import { attentionOf, toneOf } from "../attention"

const base = {
  gateway: "lipia",
  receipt: "NEF61H8J60",
  amount_requested: 100,
  amount_paid: 100,
  order_id: null,
  paid_without_order: false,
  paid_twice: false,
  unverified: false,
  amount_mismatch: false,
  late_success: false,
  refund_refused: false,
  checks_abandoned: false,
  message: null,
  pushed_at: "2026-12-03T10:00:00Z",
  callback_at: null,
  checked_at: null,
  settled_at: null,
  resolved_at: null,
  resolved_by: null,
  resolution_note: null,
}
const attempt = (state: AttemptState, extra: Partial<typeof base> = {}) => ({ ...base, state, ...extra })

describe("what the admin shows of an attempt", () => {
  it.each([
    // flag set → it needs the merchant, with what to do
    ["paid_twice", attempt("paid", { paid_twice: true, order_id: "order_1" }), /Reverse this M-Pesa payment/],
    ["unverified", attempt("pushing", { unverified: true }), /Look the receipt up/],
    ["paid_without_order", attempt("paid", { paid_without_order: true }), /Place the order/],
  ] as const)("%s needs attention, with what to do", (flag, row, todo) => {
    expect(attentionOf(row)).toEqual([expect.objectContaining({ flag, todo: expect.stringMatching(todo) })])
  })

  it("a resolved attempt needs nothing more, whatever its flags", () => {
    expect(attentionOf(attempt("paid", { paid_twice: true, unverified: true, resolved_at: "2026-12-03T11:00:00Z" }))).toEqual([])
  })

  it.each([
    // state, flags → tone
    ["paid", {}, "paid"],
    ["paid", { paid_twice: true }, "attention"],
    ["pending", {}, "waiting"],
    ["pushing", {}, "waiting"],
    ["pushing", { unverified: true }, "attention"],
    ["failed", {}, "ended"],
    ["expired", {}, "ended"],
    ["not_sent", {}, "ended"],
    ["amount_mismatch", { amount_mismatch: true }, "attention"],
  ] as const)("%s with %o is coloured %s", (state, flags, tone) => {
    expect(toneOf(attempt(state, flags))).toBe(tone)
  })
})
