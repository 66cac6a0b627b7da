import { writeFileSync } from "node:fs"

import type { ExecArgs } from "@medusajs/framework/types"

import { seedStore } from "../../integration-tests/fixtures/store"

const LIPIA = "pp_mpesa-lipia_lipia"
const LIPWA = "pp_mpesa-lipwa_lipwa"

/**
 * `medusa exec ./seed.ts`, run once by `npm run demo`: a Kenya store in KES with both M-Pesa
 * providers on the region, a few products, flat-rate delivery and a publishable key — built by
 * Medusa's core workflows, the same way the integration tests build theirs. What the
 * storefront needs is written to DEMO_SEED_FILE.
 */
export default async function seed({ container }: ExecArgs) {
  const store = await seedStore(container, {
    paymentProviders: [LIPIA, LIPWA],
    regionName: "Kenya",
    products: [
      { title: "Kikoy beach towel", price: 1000, description: "Hand-woven cotton from the coast." },
      { title: "Kiondo basket", price: 2500, description: "Sisal, woven in Machakos." },
      { title: "Kenyan AA coffee, 250 g", price: 850, description: "Nyeri highlands, medium roast." },
      { title: "Maasai shuka", price: 1500, description: "The red checked blanket." },
    ],
  })
  writeFileSync(
    process.env.DEMO_SEED_FILE ?? "seed.json",
    JSON.stringify({ publishableKey: store.publishableKey, regionId: store.region.id }, null, 2)
  )
}
