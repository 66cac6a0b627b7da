import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

import { testCallbackUrl } from "../../../../../workflows/steps/setup-check"
import { isMpesaProviderId } from "../../../../../workflows/steps/mpesa-provider"

const Body = z.object({ provider_id: z.string().refine(isMpesaProviderId, "must be an M-Pesa provider id (pp_mpesa-…)") }).strict()

/**
 * `POST /admin/mpesa/setup/test-callback` `{ provider_id }` — the server calls its own public
 * callback URL with a signed ping and says whether the aggregators can reach it, and if not, why.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const body = Body.safeParse(req.body ?? {})
  if (!body.success) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid test — ${body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`)
  }
  res.json({ test: await testCallbackUrl(req.scope, body.data.provider_id) })
}
