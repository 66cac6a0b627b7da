import { writeFileSync } from "node:fs"

import type { ExecArgs } from "@medusajs/framework/types"

import { LIPIA, LIPWA } from "../../integration-tests/fixtures/mpesa"
import { seedStore } from "../../integration-tests/fixtures/store"

/** `medusa exec ./seed.ts`: a KES store with both M-Pesa providers and Medusa's own; written to SEED_FILE. */
export default async function seed({ container }: ExecArgs) {
  const store = await seedStore(container, { paymentProviders: [LIPIA, LIPWA, "pp_system_default"], stockedQuantity: 10_000_000 })
  writeFileSync(process.env.SEED_FILE!, JSON.stringify(store))
}
