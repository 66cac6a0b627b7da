import type { MedusaContainer } from "@medusajs/framework/types"

import { ledgerOf, type LoggedCallback } from "../../modules/mpesa/ledger"

export type CallbackQuery = {
  gateway?: "lipia" | "lipwa"
  /** false: only those that matched no attempt (forged, misdirected, unknown). */
  matched?: boolean
  attempt_id?: string
  from?: Date
  to?: Date
  limit: number
  offset: number
}

/** The callback log, newest first, filtered in the database and paginated as Medusa's admin lists are. */
export async function listCallbacks(container: MedusaContainer, query: CallbackQuery): Promise<{ callbacks: LoggedCallback[]; count: number }> {
  const filters: Record<string, unknown>[] = []
  if (query.gateway) {
    filters.push({ gateway: query.gateway })
  }
  if (query.matched !== undefined) {
    filters.push({ attempt_id: query.matched ? { $ne: null } : null })
  }
  if (query.attempt_id) {
    filters.push({ attempt_id: query.attempt_id })
  }
  if (query.from) {
    filters.push({ received_at: { $gte: query.from } })
  }
  if (query.to) {
    filters.push({ received_at: { $lte: query.to } })
  }
  const [callbacks, count] = await ledgerOf(container).listAndCountMpesaCallbacks(filters.length ? { $and: filters } : {}, {
    take: query.limit,
    skip: query.offset,
    order: { received_at: "DESC", id: "DESC" },
  })
  return { callbacks, count }
}
