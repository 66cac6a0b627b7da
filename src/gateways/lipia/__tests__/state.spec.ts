import { lipiaState } from "../state"

describe("lipiaState", () => {
  it.each([
    // [Status, envelope status, receipt, ResultCode, state]
    ["PENDING", false, undefined, 0, "pending"],
    ["SUCCESS", true, "NEF61H8J60", 0, "paid"],
    ["SUCCESS", true, "NEF61H8J60", undefined, "paid"],
    ["FAILED", false, undefined, 1032, "failed"],
    ["FAILED", false, undefined, 1037, "failed"],
    // Contradictions are asked again, never counted and never dropped.
    ["SUCCESS", false, "NEF61H8J60", 0, "pending"],
    ["SUCCESS", true, undefined, 0, "pending"],
    ["SUCCESS", true, "NEF61H8J60", 1, "pending"],
    ["FAILED", true, "NEF61H8J60", 0, "pending"],
    ["PENDING", true, "NEF61H8J60", 0, "pending"],
  ] as const)("%s / status %p / receipt %p / code %p → %s", (status, paid, receipt, resultCode, state) => {
    expect(lipiaState({ status, paid, receipt, resultCode })).toBe(state)
  })
})
