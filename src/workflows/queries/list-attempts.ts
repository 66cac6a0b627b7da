import type { MedusaContainer } from "@medusajs/framework/types"

import type { AttemptState } from "../../payment/attempt"
import type { AttentionFlag } from "../../payment/attention"
import { exactIlike, readLedgerSearch } from "../../lib/ledger-search"
import { ledgerOf, type Attempt } from "../../modules/mpesa/ledger"
import { mpesaGatewaysOf } from "../../providers/registry"
import { ledgerTermsOfOrder } from "./order-numbers"

const GATEWAYS = ["lipia", "lipwa"] as const

export type AttemptQuery = {
  gateway?: "lipia" | "lipwa"
  state?: AttemptState[]
  /** One flag, or every attempt that needs the merchant. */
  flag?: AttentionFlag | "needs_attention"
  from?: Date
  to?: Date
  /** The customer's phone number in any spelling, an order number (#1001), a receipt, or an order, cart, session or gateway reference id. */
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

/**
 * What a search matches (lib/ledger-search.ts reads it): a phone number in any spelling through
 * the keyed hash the ledger keeps (each registered provider keys its own, so one hash per
 * provider), an order's or draft's number exactly, a receipt whatever its case, or an id.
 */
async function searchTerms(container: MedusaContainer, q: string): Promise<Record<string, unknown>[]> {
  const search = readLedgerSearch(q)
  const terms: Record<string, unknown>[] = [
    { receipt: { $ilike: exactIlike(search.text) } },
    { id: search.text },
    { order_id: search.text },
    { cart_id: search.text },
    { session_id: search.text },
    { reference: search.text },
    // The masked form the list shows (2547******78), copied back into the search.
    ...(search.text.includes("*") ? [{ phone_masked: search.text }] : []),
  ]
  if (search.phone) {
    const hashes = await phoneHashes(container, search.phone)
    if (hashes.length) {
      terms.push({ phone_hash: hashes })
    }
  }
  if (search.orderNumber) {
    terms.push(...(await ledgerTermsOfOrder(container, { display_id: search.orderNumber })))
  } else if (search.text.startsWith("order_")) {
    terms.push(...(await ledgerTermsOfOrder(container, { id: search.text })))
  }
  return terms
}

async function phoneHashes(container: MedusaContainer, msisdn: string): Promise<string[]> {
  const providers = (await Promise.all(GATEWAYS.map((gateway) => mpesaGatewaysOf(container, gateway)))).flat()
  return [...new Set(providers.map((provider) => provider.phoneHash(msisdn)))]
}
