import { MIN_NOTE_LENGTH, normaliseReceipt, RECEIPT_PATTERN } from "../../payment/recorded-payment"

/**
 * The record form's rules, said before the server has to: each field that keeps "Record
 * payment" disabled says why, in the merchant's words (the same rules the route's validator
 * and payment/recorded-payment.ts enforce).
 */
export type RecordFormHints = { receipt?: string; amount?: string; note?: string }

export function recordFormHints(form: { receipt: string; onWord: boolean; amount: string; note: string }): RecordFormHints {
  const hints: RecordFormHints = {}
  const receipt = normaliseReceipt(form.receipt)
  if (!receipt) {
    hints.receipt = "Enter the receipt from the customer's M-Pesa message: 10 letters and digits, e.g. THK75EOH2Z."
  } else if (/[^A-Z0-9]/.test(receipt)) {
    hints.receipt = "A receipt has letters and digits only (no spaces or signs), e.g. THK75EOH2Z."
  } else if (!RECEIPT_PATTERN.test(receipt)) {
    hints.receipt = `A receipt is 10 letters and digits: ${receipt.length} typed.`
  }
  if (form.onWord) {
    const amount = Number(form.amount)
    if (!form.amount.trim() || !Number.isInteger(amount) || amount <= 0) {
      hints.amount = "Enter the amount received, in whole shillings."
    }
    const note = form.note.trim().length
    if (note < MIN_NOTE_LENGTH) {
      hints.note = `Say how you checked the payment: at least ${MIN_NOTE_LENGTH} characters${note ? ` (${note} typed)` : ""}, e.g. "seen in the M-Pesa statement".`
    }
  }
  return hints
}

/** The gateway the form starts on: one that can look the receipt up (Lipwa lists the account's payments), else the first. */
export function defaultRecordProvider<P extends { lists_transactions: boolean }>(providers: P[]): P | undefined {
  return providers.find((p) => p.lists_transactions) ?? providers[0]
}
