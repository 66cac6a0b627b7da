import { PaymentActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, completeCartWorkflow, processPaymentWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"

import { isPaidInFull, isResolved, needsWriteBack } from "../payment/attempt"
import { CART_LOCK_WAIT } from "../payment/confirm-retry"
import { findPaymentOfSessionStep, type PaymentsFound } from "./steps/find-payment"
import { findOrderStep } from "./steps/find-order"
import { flagAttemptStep } from "./steps/flag-attempt"
import { loadAttemptStep } from "./steps/load-attempt"
import { loadSessionStep } from "./steps/load-session"
import { mirrorVerdictStep, sessionCarriesPayment } from "./steps/mirror-verdict"

export const confirmMpesaPaymentWorkflowId = "confirm-mpesa-payment"

export type ConfirmMpesaPaymentInput = {
  attempt_id: string
  /** Seconds to wait for the cart's lock (settle-mpesa-payment passes CART_LOCK_WAIT, or the job's shorter wait). */
  cart_lock_wait?: number
}

/**
 * Acts on an attempt whose outcome the status API confirmed (the ledger already says so):
 *
 * - paid in full, session still there, a cart → the cart is completed, as the storefront's
 *   `complete` would do it (same lock on the cart; completion returns the existing order if
 *   the cart already is one; its authorization reads the verdict the session was given from
 *   the ledger) — so a callback, the job and the storefront racing make one order; a cart that
 *   is an order nothing paid (a completion killed before its authorization) has this session
 *   authorized and captured on that order;
 * - paid, but Medusa deleted the session (the cart changed) → nothing can be captured on it:
 *   flagged `paid_without_order`, left to the merchant;
 * - paid for a collection with no cart (an order's extra payment, a draft order, a payment
 *   asked or recorded from the admin) → Medusa's own webhook workflow records the capture,
 *   which pays the order's outstanding amount;
 * - failed, expired, wrong amount → written into the session, which Medusa would not do.
 *
 * An attempt flagged `paid_without_order` is never completed again automatically, and one the
 * merchant resolved is left alone entirely (`isResolved`). A full payment for a cart that had
 * already become an order paid by something else (another method, another attempt) is flagged
 * `paid_twice`: the merchant returns one of the two.
 */

/** The cart is an order (just completed, or already) whose collection nothing paid: its completion was cut short. */
function needsAuthorization(completed: { id?: string } | undefined, ofCart: PaymentsFound | undefined): boolean {
  return !!completed?.id && !!ofCart && !ofCart.collection_paid
}

export const confirmMpesaPaymentWorkflow = createWorkflow(confirmMpesaPaymentWorkflowId, (input: ConfirmMpesaPaymentInput) => {
  const attempt = loadAttemptStep(input)
  const session = loadSessionStep(transform({ attempt }, ({ attempt }) => ({ session_id: attempt.session_id })))
  // The attempt recorded its collection's cart when it started, and nothing is looked up for
  // it: completing a cart that already is an order returns that order (core-flows
  // complete-cart reads order_cart first), so the completion below says which order the cart
  // has. A collection without a cart (an order's own, a draft's) is looked up for its order.
  const looked = when("mpesa-find-order-before", { attempt }, ({ attempt }) => !attempt.cart_id).then(() =>
    findOrderStep(transform({ attempt }, ({ attempt }) => ({ payment_collection_id: attempt.payment_collection_id, cart_id: attempt.cart_id })))
  )
  const before = transform({ attempt, looked }, ({ attempt, looked }): { cart_id?: string; order_id?: string; draft?: boolean } =>
    attempt.cart_id ? { cart_id: attempt.cart_id } : (looked ?? {})
  )
  const plan = transform({ attempt, session, before }, ({ attempt, session, before }) => {
    const open = !isResolved(attempt)
    const paid = open && isPaidInFull(attempt.state) && !attempt.paid_without_order
    const complete = paid && !!session && !!before.cart_id && !before.order_id
    return {
      complete,
      // Normally the session already carries the verdict (recheck-mpesa-payment mirrors every
      // one); written again, under the cart lock, only if that write was lost or the session
      // was closed since.
      mirror: complete && !sessionCarriesPayment(attempt, session),
      process: paid && !!session && !before.cart_id,
      writeBack: open && !!session && needsWriteBack(attempt.state),
      cart_id: before.cart_id,
    }
  })

  const cartId = transform({ plan }, ({ plan }) => plan.cart_id as string)
  // completeCartWorkflow skips its own lock when run as a sub-workflow
  // (core-flows locking/steps/acquire-lock.js), so the same lock is taken here.
  when("mpesa-lock-cart", { plan }, ({ plan }) => plan.complete).then(() => {
    acquireLockStep({ key: cartId, timeout: transform({ input }, ({ input }) => input.cart_lock_wait ?? CART_LOCK_WAIT), ttl: 120 })
  })
  when("mpesa-mirror-before-complete", { plan }, ({ plan }) => plan.mirror).then(() => {
    mirrorVerdictStep(transform({ attempt }, ({ attempt }) => ({ attempt_id: attempt.id, attempt }))).config({ name: "mpesa-mirror-before-complete" })
  })
  const completed = when("mpesa-complete-cart", { plan }, ({ plan }) => plan.complete).then(() =>
    completeCartWorkflow.runAsStep({ input: transform({ cartId }, ({ cartId }) => ({ id: cartId })) })
  )
  const ofCart = when("mpesa-payments-of-cart", { plan }, ({ plan }) => plan.complete).then(() =>
    findPaymentOfSessionStep(
      transform({ attempt }, ({ attempt }) => ({ session_id: attempt.session_id, payment_collection_id: attempt.payment_collection_id }))
    ).config({ name: "mpesa-payments-of-cart" })
  )
  // A completion killed between its order and its authorization (its process died: Medusa's
  // complete-cart writes the order, its links and the cart's completed_at before it authorizes)
  // left the cart an order whose collection holds no payment at all. Completing again returns
  // that order and authorizes nothing, so the authorization is finished here, still under the
  // cart's lock: this session is the collection's only one (a newer session would have deleted
  // it), and it carries the paid verdict, so Medusa authorizes and captures it on that order.
  when("mpesa-finish-authorization", { completed, ofCart }, ({ completed, ofCart }) => needsAuthorization(completed, ofCart)).then(() => {
    processPaymentWorkflow
      .runAsStep({
        input: transform({ attempt }, ({ attempt }) => ({
          action: PaymentActions.SUCCESSFUL,
          data: { session_id: attempt.session_id as string, amount: attempt.amount_requested as number },
        })),
      })
      .config({ name: "mpesa-finish-authorization" })
  })
  when("mpesa-unlock-cart", { plan }, ({ plan }) => plan.complete).then(() => {
    releaseLockStep({ key: cartId })
  })
  when("mpesa-process-payment", { plan }, ({ plan }) => plan.process).then(() => {
    mirrorVerdictStep(transform({ attempt }, ({ attempt }) => ({ attempt_id: attempt.id, attempt }))).config({ name: "mpesa-mirror-before-process" })
    processPaymentWorkflow.runAsStep({
      input: transform({ attempt }, ({ attempt }) => ({
        action: PaymentActions.SUCCESSFUL,
        data: { session_id: attempt.session_id as string, amount: attempt.amount_requested as number },
      })),
    })
  })
  when("mpesa-write-back", { plan }, ({ plan }) => plan.writeBack).then(() => {
    mirrorVerdictStep(transform({ attempt }, ({ attempt }) => ({ attempt_id: attempt.id, attempt }))).config({ name: "mpesa-mirror-outcome" })
  })

  // The cart just completed here: its order is the one completion returned (a new one, or the
  // one the cart already had). Otherwise the order is looked up as it stands now.
  const found = when("mpesa-find-order-after", { plan }, ({ plan }) => !plan.complete).then(() =>
    findOrderStep(
      transform({ attempt }, ({ attempt }) => ({ payment_collection_id: attempt.payment_collection_id, cart_id: attempt.cart_id }))
    ).config({ name: "mpesa-find-order-after" })
  )
  const after = transform({ plan, completed, found }, ({ plan, completed, found }) =>
    plan.complete && completed?.id ? { cart_id: plan.cart_id, order_id: completed.id as string, draft: false } : (found ?? {})
  )
  const paymentFound = when("mpesa-find-payment", { plan }, ({ plan }) => !plan.complete).then(() =>
    findPaymentOfSessionStep(transform({ attempt }, ({ attempt }) => ({ session_id: attempt.session_id })))
  )
  // A finished authorization (above) is this session's payment.
  const payment = transform({ completed, ofCart, paymentFound }, ({ completed, ofCart, paymentFound }) => ({
    paid: ofCart ? ofCart.paid || needsAuthorization(completed, ofCart) : !!paymentFound?.paid,
  }))
  const flagged = flagAttemptStep(
    transform({ attempt, after, payment }, ({ attempt, after, payment }) => {
      if (isResolved(attempt)) {
        return { attempt_id: attempt.id, flags: {}, known: attempt }
      }
      if (!isPaidInFull(attempt.state)) {
        return { attempt_id: attempt.id, flags: { order_id: after.order_id ?? attempt.order_id }, known: attempt }
      }
      // An order that appeared (however it did) clears paid_without_order; if the order was
      // paid by something other than this attempt's session, this payment is a second one. A
      // draft order is not an order yet: its id is recorded once it is converted
      // (convert-paid-mpesa-draft), so until then the recovery job still sees a paid attempt
      // without an order and settles it again.
      return {
        attempt_id: attempt.id,
        flags: {
          order_id: after.draft ? null : (after.order_id ?? null),
          paid_without_order: !after.order_id,
          paid_twice: !!after.order_id && !payment.paid,
        },
        known: attempt,
      }
    })
  )
  return new WorkflowResponse(
    transform({ flagged, after, attempt }, ({ flagged, after, attempt }) => ({
      attempt_id: flagged.id,
      state: flagged.state,
      /** The merchant resolved the attempt: nothing was done. */
      resolved: isResolved(attempt),
      cart_id: after.cart_id,
      order_id: after.order_id,
      /** The order is a draft, to be converted now that it is paid (settle-mpesa-payment). */
      draft: !!after.draft,
      paid_without_order: flagged.paid_without_order,
      paid_twice: flagged.paid_twice,
    }))
  )
})
