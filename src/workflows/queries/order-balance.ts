import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { toAmountNumber } from "../../lib/amount"

/** What an order (or a draft order) still owes, as the admin's desk needs it. */
export type OrderBalance = {
  order_id: string
  display_id: number | null
  /** How a merchant names it: "Order #12", "Draft order #3". */
  label: string
  draft: boolean
  status: string
  currency_code: string
  /** When the order (or draft) was created (ISO: a workflow step's output is serialised): a receipt recorded for it cannot be older. */
  created_at: string
  /** What the order costs now: Medusa's computed `total` (VAT, shipping, edits, credit lines). */
  total: number
  /** What the customer still owes: `total` less the order's payments net of refunds (negative: the store owes a refund). */
  outstanding: number
  /** The phone to prefill: the shipping address's, else the billing address's, else the customer's. */
  phone: string | null
}

/**
 * The one owner of what an order owes, read the same way by the panel, a desk prompt, a
 * recorded receipt and a draft's conversion: Medusa's computed `total` (what its admin routes
 * show, tax lines and shipping included) less the order's transactions (each captured payment
 * adds one, each refund takes one away). Medusa's *stored* `summary.pending_difference` is not
 * used: for a draft it can be computed before the tax lines are set, so it may disagree with
 * the total the merchant sees — and the amount shown must be the amount charged.
 *
 * Undefined when there is no such order (drafts included).
 */
export async function orderBalance(container: MedusaContainer, orderId: string): Promise<OrderBalance | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: [...BALANCE_FIELDS], filters: { id: orderId } })
  return data[0] ? balanceOf(data[0]) : undefined
}

/** What Medusa's query must read of an order for balanceOf: ask for these, plus any of your own. */
export const BALANCE_FIELDS = [
  "id",
  "display_id",
  "status",
  "is_draft_order",
  "currency_code",
  "created_at",
  "total",
  "transactions.amount",
  "shipping_address.phone",
  "billing_address.phone",
  "customer.phone",
] as const

/** An order read with BALANCE_FIELDS (one, or many at once: workflows/queries/owing-orders.ts), as the desk reads what it owes. */
export function balanceOf(order: any): OrderBalance {
  const total = toAmountNumber(order.total ?? 0)
  const paid = (order.transactions ?? []).reduce((sum: number, t: { amount?: unknown } | null) => sum + toAmountNumber(t?.amount ?? 0), 0)
  const draft = !!order.is_draft_order || order.status === "draft"
  return {
    order_id: order.id,
    display_id: order.display_id ?? null,
    label: orderLabel({ id: order.id, display_id: order.display_id, draft }),
    draft,
    status: order.status,
    currency_code: order.currency_code,
    created_at: new Date(order.created_at).toISOString(),
    total,
    outstanding: total - paid,
    phone: order.shipping_address?.phone || order.billing_address?.phone || order.customer?.phone || null,
  }
}

/** How a merchant names an order: by its number, as Medusa's admin shows it. */
export function orderLabel(order: { id: string; display_id?: number | null; draft?: boolean }): string {
  const kind = order.draft ? "Draft order" : "Order"
  return order.display_id ? `${kind} #${order.display_id}` : `${kind} ${order.id}`
}
