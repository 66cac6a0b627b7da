import type { AttemptState } from "../../payment/attempt-states"
import type { Candidate, OwingOrder as ServerOwingOrder } from "../../payment/unmatched-payments"

/** What GET /admin/mpesa/… answers for one attempt (src/api/admin/mpesa/attempt-view.ts). */
export type Attempt = {
  id: string
  gateway: "lipia" | "lipwa"
  session_id: string | null
  cart_id: string | null
  order_id: string | null
  reference: string | null
  receipt: string | null
  phone_masked: string
  amount_requested: number | null
  amount_paid: number | null
  state: AttemptState
  state_in_words: string
  /** Why it ended without money, in words (null while it may still be paid, or once paid). */
  failure_reason: string | null
  /** The order it is for (the one it paid, else the order or draft it was asked for), its number as Medusa's admin shows it, and whether it is still a draft. */
  for_order_id: string | null
  order_display_id: number | null
  order_is_draft: boolean
  /** The lifecycle's verdict for colouring (payment/attention.ts toneOf). */
  tone: "attention" | "paid" | "waiting" | "ended"
  message: string | null
  pushed_at: string
  paid_without_order: boolean
  paid_twice: boolean
  unverified: boolean
  amount_mismatch: boolean
  late_success: boolean
  refund_refused: boolean
  checks_abandoned: boolean
  resolved_at: string | null
  resolved_by: string | null
  resolution_note: string | null
  attention: Array<{ flag: string; what: string; todo: string }>
  /** checkout, admin_request (sent from the admin), recorded (a receipt the merchant entered). */
  origin: "checkout" | "admin_request" | "recorded"
  requested_by: string | null
  /** The admin who sent or recorded it, when it was a logged-in user. */
  requested_by_email?: string
  attested: boolean
  attestation_note: string | null
  timeline?: Array<{ at: string; event: string; detail?: string; callback_id?: string }>
  callbacks?: LoggedCallback[]
}

/** A callback as the log kept it (GET /admin/mpesa/callbacks). */
export type LoggedCallback = {
  id: string
  gateway: "lipia" | "lipwa"
  attempt_id: string | null
  named_id: string | null
  signature_valid: boolean
  body: string
  headers: Record<string, string>
  answer_status: number
  answer_code: string | null
  answer_message: string | null
  received_at: string
  /** In the list: the payment it matched, as the merchant knows it (null when it matched none). */
  payment?: { order_id: string | null; order_display_id: number | null; order_is_draft: boolean; receipt: string | null; amount: number | null; state_in_words: string } | null
}

export type CallbackList = { callbacks: LoggedCallback[]; count: number; limit: number; offset: number }

/** Live, the plugin's sandbox, or another URL (src/lib/gateway-mode.ts). */
export type GatewayMode = "live" | "sandbox" | "test"

export type ProviderSummary = { provider_id: string; gateway: "lipia" | "lipwa"; label: string; mode: GatewayMode; lists_transactions: boolean }

/** GET /admin/mpesa/orders/:id */
export type OrderDesk = {
  attempts: Attempt[]
  balance: { order_id: string; display_id: number | null; draft: boolean; status: string; currency_code: string; outstanding: number; phone: string | null } | null
  providers: ProviderSummary[]
}

export type AttemptList = { attempts: Attempt[]; count: number; limit: number; offset: number }

export type Recheck = { attempt: Attempt; asked: boolean; answer?: string; error?: string }

/** An order (or draft) that owes money M-Pesa could collect (GET /admin/mpesa/owing-orders): the server's own type, less the phone it never returns. */
export type OwingOrder = Omit<ServerOwingOrder, "phone">

export type UnmatchedCandidate = Candidate

/** GET /admin/mpesa/unmatched-payments: Paybill and Till payments waiting for an order. */
export type UnmatchedPayments = {
  provider_id: string
  gateway_label: string
  since: string
  reached_since: boolean
  payments: Array<{ receipt: string; reference: string; amount: number; paid_at: string | null; phone_masked: string | null; candidates: UnmatchedCandidate[] }>
}
