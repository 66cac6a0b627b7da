import { lipwaRequestsPerSecond } from "../client"
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

describe("lipwaRequestsPerSecond", () => {
  it.each([
    [undefined, 10],
    [5, 5],
    [10, 10],
    // A faster pace than Lipwa documents would earn 429s on a sale day: the documented 10 stands.
    [50, 10],
  ])("a provider asking %p requests/s is paced at %p", (requested, expected) => {
    expect(lipwaRequestsPerSecond(requested)).toBe(expected)
  })
})
