import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { mpesaProviders } from "../../../../workflows/queries/setup-check"

/**
 * `GET /admin/mpesa/setup` — each configured M-Pesa provider: gateway, base URL (live or not),
 * the callback URL's shape, a fingerprint of the key (never the key), manual refunds.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ providers: await mpesaProviders(req.scope) })
}
