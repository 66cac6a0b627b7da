/**
 * What each outcome looks like on the M-Pesa side: result code and description.
 *
 * Codes are Safaricom's, passed through by both aggregators
 * (reference/lipia-status-and-callbacks.md, "M-Pesa result codes worth mapping"); the
 * descriptions are Safaricom's own wording, so clients see what production sends.
 */
import type { Outcome } from "./types"

export interface OutcomeResult {
  paid: boolean
  resultCode: number
  resultDesc: string
}

const SUCCESS_DESC = "The service request is processed successfully."

export const OUTCOMES: Readonly<Record<Outcome, OutcomeResult>> = {
  success: { paid: true, resultCode: 0, resultDesc: SUCCESS_DESC },
  // Underpaid is a success as far as M-Pesa is concerned: only the amount differs.
  underpaid: { paid: true, resultCode: 0, resultDesc: SUCCESS_DESC },
  cancelled: { paid: false, resultCode: 1032, resultDesc: "Request cancelled by user" },
  timeout: { paid: false, resultCode: 1037, resultDesc: "DS timeout user cannot be reached" },
  insufficient_funds: {
    paid: false,
    resultCode: 1,
    resultDesc: "The balance is insufficient for the transaction",
  },
  wrong_pin: { paid: false, resultCode: 2001, resultDesc: "The initiator information is invalid" },
  expired: { paid: false, resultCode: 1019, resultDesc: "Transaction has expired" },
  busy: {
    paid: false,
    resultCode: 1001,
    resultDesc: "Unable to lock subscriber, a transaction is already in process for the current subscriber",
  },
}

export const OUTCOME_NAMES = Object.keys(OUTCOMES) as Outcome[]

/**
 * Sandbox choice: while a prompt is open the status API reports ResultCode 0 (documented:
 * "0 = success (also 0 while pending)") with this description (not documented).
 */
export const PENDING_DESC = "The transaction is being processed"

/** KES an underpaid prompt pays by default: half, rounded down. */
export function underpaidAmount(amount: number): number {
  return Math.floor(amount / 2)
}
