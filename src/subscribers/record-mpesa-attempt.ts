import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { MPESA_STK_PUSHED, type MpesaStkPushed } from "../lib/events"
import { cartAndOrderOfSession } from "../lib/sessions"
import { MPESA_MODULE } from "../modules/mpesa"
import type MpesaModuleService from "../modules/mpesa/service"

/**
 * Writes the ledger row for an STK push. The unique index on (gateway, reference) makes a
 * redelivered event harmless. Earlier attempts of the same payment collection still marked
 * pending are superseded: Medusa replaced their session.
 */
export default async function recordMpesaAttempt({ event, container }: SubscriberArgs<MpesaStkPushed>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ledger = container.resolve<MpesaModuleService>(MPESA_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["id", "provider_id", "payment_collection_id"],
    filters: { id: event.data.session_id },
  })
  const session = sessions[0]
  const { cart_id } = session ? await cartAndOrderOfSession(container, session.id) : { cart_id: undefined }

  const existing = await ledger.listMpesaAttempts({ gateway: event.data.gateway, reference: event.data.reference })
  if (existing.length) {
    return
  }
  if (session?.payment_collection_id) {
    const older = await ledger.listMpesaAttempts({ payment_collection_id: session.payment_collection_id, state: "pending" })
    if (older.length) {
      await ledger.updateMpesaAttempts(older.map((attempt) => ({ id: attempt.id, state: "superseded" as const })))
    }
  }
  try {
    await ledger.createMpesaAttempts({
      ...event.data,
      checkout_id: event.data.checkout_id ?? null,
      provider_id: session?.provider_id ?? null,
      payment_collection_id: session?.payment_collection_id ?? null,
      cart_id: cart_id ?? null,
      pushed_at: new Date(event.data.pushed_at),
    })
  } catch (error) {
    // A concurrent delivery of the same event won the unique index: the row exists.
    logger.warn(`M-Pesa ledger: push ${event.data.reference} not recorded again: ${(error as Error).message}`)
  }
}

export const config: SubscriberConfig = {
  event: MPESA_STK_PUSHED,
  context: { subscriberId: "mpesa-record-attempt" },
}
