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
  await seedPromptHistory(container)
  writeFileSync(
    process.env.DEMO_SEED_FILE ?? "seed.json",
    JSON.stringify({ publishableKey: store.publishableKey, regionId: store.region.id }, null, 2)
  )
}

/**
 * Two weeks of past prompts, so "How prompts end" on the M-Pesa page has a story to tell on a
 * fresh demo (today's come from real checkouts: scripts/lib/demo-desk.mjs). Ledger rows only —
 * no cart, no order, no money — each marked resolved by "demo seed" with a note saying so, so
 * that nothing (the recovery job, Needs attention) ever acts on them. The paid Lipwa ones are
 * put in the sandbox's Lipwa account at each start (demo-desk.mjs), as a real account would list
 * them, so that reconciling finds every one: settled by hand (resolved), none unknown.
 */
async function seedPromptHistory(container: ExecArgs["container"]) {
  const ledger = container.resolve("mpesa") as { createMpesaAttempts(rows: Record<string, unknown>[]): Promise<unknown> }
  const DAY = 24 * 3600_000
  // Ended prompts per day, per outcome: a steady store whose timeouts double in the last days.
  const mix = (day: number) => ({
    paid: 6 + (day % 3),
    cancelled: 1 + (day % 2),
    timeout: day < 4 ? 4 : 2,
    insufficient_funds: day % 4 === 0 ? 2 : 1,
    wrong_pin: day % 5 === 0 ? 1 : 0,
  })
  const codes: Record<string, number> = { cancelled: 1032, timeout: 1037, insufficient_funds: 1, wrong_pin: 2001 }
  const rows: Record<string, unknown>[] = []
  for (let day = 13; day >= 1; day--) {
    let n = 0
    for (const [outcome, count] of Object.entries(mix(day))) {
      for (let i = 0; i < count; i++, n++) {
        const gateway = n % 3 === 0 ? "lipwa" : "lipia"
        const pushed = new Date(Date.now() - day * DAY + (n * 37 + 9) * 60_000)
        const paid = outcome === "paid"
        // Lipwa reports a failure without a reason (reference/lipwa-api.txt): its story is paid or "other".
        const reason = gateway === "lipwa" && !paid ? "failed" : outcome
        const seconds = paid ? 12 + ((n * 7) % 40) : 30 + ((n * 11) % 60)
        const id = `${day}-${n}`
        rows.push({
          gateway,
          provider_id: gateway === "lipia" ? LIPIA : LIPWA,
          reference: `demo-history-${id}`,
          phone_masked: `2547******${String(10 + ((n * 13) % 89)).slice(-2)}`,
          phone_hash: "demo-history",
          amount_requested: 1000 + ((n * 250) % 2500),
          amount_paid: paid ? 1000 + ((n * 250) % 2500) : null,
          state: paid ? "paid" : "failed",
          outcome: paid ? "paid" : reason,
          result_code: paid ? 0 : (codes[reason] ?? null),
          receipt: paid ? `DMH${String(day).padStart(2, "0")}${String(n).padStart(5, "0")}` : null,
          pushed_at: pushed,
          settled_at: new Date(pushed.getTime() + seconds * 1000),
          resolved_at: new Date(),
          resolved_by: "demo seed",
          resolution_note: "Demo history for the prompt-outcome chart: no cart, no order, no money.",
        })
      }
    }
  }
  await ledger.createMpesaAttempts(rows)
}
