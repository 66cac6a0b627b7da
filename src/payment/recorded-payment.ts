import type { RefusalCode } from "./refusals"
import { kes } from "../lib/amount"

/**
 * The rules for a payment the merchant records by its M-Pesa receipt (Paybill/Till, or a prompt
 * the plugin never saw): what makes a receipt acceptable, in the merchant's words when it is not.
 * Pure; workflows/record-mpesa-payment.ts does the looking up and the writing.
 */

/** A payment as a gateway's list of received transactions shows it (Lipwa's `GET /transactions`). */
export type ListedTransaction = { receipt: string; amount: number; reference?: string; phone?: string; paidAt?: string; type?: string }

/**
 * How much earlier than the order a listed payment may be dated and still pay it: the gateway's
 * clock and the store's are not the same clock. A payment made before the order existed paid
 * something else.
 */
export const CLOCK_SKEW_MS = 5 * 60_000

/** An M-Pesa receipt as Safaricom prints it on the customer's message: 10 letters and digits, e.g. THK75EOH2Z. */
export const RECEIPT_PATTERN = /^[A-Z0-9]{10}$/

/** Receipts are compared as M-Pesa prints them: upper case, whatever the merchant typed. */
export function normaliseReceipt(receipt: string): string {
  return receipt.trim().toUpperCase()
}

export function findTransaction(transactions: ListedTransaction[], receipt: string): ListedTransaction | undefined {
  const wanted = normaliseReceipt(receipt)
  return transactions.find((t) => normaliseReceipt(t.receipt) === wanted)
}

export type RecordingInput = {
  receipt: string
  /** What the order still owes (workflows/queries/order-balance.ts), in KES. */
  outstanding: number
  /** The order as the merchant names it ("Order #12", "Draft order #3"), and when it was created. */
  order: { label: string; created_at: Date }
  /** False when the gateway's list was read only back to a bounded window that did not reach the order's creation. */
  searchedWholeWindow?: boolean
  /** The gateway's name for the merchant ("Lipwa", "Lipia Online"). */
  label: string
  /** The account's received payments, or undefined when the gateway cannot list them (Lipia). */
  listed: ListedTransaction[] | undefined
  /** The amount the merchant entered: required where there is no list, checked where there is. */
  amount?: number
  /** Why the merchant vouches for the payment: required where there is no list. */
  note?: string
}

export type Recording =
  | {
      ok: true
      amount: number
      /** When the customer paid, as the gateway lists it; null when unknown (recorded on the merchant's word). */
      paid_at: Date | null
      /** The payer's number as the gateway lists it (to mask and hash, never to store whole). */
      phone: string | null
      /** The gateway's reference of the prompt it answered, when it lists one (to find a prompt the plugin sent). */
      reference: string | null
      /** No gateway confirmed it: it stands on the merchant's word and note. */
      attested: boolean
    }
  /** `code` undefined: the request lacks something (a 400); otherwise a catalogue refusal. */
  | { ok: false; code?: RefusalCode; message: string }

/** The smallest note that says something ("seen in statement"). */
export const MIN_NOTE_LENGTH = 3

/**
 * Whether the receipt may pay the order, and with what. Where the gateway lists the account's
 * payments (Lipwa), the receipt must be there, and its amount — not the merchant's — must be
 * exactly what the order owes. Where it cannot (Lipia), nothing can check the receipt: the
 * merchant enters the amount, which must be what is owed, and a note saying how they know.
 */
export function checkRecording(input: RecordingInput): Recording {
  const receipt = normaliseReceipt(input.receipt)
  const order = input.order.label
  const exactly = `Only a payment of exactly what is owed can be recorded: settle the difference with the customer, or reverse the payment from your M-Pesa portal.`
  if (input.listed) {
    const found = findTransaction(input.listed, receipt)
    if (!found) {
      return {
        ok: false,
        code: "MPESA_RECEIPT_NOT_FOUND",
        message: `Receipt ${receipt} is not among the payments ${input.label} lists for this account${input.searchedWholeWindow === false ? ` (its ${input.listed.length} most recent)` : ` since ${order} was created`}. Check it against the customer's M-Pesa message, and that the money went to this store's ${input.label} Paybill or Till.`,
      }
    }
    if (found.type && found.type.trim().toLowerCase() !== "credit") {
      return {
        ok: false,
        code: "MPESA_RECEIPT_NOT_A_PAYMENT",
        message: `Receipt ${receipt} is money going out of the account (${input.label} lists it as a ${found.type}), not a customer's payment: it cannot pay ${order}.`,
      }
    }
    const paidAt = dateOf(found.paidAt)
    if (paidAt && paidAt.getTime() < input.order.created_at.getTime() - CLOCK_SKEW_MS) {
      return {
        ok: false,
        code: "MPESA_RECEIPT_TOO_OLD",
        message: `Receipt ${receipt} was paid on ${paidAt.toISOString()}, before ${order} was created (${input.order.created_at.toISOString()}): a payment made before the order existed paid something else.`,
      }
    }
    if (input.amount !== undefined && input.amount !== found.amount) {
      return { ok: false, code: "MPESA_RECEIPT_AMOUNT_MISMATCH", message: `Receipt ${receipt} is for ${kes(found.amount)}, not the ${kes(input.amount)} entered.` }
    }
    if (found.amount !== input.outstanding) {
      return {
        ok: false,
        code: "MPESA_RECEIPT_AMOUNT_MISMATCH",
        message: `Receipt ${receipt} is for ${kes(found.amount)}; ${order} owes ${kes(input.outstanding)}. ${exactly}`,
      }
    }
    return { ok: true, amount: found.amount, paid_at: paidAt, phone: found.phone ?? null, reference: found.reference ?? null, attested: false }
  }

  const note = input.note?.trim() ?? ""
  if (input.amount === undefined || note.length < MIN_NOTE_LENGTH) {
    const missing = [
      input.amount === undefined ? `the amount received (${order} owes ${kes(input.outstanding)})` : null,
      note.length < MIN_NOTE_LENGTH ? `a note of at least ${MIN_NOTE_LENGTH} characters saying how you checked the payment (e.g. "seen in the M-Pesa statement")` : null,
    ].filter(Boolean)
    return {
      ok: false,
      message: `${input.label} cannot look receipts up, so the payment is recorded on your word and marked as attested by you: enter ${missing.join(" and ")}.`,
    }
  }
  if (input.amount !== input.outstanding) {
    return { ok: false, code: "MPESA_RECEIPT_AMOUNT_MISMATCH", message: `You entered ${kes(input.amount)}; ${order} owes ${kes(input.outstanding)}. ${exactly}` }
  }
  return { ok: true, amount: input.amount, paid_at: null, phone: null, reference: null, attested: true }
}

/** Where a receipt already is in the ledger, in words the merchant can follow up (the order by its number when known). */
export function alreadyRecordedMessage(
  receipt: string,
  attempt: { id: string; order_id: string | null; cart_id: string | null; unverified?: boolean; resolved_at?: Date | string | null },
  orderLabel?: string
): string {
  const r = normaliseReceipt(receipt)
  if (attempt.unverified && !attempt.resolved_at) {
    return `Receipt ${r} is already on the M-Pesa page as an unverified payment claim: if you checked it in your M-Pesa portal, press Accept on that payment instead of recording it again.`
  }
  // An order Medusa no longer has is still named without its id: the merchant finds it by the receipt.
  const where = attempt.order_id ? `on ${orderLabel ?? "an order"}` : attempt.cart_id ? "for a cart that is not yet an order" : "without an order yet"
  return `Receipt ${r} is already recorded ${where}: one M-Pesa payment can pay only once. See it on the M-Pesa page.`
}

/**
 * A listed payment that answered a prompt the plugin itself sent (its reference is in the
 * ledger) belongs to that attempt: recording it again would count the money twice once the
 * attempt's own check finds it. Named by its order's number and state in words (`stateWords`),
 * never by ids: the merchant finds it on the M-Pesa page by the order number.
 */
export function answersKnownPromptMessage(receipt: string, prompt: { stateWords: string; orderLabel?: string }): string {
  const sent = prompt.orderLabel ? `a payment prompt the store sent for ${prompt.orderLabel}` : "a payment prompt the store sent"
  const find = prompt.orderLabel ? `search the M-Pesa page for ${prompt.orderLabel.replace(/^.*(#\d+)$/, "$1")}` : "find it on the M-Pesa page"
  return `Receipt ${normaliseReceipt(receipt)} pays ${sent} (now “${prompt.stateWords}”): ${find} and press Re-check on it instead of recording the receipt.`
}

export { kes } from "../lib/amount"

function dateOf(value: string | undefined): Date | null {
  const date = value ? new Date(value) : null
  return date && !Number.isNaN(date.getTime()) ? date : null
}
