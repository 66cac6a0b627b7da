import { writeFileSync } from "node:fs"

import type { ExecArgs } from "@medusajs/framework/types"

import { LIPIA, LIPWA } from "../../integration-tests/fixtures/mpesa"
import { seedStore } from "../../integration-tests/fixtures/store"

/**
 * `medusa exec ./seed.ts`: a KES store with both M-Pesa providers and Medusa's own; written to
 * SEED_FILE. Two products at the same price: one that manages its inventory (`variant`, ample
 * stock) and one that does not (`freeVariant`), whose carts complete without Medusa's inventory
 * lock — the payment phase's headline is measured on those, as a shop selling such goods sees it.
 */
export default async function seed({ container }: ExecArgs) {
  const store = await seedStore(container, {
    paymentProviders: [LIPIA, LIPWA, "pp_system_default"],
    stockedQuantity: 10_000_000,
    products: [
      { title: "Kikoy beach towel", price: 1000 },
      { title: "Kanga wrap, made to order", price: 1000, manageInventory: false },
    ],
  })
  writeFileSync(process.env.SEED_FILE!, JSON.stringify({ ...store, freeVariant: store.products[1].variants[0] }))
}
