import { GOALS, goalText, verdict } from "../lib/goals.mjs"

describe("goals", () => {
  it.each([
    [0.85, GOALS.paymentThroughput, "met"],
    [0.84, GOALS.paymentThroughput, "not met"],
    [1.2, GOALS.paymentMedianRow, "met"],
    [1.21, GOALS.paymentMedianRow, "not met"],
    [1.3, GOALS.paymentLastRow, "met"],
    [1.31, GOALS.paymentLastRow, "not met"],
    [0, GOALS.paymentIntegrity, "met"],
    [1, GOALS.paymentIntegrity, "not met"],
    [0, GOALS.failedCompletions, "met"],
    [1, GOALS.failedCompletions, "not met"],
    [1.3, GOALS.checkoutCost, "met"],
    [1.56, GOALS.checkoutCost, "not met"],
    [1, GOALS.completeAfterOrder, "met"],
    [2.22, GOALS.completeAfterOrder, "not met"],
    [1.2, GOALS.sustainedDrift, "met"],
    [4.65, GOALS.sustainedDrift, "not met"],
    [0.9, GOALS.recoveryToCompletion, "met"],
    [30, GOALS.idleOverheadMb, "met"],
    [-4.2, GOALS.idleOverheadMb, "met"],
    [119, GOALS.idleOverheadMb, "not met"],
    [20, GOALS.runMinutes, "met"],
    [21.5, GOALS.runMinutes, "not met"],
  ])("%d against %j is %s (a bound is inclusive)", (value, goal, expected) => {
    expect(verdict(value, goal)).toBe(expected)
  })

  it("has dropped issue 21's diagnostics as goals (transactions, rows, the session's p95)", () => {
    expect(Object.keys(GOALS)).not.toEqual(expect.arrayContaining(["paymentTransactions"]))
    expect(GOALS.paymentRows).toBeUndefined()
    expect(GOALS.sessionP95).toBeUndefined()
  })

  it("gives no verdict on a missing figure", () => {
    expect(verdict(undefined, GOALS.checkoutCost)).toBe("–")
    expect(verdict(Number.NaN, GOALS.checkoutCost)).toBe("–")
    expect(verdict(1, undefined)).toBe("–")
  })

  it("writes a goal as the doc shows it", () => {
    expect(goalText(GOALS.paymentThroughput)).toBe("≥ 0.85")
    expect(goalText(GOALS.idleOverheadMb, "MB")).toBe("≤ 30 MB")
    expect(goalText(undefined)).toBe("–")
  })
})
