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
  state: string
  state_in_words: string
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
  timeline?: Array<{ at: string; event: string; detail?: string }>
}

export type AttemptList = { attempts: Attempt[]; count: number; limit: number; offset: number }

export type Recheck = { attempt: Attempt; asked: boolean; answer?: string; error?: string }
