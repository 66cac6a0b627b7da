import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import { isPaidInFull, isResolved } from "../payment/attempt"
import { settleMpesaPayment } from "./settle-mpesa-payment"
import { cartAndOrderOfCollection } from "./queries/find-order"
import { orderBalance } from "./queries/order-balance"
import { flagAttemptStep } from "./steps/flag-attempt"
import { retrieveAttempt, type Attempt } from "../modules/mpesa/ledger"
import { loadSessionStep } from "./steps/load-session"
import { writeBackSessionStep } from "./steps/write-back-session"

/** Why this attempt's order cannot be placed from the admin, or undefined when it can. */
async function whyNotPlaceable(container: MedusaContainer, attempt: Attempt): Promise<string | undefined> {
  if (isResolved(attempt)) {
    return `This payment was marked resolved${attempt.resolved_by ? ` by ${attempt.resolved_by}` : ""}${attempt.resolution_note ? ` (“${attempt.resolution_note}”)` : ""}: the merchant's resolution is final, so its order is no longer placed from here.`
  }
  if (!isPaidInFull(attempt.state) || !attempt.paid_without_order) {
    return "Only a payment held as “paid without order” can have its order placed from here."
  }
  const session = attempt.session_id
    ? await container.resolve<IPaymentModuleService>(Modules.PAYMENT).retrievePaymentSession(attempt.session_id).catch(() => undefined)
    : undefined
  if (!session) {
    return "Medusa replaced this payment's session when the cart changed, so the cart's total may no longer match what was paid: reverse the payment from your M-Pesa portal, or create the order by hand, then mark this resolved."
  }
  const { cart_id, order_id, draft } = await cartAndOrderOfCollection(container, attempt.payment_collection_id)
  if (order_id && !draft) {
    const label = (await orderBalance(container, order_id))?.label ?? "an order"
    return `The cart already became ${label}; mark this payment resolved instead.`
  }
  // A paid draft order whose conversion failed is placed by converting it.
  return cart_id || draft ? undefined : "No cart is linked to this payment."
}

// Asked again inside the workflow: a second admin tab may have acted since the route asked.
const checkPlaceableStep = createStep("mpesa-check-placeable", async (input: { attempt_id: string }, { container }) => {
  const attempt = await retrieveAttempt(container, input.attempt_id)
  const why = await whyNotPlaceable(container, attempt)
  if (why) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, why)
  }
  return new StepResponse(attempt)
})

/** Lifts the hold so the cart can be completed with the payment already received. */
const releaseHoldWorkflow = createWorkflow("release-mpesa-hold", (input: { attempt_id: string }) => {
  const attempt = checkPlaceableStep(input)
  const session = loadSessionStep(transform({ attempt }, ({ attempt }) => ({ session_id: attempt.session_id })))
  writeBackSessionStep(
    transform({ session }, ({ session }) => {
      // Set to false, not removed: Medusa merges a session's stored data with an update.
      return { session_id: session!.id, status: "pending" as const, data: { ...session!.data, hold: false } }
    })
  )
  return new WorkflowResponse(flagAttemptStep(transform({ attempt }, ({ attempt }) => ({ attempt_id: attempt.id, flags: { paid_without_order: false } }))))
})

/**
 * "Place the order" for a held payment (the merchant restocked, or fixed what stopped the
 * cart): lift the hold, then settle it as any verified payment is settled (under the cart
 * lock; authorization reads the payment already received, no new prompt, so nothing is
 * charged twice), held again if the order still cannot be placed. Refused (409) for an
 * attempt that is not held, already became an order, or was resolved.
 */
export async function placeMpesaOrder(
  container: MedusaContainer,
  attemptId: string
): Promise<{ attempt: Attempt; order_id?: string; error?: string; refused?: string }> {
  const refused = await whyNotPlaceable(container, await retrieveAttempt(container, attemptId))
  if (refused) {
    return { attempt: await retrieveAttempt(container, attemptId), refused }
  }
  await releaseHoldWorkflow(container).run({ input: { attempt_id: attemptId } })
  const settled = await settleMpesaPayment(container, attemptId, { holdOnAnyFailure: true }).catch((e: Error) => ({ outcome: "failed" as const, error: e.message }))
  const attempt = await retrieveAttempt(container, attemptId)
  if (settled.outcome === "done" && settled.order_id) {
    return { attempt, order_id: settled.order_id }
  }
  const error = "error" in settled && settled.error ? `The order could not be placed: ${settled.error}` : "The cart still did not become an order."
  return { attempt, error }
}
