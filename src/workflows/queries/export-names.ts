import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import type { ExportNames } from "../../payment/export-row"
import { orderLabel } from "./order-balance"
import { ordersOf } from "./order-numbers"

type Named = Parameters<typeof ordersOf>[1][number] & { requested_by: string | null; resolved_by: string | null; attested_by?: string | null }

/**
 * The names a page of attempts is read by: the order each payment is for (by number, with its
 * email — an unpaid desk prompt's too, as the list finds it) and the staff's emails, in a
 * constant number of queries whatever the page's size.
 */
export async function exportNames(container: MedusaContainer, attempts: Named[]): Promise<ExportNames> {
  const userIds = unique(attempts.flatMap((a) => [a.requested_by, a.resolved_by, a.attested_by ?? null])).filter((id) => id.startsWith("user_"))
  const [orders, users] = await Promise.all([
    ordersOf(container, attempts),
    userIds.length
      ? container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "user", fields: ["id", "email"], filters: { id: userIds } })
          .then((r) => r.data as Array<{ id: string; email: string }>)
      : [],
  ])
  return {
    orders: orders.map((o) => (o ? { id: o.id, label: orderLabel(o), email: o.email ?? null } : undefined)),
    users: new Map(users.map((u) => [u.id, u.email])),
  }
}

const unique = (values: Array<string | null | undefined>) => [...new Set(values.filter((v): v is string => !!v))]
