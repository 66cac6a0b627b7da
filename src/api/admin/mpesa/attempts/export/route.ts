import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { csvCell } from "../../../../../lib/csv"
import { redactPhones } from "../../../../../lib/phone"
import { attentionOf } from "../../../../../payment/attention"
import { listAttempts } from "../../../../../workflows/queries/list-attempts"
import { parseAttemptQuery } from "../../validators"

/**
 * `origin`: checkout, admin_request (a prompt sent from the admin) or recorded (a payment made
 * outside the prompt, entered by its receipt); `recorded_by`: the admin user who recorded it;
 * `attested`: true when it stands on the merchant's word alone (no gateway could confirm the
 * receipt), with `note` saying why — so an accountant never takes it for a verified payment.
 */
const COLUMNS = [
  "date",
  "gateway",
  "reference",
  "receipt",
  "amount_requested",
  "amount_paid",
  "phone",
  "order",
  "state",
  "flags",
  "resolved_at",
  "origin",
  "recorded_by",
  "attested",
  "note",
] as const
/** Rows read from the ledger per page while the file is written. */
const PAGE = 500

/**
 * `GET /admin/mpesa/attempts/export` — the filtered attempts as CSV for the merchant's
 * accountant (same filters as the list, oldest first). Every matching row: the file is
 * streamed page by page, never cut off. `flags` lists every flag an attempt carries
 * (paid_twice, unverified, … — resolved ones too, with `resolved_at` saying when); the last
 * columns say where a payment came from (COLUMNS).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = { ...parseAttemptQuery(req.query), order: "ASC" as const }
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="mpesa-attempts-${new Date().toISOString().slice(0, 10)}.csv"`)
  res.write(COLUMNS.join(",") + "\r\n")
  for (let offset = 0; ; offset += PAGE) {
    const { attempts } = await listAttempts(req.scope, { ...query, limit: PAGE, offset })
    const lines = attempts.map((a) => {
      const flags = attentionOf({ ...a, resolved_at: null }).map((f) => f.flag)
      const recorded = a.origin === "recorded"
      return [
        iso(a.pushed_at),
        a.gateway,
        a.reference,
        a.receipt,
        a.amount_requested,
        a.amount_paid,
        a.phone_masked,
        a.order_id,
        a.state,
        flags.join(" "),
        iso(a.resolved_at),
        a.origin,
        recorded ? a.requested_by : null,
        a.attested,
        // A note is the merchant's free text: whatever wrote it, no whole phone number leaves in the file.
        recorded && a.attestation_note ? redactPhones(a.attestation_note) : null,
      ]
        .map(csvCell)
        .join(",")
    })
    if (lines.length) {
      res.write(lines.join("\r\n") + "\r\n")
    }
    if (attempts.length < PAGE) {
      break
    }
  }
  res.end()
}

const iso = (date: Date | string | null) => (date ? new Date(date).toISOString() : null)
