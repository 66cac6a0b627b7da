import { PaymentSessionStatus } from "@medusajs/framework/utils"

import type { StatusResult } from "../../gateways/gateway"
import { MpesaAttempt } from "../../modules/mpesa/models/mpesa-attempt"
import { stateInWords } from "../attention"
import { nextCheckAt } from "../check-schedule"
import { promptOutcomeOf } from "../prompt-outcome"
import {
  ATTEMPT_EVENTS,
  ATTEMPT_STATES,
  CHECKED_STATES,
  failureMayStillPay,
  isCheckable,
  isLateSuccess,
  isLive,
  isOver,
  isSettled,
  LIVE_STATES,
  MONEY_STATES,
  needsWriteBack,
  receivedMoney,
  shopperView,
  sessionStatus,
  shopperStatus,
  transition,
  verdictOf,
  type AttemptEvent,
  type AttemptState,
} from "../attempt"

// The whole table, written out: state → event → next state ("-" = the event changes nothing).
const EXPECTED: Record<AttemptState, Record<AttemptEvent, AttemptState | "-">> = {
  pushing: { push_accepted: "pending", push_refused: "not_sent", confirmed_pending: "-", confirmed_paid: "paid", confirmed_wrong_amount: "amount_mismatch", confirmed_failed: "failed", lifetime_elapsed: "expired", merchant_accepted: "paid" },
  pending: { push_accepted: "-", push_refused: "-", confirmed_pending: "-", confirmed_paid: "paid", confirmed_wrong_amount: "amount_mismatch", confirmed_failed: "failed", lifetime_elapsed: "expired", merchant_accepted: "paid" },
  expired: { push_accepted: "-", push_refused: "-", confirmed_pending: "-", confirmed_paid: "paid", confirmed_wrong_amount: "amount_mismatch", confirmed_failed: "failed", lifetime_elapsed: "-", merchant_accepted: "paid" },
  failed: { push_accepted: "-", push_refused: "-", confirmed_pending: "-", confirmed_paid: "paid", confirmed_wrong_amount: "amount_mismatch", confirmed_failed: "-", lifetime_elapsed: "-", merchant_accepted: "paid" },
  not_sent: { push_accepted: "-", push_refused: "-", confirmed_pending: "-", confirmed_paid: "paid", confirmed_wrong_amount: "amount_mismatch", confirmed_failed: "-", lifetime_elapsed: "-", merchant_accepted: "paid" },
  paid: { push_accepted: "-", push_refused: "-", confirmed_pending: "-", confirmed_paid: "-", confirmed_wrong_amount: "-", confirmed_failed: "-", lifetime_elapsed: "-", merchant_accepted: "-" },
  amount_mismatch: { push_accepted: "-", push_refused: "-", confirmed_pending: "-", confirmed_paid: "-", confirmed_wrong_amount: "-", confirmed_failed: "-", lifetime_elapsed: "-", merchant_accepted: "-" },
}

const pairs = ATTEMPT_STATES.flatMap((state) => ATTEMPT_EVENTS.map((event) => [state, event] as const))

describe("the M-Pesa attempt lifecycle", () => {
  it.each(pairs)("%s + %s → as the table says", (state, event) => {
    expect(transition(state, event) ?? "-").toBe(EXPECTED[state][event])
  })

  // The two rules behind the table, asked of every cell: each case asserts something.
  it.each(pairs)("money is final and never dropped: %s + %s", (state, event) => {
    const next = transition(state, event)
    if (receivedMoney(state)) {
      expect(next).toBeUndefined()
    } else if (event === "confirmed_paid" || event === "confirmed_wrong_amount" || event === "merchant_accepted") {
      // The status API's word, or the merchant's own on a claim it cannot confirm: money, at once.
      expect(next).toBe(event === "confirmed_wrong_amount" ? "amount_mismatch" : "paid")
    } else {
      expect(next === undefined || !receivedMoney(next)).toBe(true)
    }
  })

  it("only a success after we gave up on the attempt is late", () => {
    expect(ATTEMPT_STATES.filter((from) => isLateSuccess(from, "paid"))).toEqual(["failed", "expired", "not_sent"])
    expect(isLateSuccess("expired", "failed")).toBe(false)
  })

  it.each([
    // state, Medusa session status, shopper status
    ["pushing", PaymentSessionStatus.PENDING, "pending"],
    ["pending", PaymentSessionStatus.PENDING, "pending"],
    ["paid", PaymentSessionStatus.CAPTURED, "paid"],
    ["amount_mismatch", PaymentSessionStatus.REQUIRES_MORE, "failed"],
    ["failed", PaymentSessionStatus.ERROR, "failed"],
    ["expired", PaymentSessionStatus.ERROR, "expired"],
    ["not_sent", PaymentSessionStatus.ERROR, "failed"],
  ] as const)("%s means session %s, shopper %s", (state, session, shopper) => {
    expect(sessionStatus(state)).toBe(session)
    expect(shopperStatus(state)).toBe(shopper)
  })

  it.each([
    // state, settled, over, write back to the session
    ["pushing", false, false, false],
    ["pending", false, false, false],
    ["paid", true, true, false],
    ["amount_mismatch", true, true, true],
    ["failed", true, true, true],
    ["expired", false, true, true],
    ["not_sent", true, true, true],
  ] as const)("%s: settled %p, over %p, written back %p", (state, settled, over, writeBack) => {
    expect([isSettled(state), isOver(state), needsWriteBack(state)]).toEqual([settled, over, writeBack])
  })

  it.each([
    ["timeout", true],
    ["expired", true],
    ["failed", true],
    [undefined, true],
    ["cancelled", false],
    ["insufficient_funds", false],
    ["wrong_pin", false],
    ["busy", false],
  ] as const)("a failure with outcome %p can still turn into money: %p", (outcome, may) => {
    expect(failureMayStillPay(outcome)).toBe(may)
  })

  it.each([
    // what the ledger says → what the shopper is told
    [{ state: "pushing", unverified: true }, "paid", /store has been notified/],
    [{ state: "paid", paid_twice: true }, "paid", /already been paid/],
    [{ state: "paid", paid_without_order: true }, "paid", /store has been notified/],
    [{ state: "expired" }, "expired", /expired/],
    [{ state: "failed", message: "cancelled on your phone" }, "failed", /cancelled/],
    [{ state: "pushing", message: "may still appear" }, "pending", /may still appear/],
  ] as const)("the shopper's view of %o is %s", (row, status, message) => {
    const view = shopperView({ message: null, paid_without_order: false, paid_twice: false, unverified: false, ...row })
    expect(view.status).toBe(status)
    expect(view.message).toMatch(message)
  })

  it("is live only while pushing or pending and younger than the prompt lifetime", () => {
    const now = Date.parse("2026-11-28T10:00:00Z")
    const young = new Date(now - 119_000)
    const old = new Date(now - 120_000)
    expect(ATTEMPT_STATES.filter((state) => isLive({ state, pushed_at: young }, 120_000, now))).toEqual(["pushing", "pending"])
    expect(isLive({ state: "pending", pushed_at: old }, 120_000, now)).toBe(false)
  })

  it("names the states the queries filter by: live, checked, money received", () => {
    expect([...LIVE_STATES]).toEqual(["pushing", "pending"])
    expect([...CHECKED_STATES].sort()).toEqual(["expired", "failed", "pending"])
    expect([...MONEY_STATES]).toEqual(["paid", "amount_mismatch"])
  })

  it("reads a state this release does not know (a newer one wrote it) as still waiting, never as money", () => {
    const unknown = "refunded" as AttemptState
    expect([sessionStatus(unknown), shopperStatus(unknown), stateInWords({ state: unknown, paid_without_order: false, order_id: null })]).toEqual([
      PaymentSessionStatus.PENDING,
      "pending",
      "pending",
    ])
    expect([receivedMoney(unknown), isSettled(unknown), isOver(unknown), isCheckable(unknown), isLateSuccess(unknown, "paid")]).toEqual([false, false, true, false, false])
    expect(nextCheckAt(unknown, { pushedAt: new Date(), now: new Date() }, { recoveryCheckAfterMs: 1, recheckEveryMs: 1, lateSuccessGraceMs: 1, maxCheckFailures: 1 })).toBeNull()
    expect(promptOutcomeOf({ state: unknown, outcome: null, result_code: null })).toBe("other")
  })

  it("the ledger stores exactly the lifecycle's states", () => {
    const schema = (MpesaAttempt as unknown as { schema: { state: { parse(): { values?: string[]; dataType?: { options?: { choices?: string[] } } } } } })
      .schema.state.parse() as any
    const values = schema.values ?? schema.dataType?.options?.choices ?? schema.enum
    expect([...(Array.isArray(values) ? values : Object.values(values))].sort()).toEqual([...ATTEMPT_STATES].sort())
  })
})

describe("verdictOf: what the status API said, as an event", () => {
  const base: StatusResult = { gateway: "lipia", reference: "ref", found: true, state: "pending", message: "Check your phone" }

  it.each([
    // gateway says, amount reported, amount requested, event
    ["pending", undefined, 100, "confirmed_pending"],
    ["paid", 100, 100, "confirmed_paid"],
    ["paid", 50, 100, "confirmed_wrong_amount"],
    ["paid", 101, 100, "confirmed_wrong_amount"],
    ["paid", undefined, 100, "confirmed_pending"],
    ["failed", 100, 100, "confirmed_failed"],
  ] as const)("gateway %s for KES %p of %p → %s", (state, amount, requested, event) => {
    expect(verdictOf({ ...base, state, amount, receipt: "NEF61H8J60" }, requested).event).toBe(event)
  })

  it("keeps the receipt, the amount paid, the result code and when it was paid", () => {
    const { facts } = verdictOf(
      { ...base, state: "paid", amount: 100, receipt: "NEF61H8J60", resultCode: 0, settledAt: "2026-11-23T09:59:00.000Z", message: "Payment received. Thank you!" },
      100
    )
    expect(facts).toEqual({ receipt: "NEF61H8J60", amount_paid: 100, result_code: 0, paid_at: "2026-11-23T09:59:00.000Z", outcome: "paid", message: "Payment received. Thank you!" })
  })

  it("tells the shopper what a wrong amount means, and keeps the failure's code and message", () => {
    expect(verdictOf({ ...base, state: "paid", amount: 50 }, 100).facts.message).toMatch(/KES 50.*KES 100/)
    expect(verdictOf({ ...base, state: "failed", resultCode: 1032, outcome: "cancelled", message: "cancelled" }, 100).facts).toEqual({
      result_code: 1032,
      outcome: "cancelled",
      message: "cancelled",
    })
  })
})
