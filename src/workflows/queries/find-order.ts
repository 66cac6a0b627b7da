import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * The cart a payment collection pays for, and the order that cart became, through Medusa's
 * link tables (`cart_payment_collection`, `order_cart`); for a collection an order owns
 * directly (an additional payment, or a draft order's payment), that order
 * (`order_payment_collection`), with `draft: true` while it is still a draft. Works for an
 * attempt whose session Medusa deleted: the collection outlives its sessions.
 */
export async function cartAndOrderOfCollection(
  container: MedusaContainer,
  collectionId: string | null | undefined,
  /** The collection's cart, when the caller knows it (an attempt records it): not looked up again. */
  knownCartId?: string | null
): Promise<{ cart_id?: string; order_id?: string; draft?: boolean }> {
  // An undefined filter value would match every row: never query without an id.
  if (!collectionId) {
    return {}
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const cartId = knownCartId ?? (await cartOfCollection(container, collectionId))
  if (!cartId) {
    const { data: owners } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id", "order.is_draft_order"],
      filters: { payment_collection_id: collectionId },
    })
    const owner = owners[0]
    return owner?.order_id ? { order_id: owner.order_id, ...(owner.order?.is_draft_order ? { draft: true } : {}) } : {}
  }
  const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return { cart_id: cartId, order_id: orders[0]?.order_id }
}

/**
 * The cart a payment collection pays for, if a cart does. A collection's cart never changes
 * (Medusa links one collection to one cart), so an attempt records it once, when it starts.
 */
export async function cartOfCollection(container: MedusaContainer, collectionId: string): Promise<string | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart_payment_collection", fields: ["cart_id"], filters: { payment_collection_id: collectionId } })
  return data[0]?.cart_id ?? undefined
}
