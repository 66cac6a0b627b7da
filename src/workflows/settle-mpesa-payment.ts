import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { retrieveAttempt } from "../modules/mpesa/ledger"
import { isPaidInFull } from "../payment/attempt"
import { CART_LOCK_WAIT, isCartBusy, isPassingFailure, RETRY_LANE, shouldHold } from "../payment/confirm-retry"
import { confirmMpesaPaymentWorkflow } from "./confirm-mpesa-payment"
import { convertPaidMpesaDraftWorkflow } from "./convert-paid-mpesa-draft"
import { holdMpesaPaymentWorkflow } from "./hold-mpesa-payment"

export type Settled =
  /** Confirmed: an order (or a write-back of a failure); `order_id` when there is one. */
  | { outcome: "done"; order_id?: string; paid_twice?: boolean }
  /** Paid, but its cart cannot become an order: held for the merchant. */
  | { outcome: "held"; error?: string }
  /** Paid; the order failed for a reason of the moment: the recovery job tries again. */
  | { outcome: "retry_later"; error: string }
  /** The merchant resolved the attempt: nothing was done. */
  | { outcome: "resolved" }

export type SettleOptions = {
  /** Tries of the confirmation here, the first included (passing failures only). Default 1. */
  tries?: number
  /** Hold after any failure, passing or not (the merchant pressed "Place the order"). */
  holdOnAnyFailure?: boolean
  /** Seconds the confirmation waits for its cart's lock. Default CART_LOCK_WAIT (Medusa's own `complete`'s). */
  cartLockWait?: number
  now?: number
}

/**
 * The one way a verified attempt is settled — by the subscriber when its outcome is recorded,
 * by the recovery job for a paid attempt that has no order yet, and by the merchant's "Place
 * the order": confirm it (complete the cart, or capture it on an order's own collection and
 * convert a paid draft order, or write the outcome into the session, or flag a second
 * payment), try a passing failure again, hold a paid cart that cannot become an order —
 * and, first and always, leave alone an attempt the merchant resolved.
 */
export async function settleMpesaPayment(container: MedusaContainer, attemptId: string, options: SettleOptions = {}): Promise<Settled> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const hold = async (why: string, error?: string): Promise<Settled> => {
    await holdMpesaPaymentWorkflow(container).run({ input: { attempt_id: attemptId } })
    logger.error(`M-Pesa: attempt ${attemptId} is paid but ${why}; held for the merchant.`)
    return { outcome: "held", ...(error ? { error } : {}) }
  }
  for (let tried = 1; ; tried++) {
    try {
      // The confirmation reads the attempt once and does nothing to one the merchant resolved.
      // The first try starts at once, as the storefront's own `complete` would; a try after a
      // passing failure waits for the retry lane (see RETRY_LANE), never on a clock.
      const confirm = () =>
        confirmMpesaPaymentWorkflow(container).run({ input: { attempt_id: attemptId, cart_lock_wait: options.cartLockWait ?? CART_LOCK_WAIT } })
      const { result } = tried === 1 ? await confirm() : await inRetryLane(container, confirm)
      if (result.resolved) {
        return { outcome: "resolved" }
      }
      if (result.draft && result.order_id && isPaidInFull(result.state)) {
        const { result: draft } = await convertPaidMpesaDraftWorkflow(container).run({ input: { order_id: result.order_id, attempt_id: attemptId } })
        if (draft.still_owes) {
          // Edited upwards after the prompt went out: the payment is on the draft, which still owes the difference.
          logger.warn(`M-Pesa: attempt ${attemptId} paid towards draft order ${result.order_id}, which still owes KES ${draft.still_owes}; it stays a draft until that is paid.`)
        }
        return { outcome: "done", order_id: result.order_id }
      }
      if (result.paid_without_order) {
        return hold("did not become an order")
      }
      return { outcome: "done", ...(result.order_id ? { order_id: result.order_id } : {}), ...(result.paid_twice ? { paid_twice: true } : {}) }
    } catch (error) {
      const message = (error as Error).message
      const attempt = await retrieveAttempt(container, attemptId)
      if (!isPaidInFull(attempt.state)) {
        throw error
      }
      // A cart whose own lock is held is not tried again here: that would wait on the same
      // holder, while every other payment this process settles waits behind it.
      if (isPassingFailure(error) && !isCartBusy(error, attempt.cart_id) && tried < (options.tries ?? 1)) {
        logger.warn(`M-Pesa: attempt ${attemptId} is paid; placing its order failed for a passing reason (${message}); trying again in the retry lane.`)
        continue
      }
      if (!options.holdOnAnyFailure && !shouldHold(error, attempt.settled_at, options.now)) {
        return { outcome: "retry_later", error: message }
      }
      return hold(`its cart could not become an order (receipt ${attempt.receipt ?? "unknown"}): ${message}`, message)
    }
  }
}

/**
 * Runs a retried confirmation in the retry lane: one at a time across every process (Medusa's
 * Locking module, Redis-backed in production). A lane that stays busy longer than its timeout
 * fails like any passing failure, and the recovery job settles the payment later.
 */
async function inRetryLane<T>(container: MedusaContainer, work: () => Promise<T>): Promise<T> {
  return container.resolve(Modules.LOCKING).execute(RETRY_LANE.key, work, { timeout: RETRY_LANE.timeoutSeconds })
}

