import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"

import { promptOutcomes } from "../../../../workflows/queries/prompt-outcomes"
import { parseOr400, PromptOutcomesQuerySchema } from "../validators"

/**
 * `GET /admin/mpesa/outcomes?from=&to=&gateway=` — how the prompts pushed in a period ended, per
 * Nairobi day and gateway (paid, cancelled, no answer, insufficient funds, wrong PIN, not sent,
 * other), with each gateway's paid rate and median time to pay: the admin's "How prompts end".
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = parseOr400(PromptOutcomesQuerySchema, req.query, "prompt outcomes query")
  res.json(await promptOutcomes(req.scope, query))
}
