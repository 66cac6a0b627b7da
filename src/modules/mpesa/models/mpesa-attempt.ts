import { model } from "@medusajs/framework/utils"

/**
 * One row per STK push: the record of truth for an M-Pesa attempt. Medusa hard-deletes payment
 * sessions when a cart changes; callbacks, polls, the recovery job, the one-prompt guard and
 * the admin find an attempt here, never only through its session. The row is written before
 * the push leaves (`pushing`) and moves only along the lifecycle in payment/attempt.ts.
 * Unique on the gateway's reference and on the M-Pesa receipt, so one payment can never be
 * recorded twice.
 */
export const MpesaAttempt = model
  .define("mpesa_attempt", {
    id: model.id({ prefix: "mpatt" }).primaryKey(),
    gateway: model.enum(["lipia", "lipwa"]),
    provider_id: model.text().nullable(),
    /** Null only while the push is in flight (the session is created with it). */
    session_id: model.text().nullable(),
    payment_collection_id: model.text().nullable(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    /** The gateway's id for status queries; null while the push is in flight. */
    reference: model.text().nullable(),
    callback_reference: model.text().nullable(),
    checkout_id: model.text().nullable(),
    phone_masked: model.text(),
    /** HMAC-SHA256 of the phone under the callback secret: comparable, not reversible. */
    phone_hash: model.text(),
    /** Whole shillings asked; null while the push is in flight. */
    amount_requested: model.number().nullable(),
    amount_paid: model.number().nullable(),
    // The lifecycle's states (payment/attempt.ts ATTEMPT_STATES; a unit test keeps them equal —
    // the ledger sits at the bottom of the house and imports nothing above it).
    state: model.enum(["pushing", "pending", "paid", "amount_mismatch", "failed", "expired", "not_sent"]).default("pushing"),
    outcome: model.text().nullable(),
    result_code: model.number().nullable(),
    message: model.text().nullable(),
    receipt: model.text().nullable(),
    // Flags for the merchant. A flag is set once and cleared only by what resolves it.
    amount_mismatch: model.boolean().default(false),
    paid_without_order: model.boolean().default(false),
    late_success: model.boolean().default(false),
    /** Medusa tried to refund this payment by itself (e.g. a failed cart completion); refused. */
    refund_refused: model.boolean().default(false),
    /**
     * A second payment: this attempt was paid, but its cart had already become an order paid by
     * something else (another method, or another attempt). The merchant reverses one of them.
     */
    paid_twice: model.boolean().default(false),
    /**
     * A signed callback reported a payment (its receipt and amount are kept) that the gateway's
     * status API could not confirm: the push's fate was unknown, and the gateway has no lookup
     * by what the callback carries (Lipia). Held for the merchant to check in the portal.
     */
    unverified: model.boolean().default(false),
    /** The status API could not be asked, again and again; the job stopped asking. */
    checks_abandoned: model.boolean().default(false),
    check_failures: model.number().default(0),
    /** When the recovery job should next ask the status API (null: not to be checked). */
    next_check_at: model.dateTime().nullable(),
    checked_at: model.dateTime().nullable(),
    pushed_at: model.dateTime(),
    /** When a correctly signed callback for it last arrived. */
    callback_at: model.dateTime().nullable(),
    settled_at: model.dateTime().nullable(),
    /** The merchant closed the case (a flagged payment settled outside automation), with who, when and why. */
    resolved_at: model.dateTime().nullable(),
    resolved_by: model.text().nullable(),
    resolution_note: model.text().nullable(),
    /**
     * Where the attempt came from: the shopper's checkout, a prompt the merchant sent from the
     * admin (an order's outstanding amount, a draft order), or a payment made outside any prompt
     * (Paybill/Till) that the merchant recorded by its receipt.
     */
    origin: model.enum(["checkout", "admin_request", "recorded"]).default("checkout"),
    /** The admin user who sent the prompt or recorded the payment. */
    requested_by: model.text().nullable(),
    /**
     * Recorded on the merchant's word alone: the gateway has no lookup to confirm the receipt
     * (Lipia). Shown as such everywhere the payment shows; `attestation_note` says why.
     */
    attested: model.boolean().default(false),
    attestation_note: model.text().nullable(),
    /** The admin user who attested it (recorded it on their word, or accepted an unverified claim), and when. */
    attested_by: model.text().nullable(),
    attested_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["gateway", "reference"], unique: true, where: "reference IS NOT NULL" },
    { on: ["receipt"], unique: true, where: "receipt IS NOT NULL" },
    { on: ["session_id"] },
    { on: ["payment_collection_id"] },
    { on: ["cart_id"] },
    { on: ["order_id"] },
    { on: ["phone_hash", "pushed_at"] },
    { on: ["state", "next_check_at"] },
  ])
