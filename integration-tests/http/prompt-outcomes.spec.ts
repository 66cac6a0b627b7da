import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { eventually, LIPIA, LIPWA, openShop, recoverMpesaPayments, startMpesaPayment, useSandbox, useTestEnv } from "../fixtures/mpesa"
import { prepareCart, type SeededStore, type StoreApi } from "../fixtures/store"

jest.setTimeout(240_000)

const sandbox = useSandbox()
// Prompts expire after 2 s, so one can run out unanswered within the test.
useTestEnv({ MPESA_TEST_PROMPT_LIFETIME_MS: "2000" })

const NO_COUNTS = { paid: 0, cancelled: 0, timeout: 0, insufficient_funds: 0, wrong_pin: 0, not_sent: 0, other: 0 }

/**
 * "How prompts end" on a real store: prompts pushed through the sandbox with its magic numbers,
 * ended every way M-Pesa ends them, then counted by GET /admin/mpesa/outcomes per Nairobi day
 * and gateway, with the paid rate and the median time to pay.
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
    const outcomes = (query = "") => api.get(`/admin/mpesa/outcomes${query}`, { headers, validateStatus: () => true })

    /** Pushes a prompt to `phone` and waits until the ledger says it reached `state`. */
    async function prompt(providerId: string, phone: string, state: string) {
      const { session } = await startMpesaPayment(store, seed, providerId, phone)
      return eventually(async () => {
        const [row] = await ledger().listMpesaAttempts({ session_id: session.id })
        return row?.state === state ? row : undefined
      })
    }

    /** A push the gateway refuses: a ledger row in `not_sent`, and no prompt on any phone. */
    async function refusedPush() {
      const { paymentCollectionId } = await prepareCart(store, seed)
      sandbox().injectFault({ api: "lipia", path: "/payments/stk-push", mode: "payment_error" })
      const refused = await store.initiatePaymentSession(paymentCollectionId, LIPIA, { phone_number: "0700000000" })
      expect([refused.status, refused.data.code]).toEqual([400, "MPESA_GATEWAY_REJECTED"])
    }

    /** A prompt nobody answers, expired by the recovery job once its 2 s lifetime has passed. */
    async function unansweredPrompt() {
      const { session } = await startMpesaPayment(store, seed, LIPIA, "0700000010")
      await eventually(async () => {
        await recoverMpesaPayments(getContainer())
        const [row] = await ledger().listMpesaAttempts({ session_id: session.id })
        return row?.state === "expired" ? row : undefined
      })
    }

    it("counts each way a prompt ended per day and gateway, with the paid rate and the median time to pay", async () => {
      await prompt(LIPIA, "0700000000", "paid")
      await prompt(LIPIA, "0700000000", "paid")
      await prompt(LIPIA, "0700000001", "failed") // 1032: cancelled
      await prompt(LIPIA, "0700000002", "failed") // 1037: no response
      await prompt(LIPIA, "0700000008", "failed") // 1019: expired at M-Pesa
      await prompt(LIPIA, "0700000003", "failed") // 1: insufficient funds
      await prompt(LIPIA, "0700000004", "failed") // 2001: wrong PIN
      await prompt(LIPIA, "0700000009", "failed") // 1001: another payment in progress
      await refusedPush()
      await unansweredPrompt()
      await prompt(LIPWA, "0700000000", "paid")
      await prompt(LIPWA, "0700000001", "failed")
      await prompt(LIPWA, "0700000003", "failed")
      // Still on the phone when the chart is drawn.
      await prompt(LIPIA, "0700000010", "pending")

      const response = await outcomes()

      expect(response.status).toBe(200)
      const { from, to, time_zone, buckets, gateways } = response.data
      expect(time_zone).toBe("Africa/Nairobi")
      expect(buckets.map((b: { key: string }) => b.key)).toEqual(Object.keys(NO_COUNTS))
      expect(buckets.every((b: { label: string; description: string }) => b.label && b.description)).toBe(true)
      expect(gateways.map((g: { gateway: string }) => g.gateway)).toEqual(["lipia", "lipwa"])
      const [lipia, lipwa] = gateways

      expect(lipia).toMatchObject({
        totals: { paid: 2, cancelled: 1, timeout: 3, insufficient_funds: 1, wrong_pin: 1, not_sent: 1, other: 1 },
        total: 10,
        waiting: 1,
        paid_rate: 0.2,
      })
      // Lipwa reports a failure without its M-Pesa code, so it cannot say why: "other".
      expect(lipwa).toMatchObject({ totals: { ...NO_COUNTS, paid: 1, other: 2 }, total: 3, waiting: 0, paid_rate: 0.3333 })
      for (const gateway of gateways) {
        expect(gateway.median_seconds_to_pay).toEqual(expect.any(Number))
        expect(gateway.median_seconds_to_pay).toBeGreaterThanOrEqual(0)
        expect(gateway.median_seconds_to_pay).toBeLessThan(120)
      }

      // The default period: the last 14 Nairobi days, today included, every one listed.
      const today = nairobiToday()
      expect(to).toBe(today)
      expect(from).toBe(addDays(today, -13))
      for (const gateway of gateways) {
        expect(gateway.days.map((d: { day: string }) => d.day)).toEqual(Array.from({ length: 14 }, (_, i) => addDays(from, i)))
        const summed = { ...NO_COUNTS }
        for (const day of gateway.days) {
          for (const [bucket, n] of Object.entries(day.counts as Record<string, number>)) {
            summed[bucket as keyof typeof NO_COUNTS] += n
          }
          expect(day.total).toBe(Object.values(day.counts as Record<string, number>).reduce((a, b) => a + b, 0))
        }
        expect(summed).toEqual(gateway.totals)
        // Every prompt was pushed in the last minutes: on today, or on yesterday just before midnight.
        expect(gateway.days.filter((d: { total: number; waiting: number }) => d.total + d.waiting).every((d: { day: string }) => d.day >= addDays(today, -1))).toBe(true)
        const paidDay = gateway.days.find((d: { counts: { paid: number } }) => d.counts.paid)
        expect(paidDay.median_seconds_to_pay).toEqual(expect.any(Number))
      }

      const onlyLipwa = await outcomes("?gateway=lipwa")
      expect(onlyLipwa.data.gateways).toEqual([lipwa])

      // A row removed from the ledger (soft-deleted) is not counted.
      const [oneLipwaFailure] = await ledger().listMpesaAttempts({ gateway: "lipwa", state: "failed" }, { take: 1 })
      await ledger().softDeleteMpesaAttempts([oneLipwaFailure.id])
      expect((await outcomes("?gateway=lipwa")).data.gateways[0]).toMatchObject({ totals: { ...NO_COUNTS, paid: 1, other: 1 }, total: 2, paid_rate: 0.5 })
    })

    it("lists every day of an asked period with zeros when no prompt was sent", async () => {
      await prompt(LIPIA, "0700000000", "paid")

      const quiet = await outcomes("?from=2026-02-27&to=2026-03-02&gateway=lipwa")

      expect(quiet.status).toBe(200)
      expect(quiet.data).toMatchObject({ from: "2026-02-27", to: "2026-03-02" })
      expect(quiet.data.gateways).toEqual([
        {
          gateway: "lipwa",
          days: ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"].map((day) => ({ day, counts: NO_COUNTS, total: 0, waiting: 0, median_seconds_to_pay: null })),
          totals: NO_COUNTS,
          total: 0,
          waiting: 0,
          paid_rate: null,
          median_seconds_to_pay: null,
        },
      ])
      // Without a gateway, a period with no prompts has no gateway to chart: the card's empty state.
      expect((await outcomes("?from=2026-02-27&to=2026-03-02")).data.gateways).toEqual([])
    })

    it.each([
      ["from=2026-12-15&to=2026-12-14", /from: must not be after to/],
      ["from=2025-01-01&to=2026-12-14", /from: .*at most 366/],
      ["from=yesterday", /from: must be a day/],
      ["to=2026-02-30", /to: must be a day/],
      ["gateway=mpesa", /gateway/],
      ["sort=day", /sort/],
    ])("answers a bad query (%s) with 400 naming the parameter", async (query, named) => {
      const response = await outcomes(`?${query}`)

      expect(response.status).toBe(400)
      expect(response.data).toMatchObject({ type: "invalid_data", message: expect.stringMatching(named) })
    })

    it("is for the store's admins only: 401 without a login", async () => {
      const response = await api.get("/admin/mpesa/outcomes", { validateStatus: () => true })

      expect(response.status).toBe(401)
    })
  },
})

// Written out here rather than imported from the plugin's source, so the spec checks the
// route's calendar against an independent reading of "Nairobi is UTC+3".
function nairobiToday(): string {
  return new Date(Date.now() + 3 * 60 * 60 * 1000).toISOString().slice(0, 10)
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)
}
