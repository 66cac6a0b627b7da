import { ATTEMPT_STATES } from "../attempt"
import { afterFailedCheck, EXPIRED_RECHECK_MS, MAX_BACKOFF_MS, mayCheckNow, nextCheckAt } from "../check-schedule"

const timing = { recoveryCheckAfterMs: 20_000, recheckEveryMs: 15_000, lateSuccessGraceMs: 30 * 60_000, maxCheckFailures: 8 }
const pushedAt = new Date("2026-11-28T10:00:00Z")
const at = (ms: number) => new Date(pushedAt.getTime() + ms)

describe("when the recovery job asks about an attempt next", () => {
  it("first asks recoveryCheckAfterMs after the push, then every recheckEveryMs while pending", () => {
    expect(nextCheckAt("pending", { pushedAt, now: at(300), justPushed: true }, timing)).toEqual(at(20_000))
    expect(nextCheckAt("pending", { pushedAt, now: at(20_000) }, timing)).toEqual(at(35_000))
  })

  it("asks about an expired prompt every minute until the grace period ends", () => {
    expect(nextCheckAt("expired", { pushedAt, now: at(120_000) }, timing)).toEqual(at(120_000 + EXPIRED_RECHECK_MS))
    expect(nextCheckAt("expired", { pushedAt, now: at(30 * 60_000 - 1) }, timing)).toBeNull()
  })

  it.each(ATTEMPT_STATES.filter((s) => s !== "pending" && s !== "expired" && s !== "failed"))("never asks about a %s attempt", (state) => {
    expect(nextCheckAt(state, { pushedAt, now: at(1_000) }, timing)).toBeNull()
  })

  it.each([
    // outcome, asked again? (a failure that can still turn into money is asked about like an expired prompt)
    ["timeout", true],
    ["expired", true],
    ["failed", true],
    [null, true],
    ["cancelled", false],
    ["insufficient_funds", false],
    ["wrong_pin", false],
    ["busy", false],
  ])("a failed attempt with outcome %p is asked about again during the grace period: %p", (outcome, again) => {
    const next = nextCheckAt("failed", { pushedAt, now: at(60_000), outcome }, timing)
    expect(next).toEqual(again ? at(60_000 + EXPIRED_RECHECK_MS) : null)
    expect(nextCheckAt("failed", { pushedAt, now: at(30 * 60_000), outcome }, timing)).toBeNull()
  })

  it.each([
    [1, 15_000],
    [2, 30_000],
    [3, 60_000],
    [6, 480_000],
    [7, MAX_BACKOFF_MS],
  ])("backs off after %i failed checks in a row: next in %i ms", (failures, wait) => {
    expect(afterFailedCheck(failures, at(0), timing)).toEqual({ next_check_at: at(wait), checks_abandoned: false })
  })

  it("gives up, flagged, after maxCheckFailures", () => {
    expect(afterFailedCheck(8, at(0), timing)).toEqual({ next_check_at: null, checks_abandoned: true })
  })
})

describe("checks on a shopper's behalf", () => {
  it.each([
    [null, true],
    [2_999, false],
    [3_001, true],
  ])("last checked %p ms ago → may ask now: %p", (ago, expected) => {
    const now = pushedAt.getTime() + 60_000
    expect(mayCheckNow({ checked_at: ago === null ? null : new Date(now - ago) }, now)).toBe(expected)
  })
})
