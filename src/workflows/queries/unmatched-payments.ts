import type { MedusaContainer } from "@medusajs/framework/types"

import { GatewayError } from "../../gateways/errors"
import { maskPhone } from "../../lib/phone"
import { ledgerOf } from "../../modules/mpesa/ledger"
import { refusal } from "../../payment/refusals"
import { type Candidate, candidatesFor, creditsWithoutAttempt } from "../../payment/unmatched-payments"
import { mpesaGateway } from "../../providers/registry"
import { isCredit, recentTransactions } from "./gateway-transactions"
import { OWING_DAYS, owingOrders } from "./owing-orders"

/** At most this many waiting payments are answered, newest first: a desk list, not a statement. */
export const WAITING_LIMIT = 50

export type WaitingPayment = {
  receipt: string
  reference: string
  amount: number
  paid_at: string | null
  /** The payer as the gateway lists them, masked (2547******82): the whole number is never answered or kept. */
  phone_masked: string | null
  /** Orders and drafts owing exactly this amount, the payer's own phone first. */
  candidates: Candidate[]
}

export type WaitingPayments = {
  provider_id: string
  gateway_label: string
  /** The oldest payment date looked at. */
  since: string
  /** False when even the largest window of the gateway's list did not reach back to `since`. */
  reached_since: boolean
  payments: WaitingPayment[]
}

/**
 * Paybill and Till payments waiting for an order: the credits in the gateway's list of the
 * account's transactions, in the last OWING_DAYS days (its bounded windows), that no attempt in
 * the ledger holds — each with the orders and drafts that owe exactly its amount
 * (owing-orders.ts), the payer's phone first. Lipia has no such list: a refusal that says so.
 * The gateway down or rate limiting is a refusal too — nothing is read half, nothing written.
 */
export async function unmatchedPayments(container: MedusaContainer, providerId: string, now = new Date()): Promise<WaitingPayments> {
  const provider = mpesaGateway(container, providerId)
  const since = new Date(now.getTime() - OWING_DAYS * 86_400_000)
  let window: Awaited<ReturnType<typeof recentTransactions>>
  try {
    window = await recentTransactions(provider, since)
  } catch (error) {
    if (GatewayError.is(error)) {
      throw refusal(
        error.kind === "rate_limited" ? "MPESA_RATE_LIMITED" : "MPESA_UNAVAILABLE",
        `${provider.label}'s list of the account's transactions could not be read (${error.kind === "rate_limited" ? "it is answering too many requests" : "it did not answer"}): nothing was changed; try again in a moment.`
      )
    }
    throw error
  }
  if (!window.listed) {
    throw refusal(
      "MPESA_NO_TRANSACTION_LIST",
      `${provider.label} has no API that lists the account's transactions, so Paybill and Till payments waiting for an order cannot be found for you: record each by its receipt on its order (README, "Record a payment made outside the prompt").`
    )
  }
  const credits = window.listed.filter((t) => isCredit(t) && (!t.paidAt || new Date(t.paidAt).getTime() >= since.getTime()))
  const known = credits.length
    ? await ledgerOf(container).listMpesaAttempts(
        { $or: [{ receipt: credits.map((t) => t.receipt.toUpperCase()) }, { gateway: provider.gatewayName, reference: credits.map((t) => t.reference) }] },
        { take: credits.length * 2 + 1, select: ["receipt", "reference"] }
      )
    : []
  const waiting = creditsWithoutAttempt(credits, {
    receipts: known.flatMap((a) => (a.receipt ? [a.receipt] : [])),
    references: known.flatMap((a) => (a.reference ? [a.reference] : [])),
  }).slice(0, WAITING_LIMIT)
  const orders = waiting.length ? await owingOrders(container, now) : []
  return {
    provider_id: providerId,
    gateway_label: provider.label,
    since: since.toISOString(),
    reached_since: window.reachedSince,
    payments: waiting.map((t) => ({
      receipt: t.receipt.toUpperCase(),
      reference: t.reference,
      amount: t.amount,
      paid_at: t.paidAt ? new Date(t.paidAt).toISOString() : null,
      phone_masked: t.phone ? maskPhone(t.phone) : null,
      candidates: candidatesFor(t, orders),
    })),
  }
}
