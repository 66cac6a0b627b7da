import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { MPESA_PAYMENT_VERIFIED, type MpesaPaymentVerified } from "../lib/events"
import { recordOutcome } from "../lib/ledger"
import { confirmMpesaPaymentWorkflow } from "../workflows/confirm-mpesa-payment"

/**
 * Reconciles a payment outcome the status API confirmed. Runs wherever the event bus delivers
 * it (with Redis, possibly another process than the route that took the callback).
 */
export default async function reconcileMpesaPayment({ event, container }: SubscriberArgs<MpesaPaymentVerified>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  let result
  try {
    ;({ result } = await confirmMpesaPaymentWorkflow(container).run({ input: event.data }))
  } catch (error) {
    if (event.data.status === "captured") {
      await recordOutcome(container, event.data, { paid_without_order: true })
      logger.error(
        `M-Pesa: payment session ${event.data.session_id} is paid (receipt ${String(event.data.data.receipt ?? "unknown")}) but could not be turned into an order: ${(error as Error).message}. It needs the merchant's attention.`
      )
      return
    }
    throw error
  }
  await recordOutcome(container, event.data, result)
  if (result.paid_without_order) {
    logger.error(
      `M-Pesa: payment session ${result.session_id} is paid but its cart ${result.cart_id ?? "(none)"} did not become an order; it needs the merchant's attention.`
    )
  }
}

export const config: SubscriberConfig = {
  event: MPESA_PAYMENT_VERIFIED,
  context: { subscriberId: "mpesa-reconcile-payment" },
}
