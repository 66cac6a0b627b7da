import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentWebhookEvents } from "@medusajs/framework/utils"

import { receiveGenericWebhook } from "../workflows/receive-generic-webhook"

type WebhookReceived = { provider: string; payload: { data?: unknown } }

/**
 * Medusa's generic `/hooks/payment/{provider}` route, for M-Pesa providers: the provider tells
 * Medusa's own subscriber `not_supported`, and this finds the attempt in the ledger and asks
 * the status API under the same spacing as a storefront poll (receive-generic-webhook.ts).
 */
export default async function genericMpesaWebhook({ event, container }: SubscriberArgs<WebhookReceived>) {
  await receiveGenericWebhook(container, event.data)
}

export const config: SubscriberConfig = {
  event: PaymentWebhookEvents.WebhookReceived,
  context: { subscriberId: "mpesa-generic-webhook" },
}
