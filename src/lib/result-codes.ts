/**
 * M-Pesa (Safaricom) result codes, passed through by both aggregators, and what they mean
 * for the shopper. Source: reference/lipia-status-and-callbacks.md, "M-Pesa result codes
 * worth mapping". Lipwa reports only `payment.failed`, with no code: that is `failed`.
 */

export type Outcome =
  | "paid"
  | "insufficient_funds"
  | "cancelled"
  | "timeout"
  | "wrong_pin"
  | "expired"
  | "busy"
  | "failed"

export type ResultCodeInfo = {
  outcome: Outcome
  /** True when the same shopper can simply try again (a new STK push). */
  retryable: boolean
  /** What to tell the shopper, in their terms. */
  shopperMessage: string
}

const TABLE: Record<number, ResultCodeInfo> = {
  0: { outcome: "paid", retryable: false, shopperMessage: "Payment received. Thank you!" },
  1: {
    outcome: "insufficient_funds",
    retryable: true,
    shopperMessage: "Your M-Pesa balance is not enough for this payment. Top up and try again.",
  },
  1032: {
    outcome: "cancelled",
    retryable: true,
    shopperMessage: "The payment was cancelled on your phone. Try again when you are ready.",
  },
  1037: {
    outcome: "timeout",
    retryable: true,
    shopperMessage:
      "The payment prompt timed out before it was answered. Keep your phone on and unlocked, then try again.",
  },
  2001: {
    outcome: "wrong_pin",
    retryable: true,
    shopperMessage: "The M-Pesa PIN entered was wrong. Try again and enter your PIN carefully.",
  },
  1019: {
    outcome: "expired",
    retryable: true,
    shopperMessage: "The payment request expired. Send the prompt again.",
  },
  1001: {
    outcome: "busy",
    retryable: true,
    shopperMessage:
      "Another M-Pesa payment is in progress on this phone. Wait a moment, then try again.",
  },
}

export const UNKNOWN_FAILURE: ResultCodeInfo = {
  outcome: "failed",
  retryable: true,
  shopperMessage:
    "M-Pesa could not complete the payment. Try again, or choose another payment method.",
}

/** Looks up a result code; any code we do not know is a generic, retryable failure. */
export function describeResultCode(code: number | null | undefined): ResultCodeInfo {
  if (code === null || code === undefined || !Number.isFinite(code)) {
    return UNKNOWN_FAILURE
  }
  return TABLE[code] ?? UNKNOWN_FAILURE
}

export const PENDING_MESSAGE =
  "Check your phone and enter your M-Pesa PIN to complete the payment."

/**
 * The outcome and shopper message for a normalized settlement. A failure reported with no
 * code (Lipwa) or with code 0 is an unknown failure, never "paid".
 */
export function describeSettlement(
  state: "pending" | "paid" | "failed",
  resultCode?: number | null
): { outcome?: Outcome; message: string } {
  if (state === "pending") {
    return { message: PENDING_MESSAGE }
  }
  if (state === "paid") {
    return { outcome: "paid", message: TABLE[0].shopperMessage }
  }
  const info = resultCode ? describeResultCode(resultCode) : UNKNOWN_FAILURE
  return { outcome: info.outcome, message: info.shopperMessage }
}
