/**
 * Identifiers shaped like the real ones, so clients that validate formats are exercised.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto"
import { nairobiCompact, nairobiDate } from "./nairobi-time"

/** Lipia's TransactionReference: 24 lowercase hex chars (a MongoDB ObjectId, per the sample in reference/lipia-stk-push.txt). */
export function lipiaTransactionReference(): string {
  return randomBytes(12).toString("hex")
}

/** `ws_CO_` + DDMMYYYYHHmmss (Nairobi) + 10 digits, as in reference/lipwa-api.txt's samples. */
export function checkoutRequestId(now: Date): string {
  return `ws_CO_${nairobiCompact(now)}${digits(10)}`
}

/** Like the sample "f373-48f0-8696-f5c35e1b0dc622175462": a UUID's tail plus 8 digits. */
export function merchantRequestId(): string {
  return `${randomUUID().slice(9)}${digits(8)}`
}

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/**
 * An M-Pesa receipt: 10 uppercase alphanumerics starting with a letter. Real receipts open
 * with the date — year letter (2025 = T), month letter (A = January), day in base 36 — as in
 * "THK74U6CTV" paid on 2025-08-20 (reference/lipwa-api.txt); we do the same so receipts look
 * right in the demo. The other 7 characters are random.
 */
export function mpesaReceipt(now: Date): string {
  const { year, month, day } = nairobiDate(now)
  const yearLetter = String.fromCharCode(65 + (((year - 2006) % 26) + 26) % 26)
  const monthLetter = String.fromCharCode(64 + month)
  const dayChar = ALPHANUMERIC[day]
  let rest = ""
  for (let i = 0; i < 7; i++) {
    rest += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]
  }
  return `${yearLetter}${monthLetter}${dayChar}${rest}`
}

function digits(n: number): string {
  let out = ""
  for (let i = 0; i < n; i++) {
    out += String(randomInt(10))
  }
  return out
}
