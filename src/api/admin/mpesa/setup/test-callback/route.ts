import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { testCallbackUrl } from "../../../../../workflows/queries/setup-check"
import { parseOr400, TestCallbackSchema } from "../../validators"

/**
 * `POST /admin/mpesa/setup/test-callback` `{ provider_id }` — the server calls its own public
 * callback URL with a signed ping and says whether the aggregators can reach it, and if not, why.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { provider_id } = parseOr400(TestCallbackSchema, req.body, "callback URL test")
  res.json({ test: await testCallbackUrl(req.scope, provider_id) })
}
