import type { IEventBusModuleService, IPaymentModuleService, MedusaContainer, PaymentSessionDTO } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"

import { RECHECK_HEADER, type VerifiedCallback } from "../providers/mpesa-base"
import { MPESA_PAYMENT_VERIFIED, type MpesaPaymentVerified } from "./events"

/**
 * App-side helpers around M-Pesa payment sessions, shared by the store status route, the
 * one-prompt guard and the recovery job. The gateway is always reached through the Payment
 * Module's public `getWebhookActionAndData`, so API keys stay inside the providers.
 */

export function isMpesaProviderId(providerId: unknown): providerId is string {
  return typeof providerId === "string" && /^pp_mpesa-(lipia|lipwa)_/.test(providerId)
}

/** Asks the gateway's status API, through the session's own provider. */
export async function recheckSession(container: MedusaContainer, session: Pick<PaymentSessionDTO, "id" | "provider_id">): Promise<VerifiedCallback> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const result = await paymentModule.getWebhookActionAndData({
    provider: session.provider_id,
    payload: { data: {}, rawData: "", headers: { [RECHECK_HEADER]: session.id } },
  })
  return (result.data as unknown as { mpesa: VerifiedCallback }).mpesa
}

/** Hands a settled outcome to the reconciler (any process may pick it up). */
export async function reconcile(container: MedusaContainer, verified: VerifiedCallback): Promise<boolean> {
  if (verified.status === PaymentSessionStatus.PENDING) {
    return false
  }
  const data: MpesaPaymentVerified = {
    session_id: verified.sessionId,
    amount: verified.amount,
    status: verified.status,
    data: verified.data,
  }
  await container.resolve<IEventBusModuleService>(Modules.EVENT_BUS).emit({ name: MPESA_PAYMENT_VERIFIED, data })
  return true
}

export type ShopperStatus = "pending" | "paid" | "failed" | "expired"

/** What the storefront's "check your phone" page shows for a session. */
export function shopperStatus(session: { status: string; data?: Record<string, unknown> | null }): ShopperStatus {
  const state = session.data?.state
  if (session.status === PaymentSessionStatus.CAPTURED || session.status === PaymentSessionStatus.AUTHORIZED || state === "paid") {
    return "paid"
  }
  if (state === "expired") {
    return "expired"
  }
  if (session.status === PaymentSessionStatus.ERROR || session.status === PaymentSessionStatus.REQUIRES_MORE || state === "failed" || state === "amount_mismatch") {
    return "failed"
  }
  return "pending"
}

/**
 * The cart a payment session pays for and the order that cart became, through Medusa's link
 * tables (payment session → collection → `cart_payment_collection` → `order_cart`).
 */
export async function cartAndOrderOfSession(
  container: MedusaContainer,
  sessionId: string
): Promise<{ cart_id?: string; order_id?: string }> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["payment_collection_id"],
    filters: { id: sessionId },
  })
  const collectionId = sessions[0]?.payment_collection_id
  if (!collectionId) {
    return {}
  }
  const { data: carts } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: collectionId },
  })
  const cartId: string | undefined = carts[0]?.cart_id
  if (!cartId) {
    return {}
  }
  const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return { cart_id: cartId, order_id: orders[0]?.order_id }
}
