import { writeFileSync } from "node:fs"
import path from "node:path"

import type { ExecArgs } from "@medusajs/framework/types"

import { LIPIA, LIPWA } from "../../fixtures/mpesa"
import { seedStore } from "../../fixtures/store"

/**
 * `medusa exec ./seed.ts`: a KES store with both M-Pesa providers and Kenya's 16 % VAT (so every
 * amount the desk shows and asks for carries tax lines); what the test needs goes to seed.json.
 */
export default async function seed({ container }: ExecArgs) {
  const store = await seedStore(container, { paymentProviders: [LIPIA, LIPWA], vatRate: 16 })
  writeFileSync(path.join(__dirname, "seed.json"), JSON.stringify(store))
}
