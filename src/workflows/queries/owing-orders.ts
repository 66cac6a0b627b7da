import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { isMpesaProviderId } from "../../providers/registry"
import type { OwingOrder } from "../../payment/unmatched-payments"
import { BALANCE_FIELDS, balanceOf } from "./order-balance"

/** How far back the desk looks for orders that owe money: older debts are the accountant's, not the desk's. */
export const OWING_DAYS = 30
/** The newest orders (drafts included) read in that window: one query, never the whole store. */
export const OWING_SCAN = 200

/**
 * Orders and draft orders that owe money and M-Pesa could pay: created in the last OWING_DAYS
 * days (the newest OWING_SCAN of them), not cancelled or archived, in KES, in a region that
 * offers an M-Pesa provider, whose balance — read by the one owner of what an order owes
 * (order-balance.ts), all at once — is above zero. Newest first.
 */
export async function owingOrders(container: MedusaContainer, now = new Date()): Promise<OwingOrder[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({
    entity: "order",
    fields: [
      ...BALANCE_FIELDS,
      "region_id",
      "email",
      "shipping_address.first_name",
      "shipping_address.last_name",
      "customer.first_name",
      "customer.last_name",
    ],
    filters: {
      currency_code: "kes",
      status: { $nin: ["canceled", "archived"] },
      created_at: { $gte: new Date(now.getTime() - OWING_DAYS * 86_400_000) },
    },
    pagination: { take: OWING_SCAN, order: { created_at: "DESC" } },
  })
  const regionIds = [...new Set(orders.map((o) => o.region_id).filter((id): id is string => !!id))]
  const { data: regions } = regionIds.length
    ? await query.graph({ entity: "region", fields: ["id", "payment_providers.id"], filters: { id: regionIds } })
    : { data: [] }
  const mpesaRegions = new Set(
    regions.filter((r) => (r.payment_providers ?? []).some((p: { id?: string } | null) => isMpesaProviderId(p?.id))).map((r) => r.id)
  )
  return orders
    .filter((o) => o.region_id && mpesaRegions.has(o.region_id))
    .map((o) => ({ order: o, balance: balanceOf(o) }))
    .filter(({ balance }) => balance.outstanding > 0)
    .map(({ order, balance }) => ({
      order_id: balance.order_id,
      display_id: balance.display_id,
      label: balance.label,
      draft: balance.draft,
      created_at: balance.created_at,
      outstanding: balance.outstanding,
      customer: nameOf(order.shipping_address) ?? nameOf(order.customer) ?? order.email ?? null,
      phone: balance.phone,
    }))
}

function nameOf(person: { first_name?: string | null; last_name?: string | null } | null | undefined): string | undefined {
  const name = [person?.first_name, person?.last_name].filter(Boolean).join(" ").trim()
  return name || undefined
}
