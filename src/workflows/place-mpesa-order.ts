import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"

import { confirmMpesaPaymentWorkflow } from "./confirm-mpesa-payment"
import { holdMpesaPaymentWorkflow } from "./hold-mpesa-payment"
import { cartAndOrderOfCollection } from "./queries/find-order"
import { flagAttemptStep } from "./steps/flag-attempt"
import { retrieveAttempt, type Attempt } from "../modules/mpesa/ledger"
import { loadSessionStep } from "./steps/load-session"
import { writeBackSessionStep } from "./steps/write-back-session"

const checkPlaceableStep = createStep("mpesa-check-placeable", async (input: { attempt_id: string }, { container }) => {
  const attempt = await retrieveAttempt(container, input.attempt_id)
  const refuse = (why: string) => new MedusaError(MedusaError.Types.NOT_ALLOWED, why)
  if (attempt.state !== "paid" || !attempt.paid_without_order) {
    throw refuse("Only a payment held as “paid without order” can have its order placed from here.")
  }
  const session = attempt.session_id
    ? await container.resolve<IPaymentModuleService>(Modules.PAYMENT).retrievePaymentSession(attempt.session_id).catch(() => undefined)
    : undefined
  if (!session) {
    throw refuse(
      "Medusa replaced this payment's session when the cart changed, so the cart's total may no longer match what was paid: reverse the payment from your M-Pesa portal, or create the order by hand, then mark this resolved."
    )
  }
  const { cart_id, order_id } = await cartAndOrderOfCollection(container, attempt.payment_collection_id)
  if (order_id) {
    throw refuse(`The cart already became order ${order_id}; mark this payment resolved instead.`)
  }
  if (!cart_id) {
    throw refuse("No cart is linked to this payment.")
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
 * cart): lift the hold, complete the cart exactly as a confirmed payment does (under the cart
 * lock; authorization asks the status API, no new prompt, so nothing is charged twice), and
 * hold it again if the order still cannot be placed.
 */
export async function placeMpesaOrder(container: MedusaContainer, attemptId: string): Promise<{ attempt: Attempt; order_id?: string; error?: string }> {
  await releaseHoldWorkflow(container).run({ input: { attempt_id: attemptId } })
  let error = "The cart still did not become an order."
  try {
    const { result } = await confirmMpesaPaymentWorkflow(container).run({ input: { attempt_id: attemptId } })
    if (result.order_id) {
      return { attempt: await retrieveAttempt(container, attemptId), order_id: result.order_id }
    }
  } catch (e) {
    error = `The order could not be placed: ${(e as Error).message}`
  }
  await holdMpesaPaymentWorkflow(container).run({ input: { attempt_id: attemptId } })
  return { attempt: await retrieveAttempt(container, attemptId), error }
}
