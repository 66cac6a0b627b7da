import { model } from "@medusajs/framework/utils"

/**
 * At most this many unmatched callbacks (no attempt: forged, misdirected, unsigned, for a
 * payment this store never started) are kept; each new one beyond it pushes out the oldest.
 * Anyone on the internet can POST to the callback route, so what it keeps of strangers must not
 * grow with what they send: 1,000 rows of at most 16 KiB each is at most ~16 MB, and enough to
 * read a misconfiguration's story. Matched callbacks are never pushed out by it: they are the
 * evidence of a real payment, and only `callbackLogDays` removes them.
 */
export const UNMATCHED_CALLBACKS_KEPT = 1_000

/**
 * One row per callback POSTed to `/hooks/mpesa/{gateway}`, kept as it arrived — matched to an
 * attempt or not (forged, misdirected, for a payment this store never started) — for the
 * merchant to read when a payment's story is in doubt. Evidence, never a decision: the status
 * API decides (receive-mpesa-callback). Nothing secret is kept: not the URL's signature (only
 * whether it held), no auth or cookie headers, and phone numbers in the body are masked.
 * Deleted after `callbackLogDays` (plugin option) by the prune job; unmatched ones also beyond
 * the newest `UNMATCHED_CALLBACKS_KEPT`.
 */
export const MpesaCallback = model
  .define("mpesa_callback", {
    id: model.id({ prefix: "mpcb" }).primaryKey(),
    gateway: model.enum(["lipia", "lipwa"]),
    /** The attempt it was matched to: signed, and naming an attempt of this gateway. Null: unmatched. */
    attempt_id: model.text().nullable(),
    /** What the URL named (`attempt_id` or `session_id`), whatever the signature said. */
    named_id: model.text().nullable(),
    signature_valid: model.boolean(),
    /** The body as received (phone numbers masked), at most 16 KiB of it. */
    body: model.text(),
    /** The headers that tell where it came from (content type, user agent, forwarding chain). */
    headers: model.json(),
    /** What the store answered: the HTTP status, and the refusal's code and message. */
    answer_status: model.number(),
    answer_code: model.text().nullable(),
    answer_message: model.text().nullable(),
    received_at: model.dateTime(),
  })
  .indexes([
    { on: ["attempt_id"] },
    { on: ["received_at"] },
    { on: ["gateway", "received_at"] },
    // The unmatched rows newest first, so keeping the newest UNMATCHED_CALLBACKS_KEPT reads only those.
    { name: "IDX_mpesa_callback_unmatched", on: ["received_at", "id"], where: "attempt_id IS NULL" },
  ])
