import { setTimeout as sleep } from "node:timers/promises"

import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { CONFIRM_TRIES, confirmRetryDelayMs, isPassingFailure, shouldHold } from "../payment/confirm-retry"
import { MPESA_PAYMENT_VERIFIED, type MpesaPaymentVerified } from "../payment/events"
import { confirmMpesaPaymentWorkflow } from "../workflows/confirm-mpesa-payment"
import { holdMpesaPaymentWorkflow } from "../workflows/hold-mpesa-payment"
import { retrieveAttempt } from "../modules/mpesa/ledger"

/**
 * Acts on an attempt the status API settled. Runs wherever the event bus delivers it (with
 * Redis, possibly another process than the one that heard the callback). A paid attempt
 * whose cart cannot become an order is held for the merchant, once. A confirmation that fails
 * for a passing reason (a lock queue under load) is tried again here a few times, then left
 * to the recovery job, which confirms paid attempts without an order again — so the retry
 * is only quicker, never needed for correctness.
 */
export default async function reconcileMpesaPayment({ event, container }: SubscriberArgs<MpesaPaymentVerified>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  for (let tried = 1; ; tried++) {
    try {
      const { result } = await confirmMpesaPaymentWorkflow(container).run({ input: event.data })
      if (result.paid_without_order) {
        await holdMpesaPaymentWorkflow(container).run({ input: event.data })
        logger.error(`M-Pesa: attempt ${result.attempt_id} is paid but did not become an order; held for the merchant.`)
      }
      return
    } catch (error) {
      const attempt = await retrieveAttempt(container, event.data.attempt_id)
      if (attempt.state !== "paid") {
        throw error
      }
      if (isPassingFailure(error) && tried < CONFIRM_TRIES) {
        await sleep(confirmRetryDelayMs(tried + 1))
        continue
      }
      if (!shouldHold(error, attempt.settled_at)) {
        logger.warn(
          `M-Pesa: attempt ${attempt.id} is paid but its order could not be placed yet (${(error as Error).message}); the recovery job tries again.`
        )
        return
      }
      await holdMpesaPaymentWorkflow(container).run({ input: event.data })
      logger.error(
        `M-Pesa: attempt ${attempt.id} is paid (receipt ${attempt.receipt ?? "unknown"}) but its cart could not become an order: ${(error as Error).message}. Held for the merchant.`
      )
      return
    }
  }
}

export const config: SubscriberConfig = {
  event: MPESA_PAYMENT_VERIFIED,
  context: { subscriberId: "mpesa-reconcile-payment" },
}
