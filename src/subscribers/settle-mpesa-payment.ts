import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"

import { MPESA_ATTEMPT_DECIDED, type MpesaAttemptDecided } from "../payment/events"
import { settleDecidedAttempt } from "../workflows/settle-mpesa-payment"

/**
 * Settles an attempt the status API (or the clock) decided for the job, a poll, the merchant
 * or Medusa's generic webhook route. Runs wherever the event bus delivers it (with Redis,
 * possibly another process than the one that asked). A callback's decision is settled by the
 * callback route itself (api/hooks/mpesa), without this hop.
 */
export default async function settleDecided({ event, container }: SubscriberArgs<MpesaAttemptDecided>) {
  await settleDecidedAttempt(container, event.data.attempt_id)
}

export const config: SubscriberConfig = {
  event: MPESA_ATTEMPT_DECIDED,
  context: { subscriberId: "mpesa-settle-payment" },
}
