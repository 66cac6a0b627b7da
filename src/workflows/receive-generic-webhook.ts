import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { ledgerOf } from "../modules/mpesa/ledger"
import { isMpesaProviderId, mpesaGateway } from "../providers/registry"
import { recheckMpesaPaymentWorkflow } from "./recheck-mpesa-payment"

/**
 * A body posted to Medusa's generic `/hooks/payment/{provider}` route, which drops the query
 * string: there is no signature to check, so nothing in it is believed beyond the reference
 * used to find the attempt, and the status API is asked only as a poll would ask it — at most
 * once every few seconds per attempt (claimed in the database), only when the request budget
 * has a slot free. Anyone can post there; no one can make the store spend its budget by it.
 */
export async function receiveGenericWebhook(container: MedusaContainer, event: { provider: string; payload: { data?: unknown } }): Promise<void> {
  const providerId = event.provider?.startsWith("pp_") ? event.provider : `pp_${event.provider}`
  if (!isMpesaProviderId(providerId)) {
    return
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const provider = mpesaGateway(container, providerId)
    const callback = provider.parseCallback(event.payload?.data)
    const [attempt] = await ledgerOf(container).listMpesaAttempts(
      { gateway: provider.gatewayName, provider_id: providerId, callback_reference: callback.reference },
      { take: 1, order: { pushed_at: "DESC" } }
    )
    if (!attempt) {
      return
    }
    provider.matchCallback(callback, attempt)
    await recheckMpesaPaymentWorkflow(container).run({ input: { attempt_id: attempt.id, asked_by: "poll" } })
  } catch (error) {
    logger.warn(`M-Pesa: ignored a webhook on Medusa's generic route for ${providerId}: ${(error as Error).message}`)
  }
}
