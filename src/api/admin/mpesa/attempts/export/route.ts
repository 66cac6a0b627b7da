import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { csvCell } from "../../../../../lib/csv"
import { EXPORT_COLUMNS, exportRow } from "../../../../../payment/export-row"
import { exportNames } from "../../../../../workflows/queries/export-names"
import { listAttempts } from "../../../../../workflows/queries/list-attempts"
import { parseAttemptQuery } from "../../validators"

/** Rows read from the ledger per page while the file is written. */
const PAGE = 500

/**
 * `GET /admin/mpesa/attempts/export` — the filtered attempts as CSV for the merchant's
 * accountant (same filters as the list, oldest first; columns: payment/export-row.ts). Every
 * matching row: the file is streamed page by page, never cut off, with the orders' numbers and
 * the staff's emails read once per page. `flags` lists every flag an attempt carries
 * (paid_twice, unverified, … — resolved ones too, with `resolved_at` saying when).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = { ...parseAttemptQuery(req.query), order: "ASC" as const }
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="mpesa-attempts-${new Date().toISOString().slice(0, 10)}.csv"`)
  res.write(EXPORT_COLUMNS.join(",") + "\r\n")
  for (let offset = 0; ; offset += PAGE) {
    const { attempts } = await listAttempts(req.scope, { ...query, limit: PAGE, offset })
    const names = await exportNames(req.scope, attempts)
    const lines = attempts.map((a, i) => exportRow(a, names.orders[i], names.users).map(csvCell).join(","))
    if (lines.length) {
      res.write(lines.join("\r\n") + "\r\n")
    }
    if (attempts.length < PAGE) {
      break
    }
  }
  res.end()
}
