import { GOALS, goalText, verdict } from "../lib/goals.mjs"

describe("goals", () => {
  it.each([
    [0.95, GOALS.paymentThroughput, "met"],
    [0.94, GOALS.paymentThroughput, "not met"],
    [1.1, GOALS.paymentTransactions, "met"],
    [1.11, GOALS.paymentTransactions, "not met"],
    [30, GOALS.idleOverheadMb, "met"],
    [-4.2, GOALS.idleOverheadMb, "met"],
    [119, GOALS.idleOverheadMb, "not met"],
  ])("%d against %j is %s (a bound is inclusive)", (value, goal, expected) => {
    expect(verdict(value, goal)).toBe(expected)
  })

  it("gives no verdict on a missing figure", () => {
    expect(verdict(undefined, GOALS.sessionP95)).toBe("–")
    expect(verdict(Number.NaN, GOALS.sessionP95)).toBe("–")
    expect(verdict(1, undefined)).toBe("–")
  })

  it("writes a goal as the doc shows it", () => {
    expect(goalText(GOALS.paymentThroughput)).toBe("≥ 0.95")
    expect(goalText(GOALS.idleOverheadMb, "MB")).toBe("≤ 30 MB")
    expect(goalText(undefined)).toBe("–")
  })
})
