import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createOrUpdateOrderPaymentCollectionWorkflow } from "@medusajs/medusa/core-flows"

import { toAmountNumber } from "../../lib/amount"

/** What an order (or a draft order) still owes, as the admin's desk needs it. */
export type OrderBalance = {
  order_id: string
  display_id: number | null
  draft: boolean
  status: string
  currency_code: string
  /** What the customer still owes: Medusa's `summary.pending_difference` (negative: the store owes a refund). */
  outstanding: number
  /** The phone to prefill: the shipping address's, else the billing address's, else the customer's. */
  phone: string | null
}

/** The order's balance, or undefined when there is no such order (drafts included). */
export async function orderBalance(container: MedusaContainer, orderId: string): Promise<OrderBalance | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "status", "is_draft_order", "currency_code", "summary.*", "shipping_address.phone", "billing_address.phone", "customer.phone"],
    filters: { id: orderId },
  })
  const order = data[0]
  if (!order) {
    return undefined
  }
  const pending = order.summary?.raw_pending_difference ?? order.summary?.pending_difference ?? 0
  return {
    order_id: order.id,
    display_id: order.display_id ?? null,
    draft: !!order.is_draft_order || order.status === "draft",
    status: order.status,
    currency_code: order.currency_code,
    outstanding: toAmountNumber(pending),
    phone: order.shipping_address?.phone || order.billing_address?.phone || order.customer?.phone || null,
  }
}

/**
 * The payment collection that takes what the order owes, created (or its amount brought up to
 * date) by Medusa's own workflow — the one an order edit's confirmation runs — and linked to the
 * order (`order_payment_collection`). Returns its id.
 */
export async function collectionForBalance(container: MedusaContainer, orderId: string): Promise<string | undefined> {
  await createOrUpdateOrderPaymentCollectionWorkflow(container).run({ input: { order_id: orderId } })
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order_payment_collection",
    fields: ["payment_collection.id", "payment_collection.status", "payment_collection.created_at"],
    filters: { order_id: orderId },
  })
  const open = data
    .map((link: { payment_collection?: { id: string; status: string; created_at: string | Date } | null }) => link.payment_collection)
    .filter((c): c is { id: string; status: string; created_at: string | Date } => !!c && (c.status === "not_paid" || c.status === "awaiting"))
    .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
  return open[0]?.id
}
