import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** How a merchant knows an order: its number, and whether it is still a draft. */
export type OrderNumber = { display_id: number | null; draft: boolean }

/**
 * The numbers of these orders (drafts included), in one query whatever their count: a page of
 * the ledger names its orders without a query per row. An id Medusa no longer has is absent.
 */
export async function orderNumbers(container: MedusaContainer, orderIds: Array<string | null | undefined>): Promise<Map<string, OrderNumber>> {
  const ids = [...new Set(orderIds.filter((id): id is string => !!id))]
  if (!ids.length) {
    return new Map()
  }
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "display_id", "is_draft_order", "status"],
    filters: { id: ids },
  })
  return new Map(
    (data as Array<{ id: string; display_id?: number | null; is_draft_order?: boolean | null; status?: string }>).map((order) => [
      order.id,
      { display_id: order.display_id ?? null, draft: !!order.is_draft_order || order.status === "draft" },
    ])
  )
}
