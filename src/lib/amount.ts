/**
 * Kenyan shilling amounts for M-Pesa. M-Pesa moves whole shillings only (Lipia: "positive
 * integer, minimum 1"; Lipwa: "integer, min amount 10"), while Medusa amounts are decimal
 * major units, so a cart total of 99.50 must be turned into a whole number of shillings,
 * or refused, before any push.
 */

import type { GatewayName } from "./gateway-name"

export const GATEWAY_MIN_AMOUNT: Record<GatewayName, number> = { lipia: 1, lipwa: 10 }

/** M-Pesa's per-transaction ceiling for customer payments, in KES. */
export const DEFAULT_MAX_AMOUNT = 250_000

export type AmountRounding = "ceil" | "reject"

export type AmountErrorCode =
  | "MPESA_INVALID_AMOUNT"
  | "MPESA_FRACTIONAL_AMOUNT"
  | "MPESA_AMOUNT_TOO_SMALL"
  | "MPESA_AMOUNT_TOO_LARGE"
  | "MPESA_UNSUPPORTED_CURRENCY"

export type AmountCheck =
  | { ok: true; amount: number; rounded: boolean }
  | { ok: false; code: AmountErrorCode; message: string }

/**
 * Any amount shape Medusa hands a provider (`BigNumberInput`): a number, a decimal string,
 * a raw `{ value, precision }` object (refunds), a Medusa `BigNumber` (`.numeric`) or a
 * bignumber.js value. Returns NaN for anything else.
 */
/** An amount as a Kenyan reads it, wherever a merchant or shopper does: KES 1,700. */
export function kes(amount: number): string {
  return `KES ${amount.toLocaleString("en-KE")}`
}

export function toAmountNumber(amount: unknown): number {
  if (typeof amount === "number") {
    return amount
  }
  if (typeof amount === "string") {
    return amount.trim() === "" ? NaN : Number(amount)
  }
  if (amount && typeof amount === "object") {
    const shaped = amount as { numeric?: unknown; value?: unknown; toNumber?: () => number }
    if (typeof shaped.numeric === "number") {
      return shaped.numeric
    }
    if (typeof shaped.value === "string" || typeof shaped.value === "number") {
      return toAmountNumber(shaped.value)
    }
    if (typeof shaped.toNumber === "function") {
      return shaped.toNumber()
    }
  }
  return NaN
}

export type AmountRules = {
  gateway: GatewayName
  rounding?: AmountRounding
  maxAmount?: number
}

/**
 * Turns a Medusa amount into the whole shillings to request, or says why it cannot.
 * Amounts are first rounded to the cent (KES has two decimal digits in Medusa), so
 * arithmetic noise such as 100.00000000001 is 100 and not 101.
 */
export function checkAmount(amount: unknown, rules: AmountRules): AmountCheck {
  const min = GATEWAY_MIN_AMOUNT[rules.gateway]
  const max = rules.maxAmount ?? DEFAULT_MAX_AMOUNT
  const value = toAmountNumber(amount)
  if (!Number.isFinite(value) || value <= 0) {
    return {
      ok: false,
      code: "MPESA_INVALID_AMOUNT",
      message: "The amount to pay must be a positive number of Kenyan shillings.",
    }
  }
  const cents = Math.round(value * 100) / 100
  const whole = Number.isInteger(cents)
  if (!whole && (rules.rounding ?? "ceil") === "reject") {
    return {
      ok: false,
      code: "MPESA_FRACTIONAL_AMOUNT",
      message: `M-Pesa accepts whole shillings only; KES ${cents.toFixed(2)} cannot be paid by M-Pesa.`,
    }
  }
  const shillings = Math.ceil(cents)
  if (shillings < min) {
    return {
      ok: false,
      code: "MPESA_AMOUNT_TOO_SMALL",
      message: `M-Pesa payments through ${label(rules.gateway)} must be at least ${kes(min)}.`,
    }
  }
  if (shillings > max) {
    return {
      ok: false,
      code: "MPESA_AMOUNT_TOO_LARGE",
      message: `M-Pesa payments cannot exceed ${kes(max)}. Choose another payment method.`,
    }
  }
  return { ok: true, amount: shillings, rounded: !whole }
}

/** M-Pesa moves Kenyan shillings only. Medusa passes currency codes lower-cased. */
export function checkCurrency(
  currencyCode: unknown
): { ok: true } | { ok: false; code: AmountErrorCode; message: string } {
  if (typeof currencyCode === "string" && currencyCode.toLowerCase() === "kes") {
    return { ok: true }
  }
  const shown = typeof currencyCode === "string" && currencyCode ? currencyCode.toUpperCase() : "this currency"
  return {
    ok: false,
    code: "MPESA_UNSUPPORTED_CURRENCY",
    message: `M-Pesa accepts Kenyan shillings (KES) only, not ${shown}. Enable M-Pesa on a KES region only.`,
  }
}

function label(gateway: GatewayName): string {
  return gateway === "lipia" ? "Lipia" : "Lipwa"
}
