import { checkAmount, checkCurrency, toAmountNumber } from "../amount"

describe("toAmountNumber", () => {
  it.each([
    [100, 100],
    ["99.5", 99.5],
    [{ value: "40", precision: 20 }, 40],
    [{ numeric: 12.25 }, 12.25],
    [{ toNumber: () => 7 }, 7],
    ["", NaN],
    ["abc", NaN],
    [null, NaN],
    [undefined, NaN],
  ])("reads %p as %p", (input, expected) => {
    expect(toAmountNumber(input)).toBe(expected)
  })
})

describe("checkAmount", () => {
  it.each([
    // [amount, gateway, rounding, expected whole shillings, rounded?]
    [100, "lipia", "ceil", 100, false],
    [1, "lipia", "ceil", 1, false],
    [99.5, "lipia", "ceil", 100, true],
    [99.01, "lipia", "ceil", 100, true],
    ["100.00", "lipia", "reject", 100, false],
    [100.000000001, "lipia", "reject", 100, false],
    [10, "lipwa", "ceil", 10, false],
    [9.2, "lipwa", "ceil", 10, true],
    [250000, "lipia", "ceil", 250000, false],
    [{ value: "1500", precision: 20 }, "lipwa", "reject", 1500, false],
  ] as const)("%p through %s (%s) is KES %p", (amount, gateway, rounding, expected, rounded) => {
    expect(checkAmount(amount, { gateway, rounding })).toEqual({ ok: true, amount: expected, rounded })
  })

  it.each([
    [0, "lipia", "ceil", "MPESA_INVALID_AMOUNT"],
    [-5, "lipia", "ceil", "MPESA_INVALID_AMOUNT"],
    ["ten", "lipia", "ceil", "MPESA_INVALID_AMOUNT"],
    [0.4, "lipia", "reject", "MPESA_FRACTIONAL_AMOUNT"],
    [99.5, "lipia", "reject", "MPESA_FRACTIONAL_AMOUNT"],
    [9, "lipwa", "ceil", "MPESA_AMOUNT_TOO_SMALL"],
    [5, "lipwa", "reject", "MPESA_AMOUNT_TOO_SMALL"],
    [250000.5, "lipia", "ceil", "MPESA_AMOUNT_TOO_LARGE"],
    [250001, "lipwa", "ceil", "MPESA_AMOUNT_TOO_LARGE"],
  ] as const)("refuses %p through %s (%s) with %s", (amount, gateway, rounding, code) => {
    const result = checkAmount(amount, { gateway, rounding })
    expect(result).toMatchObject({ ok: false, code })
    expect(!result.ok && result.message.length).toBeGreaterThan(20)
  })

  it("names the gateway minimum in the message", () => {
    const result = checkAmount(9, { gateway: "lipwa" })
    expect(!result.ok && result.message).toContain("KES 10")
  })

  it("honours a merchant's lower maximum", () => {
    expect(checkAmount(70001, { gateway: "lipia", maxAmount: 70000 })).toMatchObject({
      ok: false,
      code: "MPESA_AMOUNT_TOO_LARGE",
    })
    expect(checkAmount(70000, { gateway: "lipia", maxAmount: 70000 })).toMatchObject({ ok: true })
  })

  it("shows the fractional amount it refused", () => {
    const result = checkAmount(99.5, { gateway: "lipia", rounding: "reject" })
    expect(!result.ok && result.message).toContain("99.50")
  })
})

describe("checkCurrency", () => {
  it.each(["kes", "KES", "Kes"])("accepts %s", (code) => {
    expect(checkCurrency(code)).toEqual({ ok: true })
  })

  it.each([
    ["eur", "EUR"],
    ["usd", "USD"],
    [undefined, "this currency"],
  ])("refuses %p and names it", (code, shown) => {
    const result = checkCurrency(code)
    expect(result).toMatchObject({ ok: false, code: "MPESA_UNSUPPORTED_CURRENCY" })
    expect(!result.ok && result.message).toContain(shown)
  })
})
