import { model } from "@medusajs/framework/utils"

/**
 * One row per STK push: the durable record of an M-Pesa attempt. Medusa deletes payment
 * sessions when a cart changes; money must not vanish with them. Unique on the gateway's
 * reference and on the M-Pesa receipt, so one payment can never be recorded twice.
 */
export const MpesaAttempt = model
  .define("mpesa_attempt", {
    id: model.id({ prefix: "mpatt" }).primaryKey(),
    gateway: model.enum(["lipia", "lipwa"]),
    session_id: model.text(),
    provider_id: model.text().nullable(),
    payment_collection_id: model.text().nullable(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    /** The gateway's id for status queries. */
    reference: model.text(),
    callback_reference: model.text(),
    checkout_id: model.text().nullable(),
    phone_masked: model.text(),
    /** HMAC-SHA256 of the phone under the callback secret: comparable, not reversible. */
    phone_hash: model.text(),
    amount_requested: model.number(),
    amount_paid: model.number().nullable(),
    state: model.enum(["pending", "paid", "failed", "expired", "superseded"]).default("pending"),
    result_code: model.number().nullable(),
    message: model.text().nullable(),
    receipt: model.text().nullable(),
    amount_mismatch: model.boolean().default(false),
    paid_without_order: model.boolean().default(false),
    late_success: model.boolean().default(false),
    pushed_at: model.dateTime(),
    settled_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["gateway", "reference"], unique: true },
    { on: ["receipt"], unique: true, where: "receipt IS NOT NULL" },
    { on: ["session_id"] },
    { on: ["state"] },
  ])
