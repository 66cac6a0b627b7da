import { describeResultCode, describeSettlement, PENDING_MESSAGE } from "../result-codes"

describe("describeResultCode", () => {
  it.each([
    [0, "paid", false, /received/],
    [1, "insufficient_funds", true, /balance/],
    [1032, "cancelled", true, /cancelled/],
    [1037, "timeout", true, /timed out/],
    [2001, "wrong_pin", true, /PIN/],
    [1019, "expired", true, /expired/],
    [1001, "busy", true, /in progress/],
    [9999, "failed", true, /could not complete/],
    [undefined, "failed", true, /could not complete/],
    [null, "failed", true, /could not complete/],
    [NaN, "failed", true, /could not complete/],
  ])("code %p → %s", (code, outcome, retryable, message) => {
    const info = describeResultCode(code)
    expect(info.outcome).toBe(outcome)
    expect(info.retryable).toBe(retryable)
    expect(info.shopperMessage).toMatch(message)
  })
})

describe("describeSettlement", () => {
  it.each([
    ["pending", undefined, undefined, PENDING_MESSAGE],
    ["paid", 0, "paid", "Payment received. Thank you!"],
    ["failed", 1032, "cancelled", expect.stringMatching(/cancelled/)],
    ["failed", undefined, "failed", expect.stringMatching(/could not complete/)],
    // A failure reported with code 0 is not a payment.
    ["failed", 0, "failed", expect.stringMatching(/could not complete/)],
  ] as const)("%s with code %p → %p", (state, code, outcome, message) => {
    expect(describeSettlement(state, code)).toEqual({ ...(outcome ? { outcome } : {}), message })
  })
})
