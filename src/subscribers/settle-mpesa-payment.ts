import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { CONFIRM_TRIES } from "../payment/confirm-retry"
import { MPESA_ATTEMPT_DECIDED, type MpesaAttemptDecided } from "../payment/events"
import { settleMpesaPayment } from "../workflows/settle-mpesa-payment"

/**
 * Settles an attempt the status API (or the clock) just decided. Runs wherever the event bus
 * delivers it (with Redis, possibly another process than the one that heard the callback). A
 * passing failure is tried again here a few times, then left to the recovery job — which
 * settles paid attempts without an order the same way — so the retry here is only quicker.
 */
export default async function settleDecidedAttempt({ event, container }: SubscriberArgs<MpesaAttemptDecided>) {
  const settled = await settleMpesaPayment(container, event.data.attempt_id, { tries: CONFIRM_TRIES })
  if (settled.outcome === "retry_later") {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(`M-Pesa: attempt ${event.data.attempt_id} is paid but its order could not be placed yet (${settled.error}); the recovery job tries again.`)
  }
}

export const config: SubscriberConfig = {
  event: MPESA_ATTEMPT_DECIDED,
  context: { subscriberId: "mpesa-settle-payment" },
}
