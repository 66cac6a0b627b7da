import { describeResultCode, type Outcome } from "../../lib/result-codes"
import { ATTEMPT_STATES, type AttemptState } from "../attempt"
import {
  addDays,
  daysInPeriod,
  daysOfPeriod,
  endingInWords,
  isCalendarDay,
  nairobiDay,
  nairobiMidnight,
  nairobiTime,
  PAID_STATES,
  PROMPT_BUCKET_WORDS,
  PROMPT_BUCKETS,
  promptOutcomeOf,
  type PromptOutcome,
} from "../prompt-outcome"

const OUTCOMES: Outcome[] = ["paid", "insufficient_funds", "cancelled", "timeout", "wrong_pin", "expired", "busy", "failed"]

describe("how a prompt ended, for the chart", () => {
  it.each([
    // state, outcome, result code → bucket
    ["pushing", null, null, "waiting"],
    ["pending", null, null, "waiting"],
    ["paid", "paid", 0, "paid"],
    // A late success keeps the code of the failure it overturned; the money decides.
    ["paid", "paid", 1037, "paid"],
    ["failed", "cancelled", 1032, "cancelled"],
    ["failed", "timeout", 1037, "timeout"],
    ["failed", "expired", 1019, "timeout"],
    ["failed", "insufficient_funds", 1, "insufficient_funds"],
    ["failed", "wrong_pin", 2001, "wrong_pin"],
    ["failed", "busy", 1001, "other"],
    // Lipwa reports a failure with no code and no reason.
    ["failed", "failed", null, "other"],
    // The prompt's lifetime ran out with nobody answering.
    ["expired", null, null, "timeout"],
    ["not_sent", null, null, "not_sent"],
    ["amount_mismatch", "paid", 0, "other"],
    // Rows written before the ledger kept the outcome: the code, read as result-codes.ts reads it.
    ["failed", null, 1032, "cancelled"],
    ["failed", null, 1037, "timeout"],
    ["failed", null, 1, "insufficient_funds"],
    ["failed", null, 2001, "wrong_pin"],
    ["failed", null, 9999, "other"],
    ["failed", null, null, "other"],
    // A failure reported with code 0 is not a payment.
    ["failed", null, 0, "other"],
    // The recorded outcome wins over the code: the code is never interpreted a second time.
    ["failed", "cancelled", 2001, "cancelled"],
    // An outcome this release does not know: the code, read through result-codes.ts, decides.
    ["failed", "something-new", 1032, "cancelled"],
  ] as const)("%s, outcome %p, code %p → %s", (state, outcome, result_code, bucket) => {
    expect(promptOutcomeOf({ state, outcome, result_code })).toBe(bucket)
  })

  it.each(OUTCOMES)("a failure whose outcome is %s lands where its result code would put it", (outcome) => {
    const code = { paid: 0, insufficient_funds: 1, cancelled: 1032, timeout: 1037, wrong_pin: 2001, expired: 1019, busy: 1001, failed: null }[outcome]
    expect(describeResultCode(code).outcome).toBe(outcome)
    expect(promptOutcomeOf({ state: "failed", outcome, result_code: null })).toBe(promptOutcomeOf({ state: "failed", outcome: null, result_code: code }))
  })

  it("charts every state either as waiting or in exactly one bucket with words for the legend", () => {
    const seen = new Set<PromptOutcome>()
    for (const state of ATTEMPT_STATES) {
      for (const outcome of [null, ...OUTCOMES]) {
        const bucket = promptOutcomeOf({ state, outcome, result_code: null })
        seen.add(bucket)
        expect(bucket === "waiting" || PROMPT_BUCKETS.includes(bucket)).toBe(true)
      }
    }
    expect([...seen].sort()).toEqual([...PROMPT_BUCKETS, "waiting"].sort())
    expect(Object.keys(PROMPT_BUCKET_WORDS).sort()).toEqual([...PROMPT_BUCKETS].sort())
  })

  it("counts as paid exactly the states the median time to pay is computed over", () => {
    const paidStates = ATTEMPT_STATES.filter((state) =>
      [null, ...OUTCOMES].some((outcome) => promptOutcomeOf({ state, outcome, result_code: 0 }) === "paid")
    )
    expect(paidStates).toEqual([...PAID_STATES])
    for (const state of PAID_STATES as readonly AttemptState[]) {
      for (const outcome of [null, ...OUTCOMES]) {
        expect(promptOutcomeOf({ state, outcome, result_code: null })).toBe("paid")
      }
    }
  })

  it("only a prompt that may still be answered is waiting", () => {
    expect(ATTEMPT_STATES.filter((state) => promptOutcomeOf({ state, outcome: null, result_code: null }) === "waiting")).toEqual(["pushing", "pending"])
  })
})

describe("why a prompt did not end paid, in the list's and the CSV's words", () => {
  it.each([
    // state, outcome, result code, gateway → words
    ["pending", null, null, "lipia", null],
    ["paid", "paid", 0, "lipia", null],
    ["failed", "cancelled", 1032, "lipia", "Cancelled by the shopper"],
    ["failed", "timeout", 1037, "lipia", "No answer (timeout)"],
    ["failed", "insufficient_funds", 1, "lipia", "Insufficient funds"],
    ["failed", "wrong_pin", 2001, "lipia", "Wrong PIN"],
    ["expired", null, null, "lipwa", "No answer (timeout)"],
    ["not_sent", null, null, "lipwa", "Not sent"],
    ["failed", "busy", 1001, "lipia", "Another M-Pesa payment was in progress on the phone"],
    ["amount_mismatch", "paid", 0, "lipia", "Paid a different amount than asked"],
    ["failed", "failed", 9999, "lipia", "Failed (M-Pesa code 9999)"],
    ["failed", "failed", null, "lipwa", "Failed — Lipwa gives no reason"],
    ["failed", "failed", null, "lipia", "Failed — the gateway gave no reason"],
  ] as const)("%s (%s, code %s) on %s → %p", (state, outcome, result_code, gateway, words) => {
    expect(endingInWords({ state, outcome, result_code, gateway })).toBe(words)
  })

  it("words every ended bucket but paid, so no failed row is left without a reason", () => {
    for (const state of ATTEMPT_STATES) {
      for (const outcome of [...OUTCOMES, null]) {
        const attempt = { state, outcome, result_code: null, gateway: "lipwa" }
        const bucket = promptOutcomeOf(attempt)
        expect(endingInWords(attempt) === null).toBe(bucket === "paid" || bucket === "waiting")
      }
    }
  })
})

describe("the chart's calendar (Nairobi, UTC+3)", () => {
  it.each([
    ["2026-12-06T06:52:00.123Z", "2026-12-06T09:52:00+03:00"],
    ["2026-12-31T22:30:00Z", "2027-01-01T01:30:00+03:00"],
  ])("%s is %s on Nairobi's clock, the same instant", (at, wall) => {
    expect(nairobiTime(at)).toBe(wall)
    expect(new Date(wall).getTime()).toBe(Math.floor(Date.parse(at) / 1000) * 1000)
  })

  it.each([
    ["2026-12-01T00:00:00Z", "2026-12-01"],
    ["2026-12-01T20:59:59.999Z", "2026-12-01"],
    // 21:00 UTC is midnight in Nairobi.
    ["2026-12-01T21:00:00Z", "2026-12-02"],
    ["2026-12-31T22:30:00Z", "2027-01-01"],
  ])("%s falls on Nairobi day %s", (at, day) => {
    expect(nairobiDay(new Date(at))).toBe(day)
  })

  it("a Nairobi day begins at 21:00 UTC the day before", () => {
    expect(nairobiMidnight("2026-12-02").toISOString()).toBe("2026-12-01T21:00:00.000Z")
    expect(nairobiDay(nairobiMidnight("2026-12-02"))).toBe("2026-12-02")
    expect(nairobiDay(new Date(nairobiMidnight("2026-12-02").getTime() - 1))).toBe("2026-12-01")
  })

  it.each([
    ["2026-12-01", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-12-1", false],
    ["yesterday", false],
    ["2026-12-01T10:00:00Z", false],
  ])("%s is a calendar day: %s", (day, ok) => {
    expect(isCalendarDay(day)).toBe(ok)
  })

  it("lists every day of a period, both ends included, across a month and a year", () => {
    expect(daysOfPeriod("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"])
    expect(daysOfPeriod("2026-12-01", "2026-12-01")).toEqual(["2026-12-01"])
    expect(daysOfPeriod("2026-12-02", "2026-12-01")).toEqual([])
    expect(daysInPeriod("2028-01-01", "2028-12-31")).toBe(366)
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28")
  })
})
