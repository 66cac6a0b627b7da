import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

export const CAPTURE_AT_ONCE = "pp_capture-at-once_capture"

/**
 * POST /bench/own-captures: offers `pp_capture-at-once_capture` (BENCH_OWN_CAPTURES=on) in every
 * region, as a merchant enables a provider, so Medusa's own checkout can pay through it. The
 * bench store's route, called once after boot by `npm run bench -- --own-captures`; the seeded
 * template is left as it is (each run's database is a fresh copy of it).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: regions } = await query.graph({ entity: "region", fields: ["id", "payment_providers.id"] })
  const link = req.scope.resolve(ContainerRegistrationKeys.LINK)
  const missing = regions.filter((region: { payment_providers?: Array<{ id: string } | null> }) => !(region.payment_providers ?? []).some((p) => p?.id === CAPTURE_AT_ONCE))
  if (missing.length) {
    await link.create(missing.map((region: { id: string }) => ({ [Modules.REGION]: { region_id: region.id }, [Modules.PAYMENT]: { payment_provider_id: CAPTURE_AT_ONCE } })))
  }
  res.json({ provider_id: CAPTURE_AT_ONCE, regions: regions.length, linked: missing.length })
}
