import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** How a merchant knows an order: its number, and whether it is still a draft. */
export type OrderNumber = { id: string; display_id: number | null; draft: boolean; email?: string | null }

type Linked = { order_id: string | null; cart_id?: string | null; payment_collection_id?: string | null }

/**
 * The order each payment is for, by number, in a constant number of queries whatever the page's
 * size: the order it paid (`order_id`); else the order or draft that owns its payment collection
 * (a desk prompt not paid yet: the ledger writes `order_id` when money is captured); else the
 * order its cart became (the failed tries before the one that paid). Keyed by the row's index.
 */
export async function ordersOf(container: MedusaContainer, rows: Linked[]): Promise<Array<OrderNumber | undefined>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const unplaced = rows.filter((r) => !r.order_id)
  const collections = unique(unplaced.map((r) => r.payment_collection_id))
  const carts = unique(unplaced.map((r) => r.cart_id))
  const [owners, cartOrders] = await Promise.all([
    collections.length
      ? query.graph({ entity: "order_payment_collection", fields: ["order_id", "payment_collection_id"], filters: { payment_collection_id: collections } }).then(({ data }) => data)
      : [],
    carts.length ? query.graph({ entity: "order_cart", fields: ["order_id", "cart_id"], filters: { cart_id: carts } }).then(({ data }) => data) : [],
  ])
  const ofCollection = new Map((owners as Array<{ order_id: string; payment_collection_id: string }>).map((l) => [l.payment_collection_id, l.order_id]))
  const ofCart = new Map((cartOrders as Array<{ order_id: string; cart_id: string }>).map((l) => [l.cart_id, l.order_id]))
  const orderIds = rows.map((r) => r.order_id ?? (r.payment_collection_id && ofCollection.get(r.payment_collection_id)) ?? (r.cart_id && ofCart.get(r.cart_id)) ?? undefined)
  const numbers = await orderNumbers(container, orderIds)
  return orderIds.map((id) => (id ? numbers.get(id) ?? { id, display_id: null, draft: false } : undefined))
}

/** The numbers of these orders (drafts included), in one query: a query on Medusa's order table. */
export async function orderNumbers(container: MedusaContainer, orderIds: Array<string | null | undefined>): Promise<Map<string, OrderNumber>> {
  const ids = unique(orderIds)
  if (!ids.length) {
    return new Map()
  }
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "display_id", "is_draft_order", "status", "email"],
    filters: { id: ids },
  })
  return new Map(
    (data as Array<{ id: string; display_id?: number | null; is_draft_order?: boolean | null; status?: string; email?: string | null }>).map((order) => [
      order.id,
      { id: order.id, display_id: order.display_id ?? null, draft: !!order.is_draft_order || order.status === "draft", email: order.email ?? null },
    ])
  )
}

/**
 * The ledger's rows that belong to the order (or draft) numbered `display_id`, or with that
 * `id`: paid on it, asked on its payment collections, or tried on the cart it came from — as
 * the order panel finds them.
 */
export async function ledgerTermsOfOrder(container: MedusaContainer, order: { display_id: number } | { id: string }): Promise<Record<string, unknown>[]> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "payment_collections.id", "cart.id"],
    filters: order,
  })
  const orders = data as Array<{ id: string; payment_collections?: Array<{ id: string } | null> | null; cart?: { id: string } | null }>
  if (!orders.length) {
    return []
  }
  const collections = unique(orders.flatMap((o) => (o.payment_collections ?? []).map((c) => c?.id)))
  const carts = unique(orders.map((o) => o.cart?.id))
  return [
    { order_id: orders.map((o) => o.id) },
    ...(collections.length ? [{ payment_collection_id: collections }] : []),
    ...(carts.length ? [{ cart_id: carts }] : []),
  ]
}

function unique(values: Array<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))]
}
