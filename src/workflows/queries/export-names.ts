import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import type { ExportNames } from "../../payment/export-row"
import { orderLabel } from "./order-balance"

type Named = { order_id: string | null; requested_by: string | null; resolved_by: string | null; attested_by?: string | null }

/**
 * The names a page of attempts is read by: its orders' numbers and emails, and its staff's
 * emails — one query each, whatever the page's size.
 */
export async function exportNames(container: MedusaContainer, attempts: Named[]): Promise<ExportNames> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const orderIds = unique(attempts.map((a) => a.order_id))
  const userIds = unique(attempts.flatMap((a) => [a.requested_by, a.resolved_by, a.attested_by ?? null])).filter((id) => id.startsWith("user_"))
  const [orders, users] = await Promise.all([
    orderIds.length ? query.graph({ entity: "order", fields: ["id", "display_id", "status", "is_draft_order", "email"], filters: { id: orderIds } }).then((r) => r.data) : [],
    userIds.length ? query.graph({ entity: "user", fields: ["id", "email"], filters: { id: userIds } }).then((r) => r.data) : [],
  ])
  return {
    orders: new Map(
      orders.map((o: any) => [o.id, { label: orderLabel({ id: o.id, display_id: o.display_id, draft: !!o.is_draft_order || o.status === "draft" }), email: o.email ?? null }])
    ),
    users: new Map(users.map((u: any) => [u.id, u.email])),
  }
}

const unique = (values: Array<string | null | undefined>) => [...new Set(values.filter((v): v is string => !!v))]
