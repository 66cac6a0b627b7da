import { lipwaState } from "../state"

describe("lipwaState", () => {
  it.each([
    ["payment.queued", undefined, "pending"],
    ["payment.success", "THK74U6CTV", "paid"],
    ["payment.failed", undefined, "failed"],
    // A success without a receipt is asked again, not counted.
    ["payment.success", undefined, "pending"],
    ["payment.queued", "THK74U6CTV", "pending"],
  ] as const)("%s with receipt %p → %s", (status, receipt, state) => {
    expect(lipwaState(status, receipt)).toBe(state)
  })
})
