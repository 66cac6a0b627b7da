import { writeFileSync } from "node:fs"

import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"

import { seedStore } from "../../integration-tests/fixtures/store"

const LIPIA = "pp_mpesa-lipia_lipia"
const LIPWA = "pp_mpesa-lipwa_lipwa"

/**
 * `medusa exec ./seed.ts`, run once by `npm run demo`: a Kenya store in KES with both M-Pesa
 * providers on the region, a few products, flat-rate delivery, a publishable key, and the admin
 * user DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD — built by Medusa's core workflows, the same way
 * the integration tests build their stores. What the storefront needs goes to DEMO_SEED_FILE.
 */
export default async function seed({ container }: ExecArgs) {
  // As `medusa user` does it: an email/password identity, then the user linked to it.
  const auth = container.resolve(Modules.AUTH)
  const email = process.env.DEMO_ADMIN_EMAIL!
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password: process.env.DEMO_ADMIN_PASSWORD! } })
  if (!authIdentity) {
    throw new Error(`could not create the admin login: ${error}`)
  }
  await createUserAccountWorkflow(container).run({ input: { authIdentityId: authIdentity.id, userData: { email } } })

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
