import { exactIlike, readLedgerSearch } from "../ledger-search"

describe("a search of the ledger, read as a customer describes a payment", () => {
  it.each([
    // typed → what it means
    ["0712 345 678", { phone: "254712345678" }],
    ["0712345678", { phone: "254712345678" }],
    ["+254 712 345 678", { phone: "254712345678" }],
    ["254712345678", { phone: "254712345678" }],
    ["712345678", { phone: "254712345678" }],
    ["(0712) 345-678", { phone: "254712345678" }],
    ["0110 123 456", { phone: "254110123456" }],
    ["#1", { orderNumber: 1 }],
    ["1", { orderNumber: 1 }],
    ["# 1001", { orderNumber: 1001 }],
    ["1001", { orderNumber: 1001 }],
    ["THK75EOH2Z", {}],
    ["thk75eoh2z", {}],
    ["order_01JBX", {}],
    ["#0", {}],
    // Ten digits that are no phone: too long for an order number (PostgreSQL integer), not a phone.
    ["1234567890", {}],
    // An Airtel number never paid by M-Pesa: no hash to look for.
    ["0733 123 456", {}],
  ])("%s", (typed, meaning) => {
    expect(readLedgerSearch(` ${typed} `)).toEqual({ ...meaning, text: typed })
  })

  it("a phone number is never also an order number, nor an order number a phone", () => {
    expect(readLedgerSearch("712345678").orderNumber).toBeUndefined()
    expect(readLedgerSearch("#1").phone).toBeUndefined()
  })

  it.each([
    ["THK75EOH2Z", "THK75EOH2Z"],
    ["50%_off", "50\\%\\_off"],
    ["a\\b", "a\\\\b"],
  ])("%s is matched literally", (typed, pattern) => {
    expect(exactIlike(typed)).toBe(pattern)
  })
})
