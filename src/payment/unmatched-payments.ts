import { checkSafaricomPhone, localForm, maskPhone } from "../lib/phone"
import { CLOCK_SKEW_MS, normaliseReceipt } from "./recorded-payment"

/**
 * Paybill and Till payments waiting for an order: credits in the gateway's list that no attempt
 * in the ledger holds, and the orders each could pay. Pure; workflows/queries/unmatched-payments.ts
 * reads the gateway's list, the ledger and the owing orders.
 */

/** A credit as the gateway lists it (GatewayTransaction, Lipwa's `GET /transactions`). */
export type Credit = { receipt: string; reference?: string; amount: number; phone?: string; paidAt?: string }

/** An order (or draft) that owes money, as workflows/queries/owing-orders.ts reads it. */
export type OwingOrder = {
  order_id: string
  display_id: number | null
  label: string
  draft: boolean
  created_at: string
  outstanding: number
  /** Who the merchant knows the order by: the shipping name, else the customer's, else the email. */
  customer: string | null
  /** The order's phone in whatever spelling it was typed (never returned, only compared). */
  phone: string | null
}

export type Candidate = Omit<OwingOrder, "phone"> & { same_phone: boolean }

/**
 * The credits the ledger does not hold: neither their receipt (recorded, or paid by a prompt)
 * nor their reference (a prompt this store sent, whose receipt is not written yet).
 */
export function creditsWithoutAttempt<C extends Credit>(credits: C[], known: { receipts: Iterable<string>; references: Iterable<string> }): C[] {
  const receipts = new Set([...known.receipts].map(normaliseReceipt))
  const references = new Set(known.references)
  return credits.filter((c) => !receipts.has(normaliseReceipt(c.receipt)) && !(c.reference && references.has(c.reference)))
}

/**
 * Whether a credit's payer is the order's phone. The gateway may give the whole number (Lipwa:
 * 254712345678) or a masked one (2547******78): a whole one is compared as M-Pesa numbers are
 * (every spelling of one number is one number), a masked one with the order's number masked the
 * same way. No phone on either side is not a match.
 */
export function samePhone(creditPhone: string | undefined, orderPhone: string | null | undefined): boolean {
  if (!creditPhone || !orderPhone) {
    return false
  }
  const order = checkSafaricomPhone(orderPhone)
  if (!order.ok) {
    return false
  }
  if (creditPhone.includes("*")) {
    const masked = creditPhone.replace(/\s/g, "")
    return masked === maskPhone(order.msisdn) || masked === maskPhone(localForm(order.msisdn))
  }
  const credit = checkSafaricomPhone(creditPhone)
  return credit.ok && credit.msisdn === order.msisdn
}

/**
 * The orders a credit could pay, by the desk's own rules: owing exactly its amount, and created
 * no later than it was paid (a payment made before the order existed paid something else —
 * the recording refuses it too). The customer's own phone first; then the order created nearest
 * before the payment (the one the customer most likely paid for).
 */
export function candidatesFor(credit: Credit, orders: OwingOrder[]): Candidate[] {
  const paidAt = credit.paidAt ? new Date(credit.paidAt).getTime() : NaN
  return orders
    .filter((o) => o.outstanding === credit.amount && (Number.isNaN(paidAt) || new Date(o.created_at).getTime() <= paidAt + CLOCK_SKEW_MS))
    .map(({ phone, ...order }) => ({ ...order, same_phone: samePhone(credit.phone, phone) }))
    .sort((a, b) => Number(b.same_phone) - Number(a.same_phone) || new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
}
