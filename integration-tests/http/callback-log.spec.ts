import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { eventually, LIPIA, LIPWA, openShop, startMpesaPayment, useSandbox } from "../fixtures/mpesa"
import type { SeededStore, StoreApi } from "../fixtures/store"

jest.setTimeout(240_000)

const sandbox = useSandbox()

const DAY_MS = 24 * 3600_000
/** The cap the README's Limits section documents (models/mpesa-callback.ts UNMATCHED_CALLBACKS_KEPT). */
const UNMATCHED_KEPT = 1_000

/**
 * The prune job as Medusa runs it: the default export of the *built* plugin's job file, called
 * `handler(container, { scheduledFor })` as framework/dist/jobs/job-loader.js calls every job.
 */
function scheduledPrune(container: unknown, scheduledFor: Date): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(__dirname, "../../.medusa/server/src/jobs/prune-mpesa-callbacks.js")).default(container, { scheduledFor })
}

/**
 * What the callback log keeps of the world, on a real store: the callback route is open to
 * anyone, so what strangers send leaves a bounded trace, and the log is pruned on schedule.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: SeededStore
    let store: StoreApi
    let headers: Record<string, string>

    beforeEach(async () => {
      ;({ seed, store, headers } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const ledger = () => getContainer().resolve("mpesa") as any
    const callbacks = (filter: string) => api.get(`/admin/mpesa/callbacks?${filter}`, { headers, validateStatus: () => true })

    async function orderOfCart(cartId: string): Promise<string | undefined> {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return data[0]?.order_id
    }

    it("prunes the callback log when Medusa runs the job: older than callbackLogDays (90) go, the rest stay", async () => {
      const now = Date.now()
      const logged = (named_id: string, daysAgo: number, attempt_id: string | null) =>
        ledger().logCallback({
          gateway: "lipia",
          attempt_id,
          named_id,
          signature_valid: attempt_id !== null,
          body: "{}",
          headers: {},
          answer_status: attempt_id ? 200 : 401,
          answer_code: attempt_id ? null : "MPESA_BAD_SIGNATURE",
          answer_message: "ok",
          received_at: new Date(now - daysAgo * DAY_MS),
        })
      await logged("matched-91-days-ago", 91, "mpatt_old")
      await logged("unmatched-90.1-days-ago", 90.1, null)
      await logged("matched-89-days-ago", 89, "mpatt_recent")
      await logged("unmatched-today", 0, null)

      expect(await scheduledPrune(getContainer(), new Date(now))).toBe(2)

      const left: Array<{ named_id: string }> = await ledger().listMpesaCallbacks({}, { select: ["named_id"] })
      expect(left.map((callback) => callback.named_id).sort()).toEqual(["matched-89-days-ago", "unmatched-today"])
      // The next hourly run finds nothing more to do.
      expect(await scheduledPrune(getContainer(), new Date(now + 3600_000))).toBe(0)
    })

    it("keeps at most 1,000 unmatched callbacks however many strangers send, newest first, and never drops a matched one", async () => {
      const paid = await startMpesaPayment(store, seed, LIPIA, "0700000000")
      await eventually(() => orderOfCart(paid.cart.id))
      const matchedBefore: string[] = await eventually(async () => {
        const answer = await callbacks("matched=true")
        return answer.data.count ? answer.data.callbacks.map((callback: { id: string }) => callback.id) : undefined
      })

      // 1,100 forged callbacks to both gateways, ten at a time (so the first ten are the oldest).
      const sent = 1_100
      for (let first = 0; first < sent; first += 10) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            api.post(`/hooks/mpesa/${(first + i) % 2 ? "lipwa" : "lipia"}?attempt_id=junk_${first + i}&sig=0000`, { junk: first + i }, { validateStatus: () => true })
          )
        )
        expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(401))
      }

      const unmatched = await callbacks("matched=false&limit=1")
      expect(unmatched.status).toBe(200)
      expect(unmatched.data.count).toBe(UNMATCHED_KEPT)
      // The newest 1,000: every batch after the first hundred callbacks.
      const kept: Array<{ named_id: string }> = await ledger().listMpesaCallbacks({ attempt_id: null }, { select: ["named_id"], take: 5_000 })
      const newest = Array.from({ length: UNMATCHED_KEPT }, (_, i) => `junk_${sent - UNMATCHED_KEPT + i}`)
      expect(kept.map((callback) => callback.named_id).sort()).toEqual(newest.sort())

      const matchedAfter = await callbacks("matched=true&limit=100")
      expect(matchedAfter.data.callbacks.map((callback: { id: string }) => callback.id)).toEqual(expect.arrayContaining(matchedBefore))

      // And a payment after the flood is logged, matched, like any other.
      const later = await startMpesaPayment(store, seed, LIPWA, "0700000000")
      await eventually(() => orderOfCart(later.cart.id))
      const logged = await eventually(async () => {
        const [attempt] = await ledger().listMpesaAttempts({ session_id: later.session.id })
        const rows = attempt ? await ledger().listMpesaCallbacks({ attempt_id: attempt.id }) : []
        return rows.length ? rows : undefined
      })
      expect(logged[0]).toMatchObject({ gateway: "lipwa", signature_valid: true, answer_status: 200 })
      expect((await callbacks("matched=false&limit=1")).data.count).toBe(UNMATCHED_KEPT)
    })
  },
})
