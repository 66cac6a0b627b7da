import { writeFileSync } from "node:fs"

import type { ExecArgs } from "@medusajs/framework/types"

import { LIPIA, LIPWA } from "../../fixtures/mpesa"
import { seedStore } from "../../fixtures/store"

/** `medusa exec ./seed.ts`: a KES store with both M-Pesa providers; what the test needs goes to SEED_FILE. */
export default async function seed({ container }: ExecArgs) {
  const store = await seedStore(container, { paymentProviders: [LIPIA, LIPWA] })
  writeFileSync(process.env.SEED_FILE!, JSON.stringify(store))
}
