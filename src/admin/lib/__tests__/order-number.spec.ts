import { orderNumber, orderPath, orderWords } from "../format"

describe("an attempt's order as the merchant reads it", () => {
  it.each([
    // the attempt's order fields → column, sentence, where Medusa's admin shows it
    [{ order_id: "order_1", for_order_id: "order_1", order_display_id: 1001, order_is_draft: false }, "#1001", "order #1001", "/orders/order_1"],
    [{ order_id: null, for_order_id: "order_2", order_display_id: 3, order_is_draft: true }, "Draft #3", "draft order #3", "/draft-orders/order_2"],
    // A desk prompt not paid yet: the order it was asked for, though the ledger's order_id is empty.
    [{ order_id: null, for_order_id: "order_3", order_display_id: 12, order_is_draft: false }, "#12", "order #12", "/orders/order_3"],
    [{ order_id: null, for_order_id: null, order_display_id: null, order_is_draft: false }, undefined, undefined, undefined],
  ])("%o", (attempt, column, sentence, path) => {
    expect(orderNumber(attempt)).toBe(column)
    expect(orderWords(attempt)).toBe(sentence)
    expect(orderPath(attempt)).toBe(path)
  })
})
