import type { MedusaContainer } from "@medusajs/framework/types"

import { ledgerOf } from "../../modules/mpesa/ledger"
import { MONEY_STATES } from "../../payment/attempt"
import { mpesaGateway } from "../../providers/registry"
import { isCredit, recentTransactions } from "./gateway-transactions"

export type Reconciliation =
  | { supported: false; message: string }
  | {
      supported: true
      from?: string
      to?: string
      matched: number
      /** Payments without an order (or paid twice) that the merchant has since resolved, with a note in the ledger. */
      resolved: number
      /** Money the gateway received for an order that something else had already paid (flagged `paid_twice`). */
      paid_twice: Array<{ receipt: string; reference: string; amount: number; attempt_id: string; order_id: string | null }>
      /** Money the gateway received that no order holds (not in the ledger, or paid without an order). */
      received_without_order: Array<{ receipt: string; reference: string; amount: number; paid_at?: string; attempt_id?: string; reason: string }>
      /** Payments the ledger counts as received that the gateway's list does not show. */
      unknown_to_gateway: Array<{ attempt_id: string; receipt: string | null; reference: string | null; amount_paid: number | null; order_id: string | null }>
    }

/** How far back an open-ended reconciliation looks. */
const RECONCILE_DAYS = 30

/**
 * Matches the gateway's own list of received payments with the ledger, by reference and
 * receipt, for a date range. Lipwa has such a list; Lipia has none, and that is said plainly.
 */
export async function reconcileWithGateway(container: MedusaContainer, providerId: string, range: { from?: Date; to?: Date }): Promise<Reconciliation> {
  const provider = mpesaGateway(container, providerId)
  // A bounded window back to the range's start (30 days when open): never the whole account.
  const { listed } = await recentTransactions(provider, range.from ?? new Date(Date.now() - RECONCILE_DAYS * 86_400_000))
  if (!listed) {
    return {
      supported: false,
      message: `${provider.label} has no API that lists the account's transactions, so the plugin cannot reconcile it for you: compare the ledger export (CSV) with your ${provider.label} dashboard.`,
    }
  }
  const inRange = (at?: string | Date | null) => {
    const t = at ? new Date(at).getTime() : NaN
    return (!range.from || t >= range.from.getTime()) && (!range.to || t <= range.to.getTime())
  }
  // Money going out of the account (a debit) is nobody's payment.
  const transactions = listed.filter((t) => isCredit(t) && (!t.paidAt || inRange(t.paidAt)))
  const ledger = ledgerOf(container)
  const attempts = await ledger.listMpesaAttempts(
    { gateway: provider.gatewayName, $or: [{ reference: transactions.map((t) => t.reference) }, { receipt: transactions.map((t) => t.receipt) }] },
    { take: transactions.length * 2 + 1 }
  )
  const byReference = new Map(attempts.map((a) => [a.reference, a]))
  const byReceipt = new Map(attempts.filter((a) => a.receipt).map((a) => [a.receipt, a]))

  let matched = 0
  let resolved = 0
  const received_without_order: Extract<Reconciliation, { supported: true }>["received_without_order"] = []
  const paid_twice: Extract<Reconciliation, { supported: true }>["paid_twice"] = []
  for (const t of transactions) {
    const attempt = byReference.get(t.reference) ?? byReceipt.get(t.receipt)
    if (attempt?.order_id && !attempt.paid_twice) {
      matched += 1
      continue
    }
    // The merchant settled it by hand and said how (resolve, with a note): accounted for, not news.
    if (attempt?.resolved_at) {
      resolved += 1
      continue
    }
    if (attempt?.paid_twice) {
      paid_twice.push({ receipt: t.receipt, reference: t.reference, amount: t.amount, attempt_id: attempt.id, order_id: attempt.order_id })
      continue
    }
    received_without_order.push({
      receipt: t.receipt,
      reference: t.reference,
      amount: t.amount,
      paid_at: t.paidAt,
      ...(attempt ? { attempt_id: attempt.id } : {}),
      reason: attempt ? `In the ledger as ${attempt.state}, with no order.` : "Not in the ledger: a payment to this account that the store did not ask for, or asked for elsewhere.",
    })
  }

  const seen = new Set(transactions.flatMap((t) => [t.reference, t.receipt]))
  const settledIn = range.from || range.to ? { settled_at: { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lte: range.to } : {}) } } : {}
  const received = await ledger.listMpesaAttempts(
    { gateway: provider.gatewayName, provider_id: providerId, state: [...MONEY_STATES], ...settledIn },
    { take: 1000 }
  )
  const unknown_to_gateway = received
    .filter((a) => !seen.has(a.reference ?? "") && !seen.has(a.receipt ?? ""))
    .map((a) => ({ attempt_id: a.id, receipt: a.receipt, reference: a.reference, amount_paid: a.amount_paid, order_id: a.order_id }))

  return { supported: true, from: range.from?.toISOString(), to: range.to?.toISOString(), matched, resolved, paid_twice, received_without_order, unknown_to_gateway }
}
