import { MedusaError } from "@medusajs/framework/utils"

import { CONFIRM_GIVE_UP_MS, isCartBusy, isPassingFailure, shouldHold } from "../confirm-retry"

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe("a failed confirmation: try again, or hold for the merchant", () => {
  it.each([
    [new Error("Timed-out acquiring lock."), true],
    [{ message: "Timed-out acquiring lock.", name: "Error" }, true],
    [new MedusaError(MedusaError.Types.CONFLICT, "Cart is already being completed by another request"), true],
    [pgError("40P01", "deadlock detected"), true],
    [pgError("40001", "could not serialize access due to concurrent update"), true],
    [new Error("Knex: Timeout acquiring a connection. The pool is probably full."), true],
    [new Error("Connection terminated unexpectedly"), true],
    [new Error('"cart_1" is already locked.'), true],
    [new MedusaError(MedusaError.Types.NOT_ALLOWED, "Some variant does not have the required inventory"), false],
    [new MedusaError(MedusaError.Types.INVALID_DATA, "Payment sessions are required to complete cart"), false],
    [new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, "Payment authorization failed"), false],
    ["Timed-out acquiring lock.", false],
    [undefined, false],
  ])("%p is passing: %p", (error, passing) => {
    expect(isPassingFailure(error)).toBe(passing)
  })

  const now = Date.parse("2026-12-02T10:00:00Z")
  it.each([
    ["out of stock, just paid", new Error("Some variant does not have the required inventory"), now - 1_000, true],
    ["a lock queue, just paid", new Error("Timed-out acquiring lock."), now - 1_000, false],
    ["a lock queue, paid 9 minutes ago", new Error("Timed-out acquiring lock."), now - 9 * 60_000, false],
    ["still a lock queue after 10 minutes", new Error("Timed-out acquiring lock."), now - CONFIRM_GIVE_UP_MS, true],
  ])("%s → hold: %p", (_, error, settledAt, hold) => {
    expect(shouldHold(error, new Date(settledAt), now)).toBe(hold)
  })

  // A cart's own lock held (another completion of it, or a lock a killed process left until it
  // expires) is not tried again in the retry lane: the holder, or the recovery job, makes the order.
  it.each([
    ["Redis / in-memory, this cart", new Error('Failed to acquire lock for key "cart_1"'), "cart_1", true],
    ["PostgreSQL, this cart", new Error('"cart_1" is already locked.'), "cart_1", true],
    ["as a plain object from a workflow", { message: 'Failed to acquire lock for key "cart_1"' }, "cart_1", true],
    ["Medusa's complete route", new MedusaError(MedusaError.Types.CONFLICT, "Cart is already being completed by another request"), "cart_1", true],
    ["another key (an inventory item's)", new Error('Failed to acquire lock for key "iitem_1"'), "cart_1", false],
    ["the inventory lock's queue", new Error("Timed-out acquiring lock."), "cart_1", false],
    ["no cart", new Error('Failed to acquire lock for key "cart_1"'), null, false],
  ])("%s → cart busy: %p", (_, error, cartId, busy) => {
    expect(isCartBusy(error, cartId)).toBe(busy)
  })
})
