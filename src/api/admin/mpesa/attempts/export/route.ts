import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { attentionOf } from "../../../../../payment/attention"
import { listAttempts } from "../../../../../workflows/queries/list-attempts"
import { parseAttemptQuery } from "../../validators"

const COLUMNS = ["date", "gateway", "reference", "receipt", "amount_requested", "amount_paid", "phone", "order", "state", "flags"] as const
const MAX_ROWS = 10_000

/**
 * `GET /admin/mpesa/attempts/export` — the filtered attempts as CSV for the merchant's
 * accountant (same filters as the list; up to 10,000 rows, oldest first).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = { ...parseAttemptQuery(req.query), limit: MAX_ROWS, offset: 0 }
  const { attempts } = await listAttempts(req.scope, query)
  const lines = [COLUMNS.join(",")]
  for (const a of [...attempts].reverse()) {
    const flags = attentionOf({ ...a, resolved_at: null }).map((f) => f.flag)
    lines.push(
      [new Date(a.pushed_at).toISOString(), a.gateway, a.reference, a.receipt, a.amount_requested, a.amount_paid, a.phone_masked, a.order_id, a.state, flags.join(" ")]
        .map(csvCell)
        .join(",")
    )
  }
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="mpesa-attempts-${new Date().toISOString().slice(0, 10)}.csv"`)
  res.send(lines.join("\r\n") + "\r\n")
}

// RFC 4180 quoting, and no cell a spreadsheet would run as a formula.
function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return ""
  }
  let text = String(value)
  if (/^[=+\-@]/.test(text)) {
    text = `'${text}`
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
