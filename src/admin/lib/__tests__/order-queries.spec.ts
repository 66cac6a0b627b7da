import { convertedOrderPath, isOrderPageQuery, keyNamesOrder, moneySignature } from "../order-queries"

describe("which dashboard queries show an order's money", () => {
  const id = "order_01ABC"
  it.each([
    ["the order page's detail", ["orders", "detail", id, { query: { fields: "*payment_collections" } }], true],
    ["the order page's preview (nested head)", [["orders", "detail", id], "preview"], true],
    ["the order page's changes (nested head)", [["orders", "detail", id], "changes"], true],
    ["the draft page's order", ["orders", "details", id, { query: {} }], true],
    ["the draft page's draft order", ["draft-orders", "details", id], true],
    ["payment collections", ["payment-collection", "detail", "paycol_1"], true],
    ["the orders list", ["orders", "list", { query: {} }], true],
    ["the plugin's desk", ["mpesa-order", id], false],
    ["products", ["products", "detail", "prod_1"], false],
    ["a key that is not text", [42], false],
  ])("%s → %p", (_, key, expected) => {
    expect(isOrderPageQuery(key)).toBe(expected)
  })

  it("tells the order's own queries from another order's", () => {
    expect(keyNamesOrder([["orders", "detail", id], "preview"], id)).toBe(true)
    expect(keyNamesOrder(["orders", "detail", "order_01ABCD"], id)).toBe(false)
  })
})

describe("the desk's money signature", () => {
  const desk = {
    attempts: [{ id: "a1", state: "pending", amount_paid: null }],
    balance: { outstanding: 1700, status: "pending", draft: false },
  }
  it.each([
    ["a prompt paid", { ...desk, attempts: [{ id: "a1", state: "paid", amount_paid: 1700 }] }],
    ["what is owed changed", { ...desk, balance: { ...desk.balance, outstanding: 1900 } }],
    ["a draft became an order", { ...desk, balance: { ...desk.balance, status: "draft", draft: true } }],
    ["a receipt recorded", { ...desk, attempts: [{ id: "a2", state: "paid", amount_paid: 1700 }, ...desk.attempts] }],
  ])("changes when %s", (_, changed) => {
    expect(moneySignature(changed)).not.toBe(moneySignature(desk))
  })
  it.each([
    ["the same answer read again", JSON.parse(JSON.stringify(desk))],
    ["a prompt sent (no money yet)", { ...desk, attempts: [{ id: "a2", state: "pending", amount_paid: null }, ...desk.attempts] }],
    ["a prompt failed", { ...desk, attempts: [{ id: "a1", state: "failed", amount_paid: null }] }],
  ])("stays the same for %s", (_, same) => {
    expect(moneySignature(same)).toBe(moneySignature(desk))
  })
})

describe("the order a converted draft's page leads to", () => {
  it.each([
    ["/app/draft-orders/order_01ABC", "/app/orders/order_01ABC"],
    ["/shop-admin/draft-orders/order_01ABC/edit", "/shop-admin/orders/order_01ABC"],
    ["/app/orders/order_01ABC", undefined],
  ])("%s → %s", (pathname, expected) => {
    expect(convertedOrderPath(pathname, "order_01ABC")).toBe(expected)
  })
})
