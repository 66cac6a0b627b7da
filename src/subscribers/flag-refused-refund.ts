import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"

import { MPESA_REFUND_REFUSED, type MpesaRefundRefused } from "../payment/events"
import { flagRefusedRefundWorkflow } from "../workflows/flag-refused-refund"

/** Medusa tried to refund an M-Pesa payment by itself and the provider refused: flag it in the ledger. */
export default async function flagRefusedRefund({ event, container }: SubscriberArgs<MpesaRefundRefused>) {
  await flagRefusedRefundWorkflow(container).run({ input: event.data })
}

export const config: SubscriberConfig = {
  event: MPESA_REFUND_REFUSED,
  context: { subscriberId: "mpesa-flag-refused-refund" },
}
