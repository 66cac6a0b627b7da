import type { PaymentState } from "../gateway"

export type LipiaStatusWord = "PENDING" | "SUCCESS" | "FAILED"

export type LipiaSettlementFields = {
  /** `Status`, upper-cased. */
  status: LipiaStatusWord
  /** The envelope's boolean `status` ("true only when paid"). */
  paid: boolean
  receipt?: string
  resultCode?: number | null
}

/**
 * Lipia reports a settlement three ways at once: the `Status` word, the boolean `status`
 * and the `ResultCode`, with a receipt once paid. Money is counted only when they all agree;
 * an answer that contradicts itself is `pending` (to be asked again), never `paid` and never
 * `failed` — a contradiction must neither invent a payment nor drop a real one.
 */
export function lipiaState(fields: LipiaSettlementFields): PaymentState {
  const code = fields.resultCode ?? 0
  switch (fields.status) {
    case "SUCCESS":
      return fields.paid && !!fields.receipt && code === 0 ? "paid" : "pending"
    case "FAILED":
      return fields.paid ? "pending" : "failed"
    default:
      return "pending"
  }
}
