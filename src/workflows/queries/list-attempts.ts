import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import type { AttemptState } from "../../payment/attempt"
import type { AttentionFlag } from "../../payment/attention"
import { ledgerOf, type Attempt } from "../../modules/mpesa/ledger"

export type AttemptQuery = {
  gateway?: "lipia" | "lipwa"
  state?: AttemptState[]
  /** One flag, or every attempt that needs the merchant. */
  flag?: AttentionFlag | "needs_attention"
  from?: Date
  to?: Date
  /** A receipt, an order id or number (#1001), a cart, session or gateway reference, or the last digits of the phone. */
  q?: string
  limit: number
  offset: number
  /** Newest first unless asked otherwise (the CSV export reads oldest first). */
  order?: "ASC" | "DESC"
}

/**
 * The admin's view of the ledger: filters and search in the database, newest first, paginated
 * as Medusa's admin lists are (`{ count, limit, offset }`).
 */
export async function listAttempts(container: MedusaContainer, query: AttemptQuery): Promise<{ attempts: Attempt[]; count: number }> {
  const filters: Record<string, unknown>[] = []
  if (query.gateway) {
    filters.push({ gateway: query.gateway })
  }
  if (query.state?.length) {
    filters.push({ state: query.state })
  }
  if (query.flag === "needs_attention") {
    filters.push({
      resolved_at: null,
      $or: [
        { paid_without_order: true },
        { paid_twice: true },
        { unverified: true },
        { amount_mismatch: true },
        { refund_refused: true },
        { checks_abandoned: true },
        { late_success: true, order_id: null },
      ],
    })
  } else if (query.flag) {
    filters.push({ [query.flag]: true })
  }
  if (query.from) {
    filters.push({ pushed_at: { $gte: query.from } })
  }
  if (query.to) {
    filters.push({ pushed_at: { $lte: query.to } })
  }
  if (query.q) {
    filters.push({ $or: await searchTerms(container, query.q.trim()) })
  }
  const [rows, count] = await ledgerOf(container).listAndCountMpesaAttempts(filters.length ? { $and: filters } : {}, {
    take: query.limit,
    skip: query.offset,
    // The id breaks ties, so pages never skip or repeat a row pushed in the same millisecond.
    order: { pushed_at: query.order ?? "DESC", id: query.order ?? "DESC" },
  })
  return { attempts: rows, count }
}

async function searchTerms(container: MedusaContainer, q: string): Promise<Record<string, unknown>[]> {
  const terms: Record<string, unknown>[] = [
    { receipt: q.toUpperCase() },
    { order_id: q },
    { cart_id: q },
    { session_id: q },
    { reference: q },
  ]
  const digits = q.replace(/^#/, "")
  if (/^\d+$/.test(digits)) {
    // The ledger keeps phones masked (2547******78): only the visible last digits can match.
    if (digits.length <= 2) {
      terms.push({ phone_masked: { $like: `%${digits}` } })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id"], filters: { display_id: Number(digits) } })
    if (data[0]?.id) {
      terms.push({ order_id: data[0].id })
    }
  }
  return terms
}
