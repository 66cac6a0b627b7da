import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { MPESA_PAYMENT_VERIFIED, type MpesaPaymentVerified } from "../payment/events"
import { confirmMpesaPaymentWorkflow } from "../workflows/confirm-mpesa-payment"
import { holdMpesaPaymentWorkflow } from "../workflows/hold-mpesa-payment"
import { retrieveAttempt } from "../workflows/steps/ledger"

/**
 * Acts on an attempt the status API settled. Runs wherever the event bus delivers it (with
 * Redis, possibly another process than the one that heard the callback). A paid attempt
 * whose cart cannot become an order is held for the merchant, once.
 */
export default async function reconcileMpesaPayment({ event, container }: SubscriberArgs<MpesaPaymentVerified>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const { result } = await confirmMpesaPaymentWorkflow(container).run({ input: event.data })
    if (result.paid_without_order) {
      await holdMpesaPaymentWorkflow(container).run({ input: event.data })
      logger.error(`M-Pesa: attempt ${result.attempt_id} is paid but did not become an order; held for the merchant.`)
    }
  } catch (error) {
    const attempt = await retrieveAttempt(container, event.data.attempt_id)
    if (attempt.state !== "paid") {
      throw error
    }
    await holdMpesaPaymentWorkflow(container).run({ input: event.data })
    logger.error(
      `M-Pesa: attempt ${attempt.id} is paid (receipt ${attempt.receipt ?? "unknown"}) but its cart could not become an order: ${(error as Error).message}. Held for the merchant.`
    )
  }
}

export const config: SubscriberConfig = {
  event: MPESA_PAYMENT_VERIFIED,
  context: { subscriberId: "mpesa-reconcile-payment" },
}
