import { searchedPhone } from "./phone"

/**
 * What a merchant's search of the M-Pesa ledger means, read as customers describe a payment:
 * their phone number in any spelling, the order's number ("#1001", "1001"), or a receipt or id
 * as typed. A phone number is never also an order number: "#1" must not find phones ending in 1,
 * and 0712 345 678 is nobody's order.
 */
export type LedgerSearch = {
  /** The MSISDN (2547…), matched through the ledger's keyed hash, never stored. */
  phone?: string
  /** An order's or draft order's display number. */
  orderNumber?: number
  /** The search as typed, trimmed: receipts (any case) and ids. */
  text: string
}

// Up to nine digits: display ids are PostgreSQL integers, and ten digits would overflow them.
const ORDER_NUMBER = /^#\s*(\d{1,9})$|^(\d{1,9})$/

export function readLedgerSearch(q: string): LedgerSearch {
  const text = q.trim()
  const phone = searchedPhone(text)
  if (phone) {
    return { phone, text }
  }
  const number = ORDER_NUMBER.exec(text)
  const orderNumber = number ? Number(number[1] ?? number[2]) : undefined
  return orderNumber ? { orderNumber, text } : { text }
}

/** A LIKE pattern matching `text` exactly, whatever its case: `%` and `_` typed are literal. */
export function exactIlike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
