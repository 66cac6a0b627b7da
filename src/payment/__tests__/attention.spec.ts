import type { AttemptState } from "../attempt"
import { attentionOf, stateInWords, timelineOf, toneOf } from "../attention"

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
    ["pushing", { unverified: true, resolved_at: "2026-12-03T11:00:00Z" }, "ended"],
  ] as const)("%s with %o is coloured %s", (state, flags, tone) => {
    expect(toneOf(attempt(state, flags))).toBe(tone)
  })
})

describe("the state in words of a payment made outside the prompt", () => {
  it.each([
    // origin, attested, held → words
    ["recorded", false, false, "Paid — recorded by receipt"],
    ["recorded", true, false, "Paid — attested by the merchant"],
    ["recorded", true, true, "Paid — no order"],
    ["checkout", false, false, "Paid"],
    ["admin_request", false, false, "Paid"],
  ] as const)("a paid %s attempt (attested %s, held %s) reads %j", (origin, attested, held, words) => {
    expect(stateInWords({ ...attempt("paid", { order_id: held ? null : "order_1", paid_without_order: held }), origin, attested })).toBe(words)
  })
})

describe("an attempt's timeline tells its callbacks", () => {
  const heard = attempt("paid", { callback_at: "2026-12-03T10:00:40Z", settled_at: "2026-12-03T10:00:41Z", order_id: "order_1" })

  it("lists every logged callback, in order, with whether it was genuine and what the store answered", () => {
    const timeline = timelineOf(heard, [
      { id: "mpcb_2", received_at: "2026-12-03T10:00:40Z", signature_valid: true, answer_status: 200, answer_code: null },
      { id: "mpcb_1", received_at: "2026-12-03T10:00:20Z", signature_valid: true, answer_status: 409, answer_code: "MPESA_CALLBACK_UNCONFIRMED" },
    ])
    expect(timeline.filter((e) => e.event === "callback_received")).toEqual([
      { at: "2026-12-03T10:00:20.000Z", event: "callback_received", detail: "signature valid · answered 409 MPESA_CALLBACK_UNCONFIRMED", callback_id: "mpcb_1" },
      { at: "2026-12-03T10:00:40.000Z", event: "callback_received", detail: "signature valid · answered 200 ok", callback_id: "mpcb_2" },
    ])
  })

  it.each([
    // origin, who → what the prompt's line says
    ["checkout", null, "KES 1,700"],
    ["admin_request", "amina@shop.co.ke", "KES 1,700, sent from the admin by amina@shop.co.ke"],
    ["admin_request", null, "KES 1,700"],
  ] as const)("a %s prompt sent by %p reads %j", (origin, who, detail) => {
    const [pushed] = timelineOf({ ...attempt("pending"), amount_requested: 1700, origin, requested_by: who })
    expect(pushed).toMatchObject({ event: "pushed", detail })
  })

  it("once the log forgot them, keeps the ledger's own note of the last one", () => {
    expect(timelineOf(heard).filter((e) => e.event === "callback_received")).toEqual([{ at: "2026-12-03T10:00:40.000Z", event: "callback_received" }])
  })
})

describe("a paid attempt without an order", () => {
  it.each([
    [{}, "Paid — placing the order"],
    [{ paid_without_order: true }, "Paid — no order"],
    [{ resolved_at: "2026-12-03T11:00:00Z" }, "Paid — resolved by the merchant"],
  ] as const)("with %o reads %j", (flags, words) => {
    expect(stateInWords(attempt("paid", flags))).toBe(words)
  })
})

describe("an unverified claim in the list's State column", () => {
  it.each([
    // flags → words
    [{}, "Sending the payment prompt"],
    [{ unverified: true }, "Paid, says a callback — unverified"],
    [{ unverified: true, resolved_at: "2026-12-03T11:00:00Z" }, "Unverified claim — resolved by the merchant"],
  ])("a pushing attempt with %o reads %s", (flags, words) => {
    expect(stateInWords({ ...attempt("pushing"), ...flags })).toBe(words)
  })
})
