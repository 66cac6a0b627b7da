import { sessionCarriesPayment } from "../mirror-verdict"

// The confirmation writes the verdict into the session before completing the cart only when
// the session does not already carry it: a wrong "carries" would complete a cart whose
// authorization then reads no payment; a wrong "does not" costs one write.
describe("sessionCarriesPayment", () => {
  const paid = { state: "paid" as const, receipt: "TLP4ABC123" }
  it.each([
    ["pending, with the paid state and the receipt", { status: "pending", data: { state: "paid", receipt: "TLP4ABC123" } }, true],
    ["deleted by Medusa", null, false],
    ["still saying pending", { status: "pending", data: { state: "pending" } }, false],
    ["paid, but another receipt", { status: "pending", data: { state: "paid", receipt: "TLP4OTHER9" } }, false],
    ["paid, without the receipt", { status: "pending", data: { state: "paid" } }, false],
    ["closed (error) since", { status: "error", data: { state: "paid", receipt: "TLP4ABC123" } }, false],
    ["with no data at all", { status: "pending", data: null }, false],
  ])("a session %s → %p", (_what, session, expected) => {
    expect(sessionCarriesPayment(paid, session)).toBe(expected)
  })

  it("matches a payment without a receipt only to a session without one", () => {
    expect(sessionCarriesPayment({ state: "paid", receipt: null }, { status: "pending", data: { state: "paid" } })).toBe(true)
    expect(sessionCarriesPayment({ state: "paid", receipt: null }, { status: "pending", data: { state: "paid", receipt: "X" } })).toBe(false)
  })
})
