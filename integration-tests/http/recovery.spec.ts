import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

import { drainRecovery, eventually, expectOneOrderOneCapture, LIPIA, LIPWA, ordersOfCart, recoverMpesaPayments, startMpesaPayment, useSandbox, useTestEnv, openShop } from "../fixtures/mpesa"
import { seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()
// Prompts expire after 2 s; at most 10 attempts of each kind per recovery run.
useTestEnv({ MPESA_TEST_PROMPT_LIFETIME_MS: "2000", MPESA_TEST_BATCH_SIZE: "10" })

/**
 * Payments whose callback never came: the storefront's polling route, the recovery job, the
 * late successes. The test store runs with short timings (integration-tests/app/medusa-config.ts):
 * re-check after 300 ms, prompts expire after 2 s.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>

    beforeEach(async () => {
      ;({ seed, store } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    const startPayment = (providerId: string, phone: string) => startMpesaPayment(store, seed, providerId, phone)

    async function orderOf(cartId: string): Promise<string | undefined> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      return data[0]?.order_id
    }

    const poll = (sessionId: string) =>
      api.get(`/store/mpesa/payment-sessions/${sessionId}`, {
        headers: { "x-publishable-api-key": seed.publishableKey },
        validateStatus: () => true,
      })

    describe("GET /store/mpesa/payment-sessions/:id", () => {
      it("says pending, with what to do, while the prompt is on the phone", async () => {
        const { session } = await startPayment(LIPIA, "0700000010")

        const response = await poll(session.id)

        expect(response.status).toBe(200)
        expect(response.data).toEqual({
          id: session.id,
          status: "pending",
          message: expect.stringMatching(/Check your phone/),
          expires_at: expect.any(String),
        })
        // The storefront's countdown: the prompt's lifetime (2 s in this file) from the push.
        const lifetime = Date.parse(response.data.expires_at) - Date.parse(session.data.pushed_at)
        expect(Math.abs(lifetime - 2_000)).toBeLessThan(500)
      })

      it("turns a paid payment whose callback was lost into an order, and then reports it", async () => {
        const { cart, session, reference } = await startPayment(LIPWA, "0700000005")
        await sandbox().waitFor(() => sandbox().payment(reference)?.status === "success")
        expect(sandbox().callbacks()).toHaveLength(0)

        const paid = await eventually(async () => {
          const response = await poll(session.id)
          return response.data.order_id ? response.data : undefined
        })

        expect(paid).toMatchObject({ status: "paid", order_id: await orderOf(cart.id), receipt: sandbox().payment(reference)!.receipt })
      })

      it("reports a failed prompt with the shopper's message", async () => {
        const { session, reference } = await startPayment(LIPIA, "0700000003")
        await sandbox().waitFor(() => sandbox().payment(reference)?.status === "failed")

        const failed = await eventually(async () => {
          const response = await poll(session.id)
          return response.data.status === "failed" ? response.data : undefined
        })

        expect(failed.message).toMatch(/balance/)
      })

      it("needs a publishable key and a known M-Pesa session", async () => {
        const { session } = await startPayment(LIPIA, "0700000010")

        expect((await api.get(`/store/mpesa/payment-sessions/${session.id}`, { validateStatus: () => true })).status).toBe(400)
        const unknown = await poll("payses_unknown")
        expect([unknown.status, unknown.data.code]).toEqual([404, "MPESA_NOT_FOUND"])
      })
    })

    describe("the recovery job", () => {
      it("recovers a paid payment whose callback was lost", async () => {
        const { cart, reference } = await startPayment(LIPIA, "0700000005")
        await sandbox().waitFor(() => sandbox().payment(reference)?.status === "success")

        const report = await eventually(async () => {
          const run = await recoverMpesaPayments(getContainer())
          return run?.settled ? run : undefined
        })

        expect(report).toMatchObject({ settled: 1, expired: 0 })
        expect(await eventually(() => orderOf(cart.id))).toBeTruthy()
      })

      it("records a failure whose callback was lost", async () => {
        const { session, reference } = await startPayment(LIPWA, "0700000010")
        await sandbox().settle(reference, "timeout", { callback: "lost" })

        await eventually(async () => ((await recoverMpesaPayments(getContainer()))?.settled ? true : undefined))

        const status = await eventually(async () => {
          const response = await poll(session.id)
          return response.data.status === "failed" ? response.data.status : undefined
        })
        expect(status).toBe("failed")
      })

      it("expires a prompt nobody answered, and a late success is still turned into an order", async () => {
        const { cart, session, reference } = await startPayment(LIPIA, "0700000010")

        await eventually(async () => {
          await recoverMpesaPayments(getContainer())
          return (await poll(session.id)).data.status === "expired" ? true : undefined
        })

        await sandbox().settle(reference, "success")

        expect(await eventually(() => orderOf(cart.id))).toBeTruthy()
        expect((await poll(session.id)).data.status).toBe("paid")
        const ledger = () => (getContainer().resolve("mpesa") as any).listMpesaAttempts({ session_id: session.id })
        const [attempt] = await eventually(async () => {
          const rows = await ledger()
          return rows[0]?.state === "paid" ? rows : undefined
        })
        expect(attempt).toMatchObject({ late_success: true, paid_without_order: false, receipt: sandbox().payment(reference)!.receipt })
      })

      it("takes a bounded batch per run, never asks Lipwa more than 10 times in any second, and never runs twice at once", async () => {
        for (let i = 0; i < 12; i++) {
          await startPayment(LIPWA, "0700000010")
        }
        sandbox().reset()
        const ledger = getContainer().resolve("mpesa") as any
        await eventually(async () => {
          const due = await ledger.listMpesaAttempts({ state: "pending", next_check_at: { $lte: new Date() } })
          return due.length === 12 ? true : undefined
        })

        const [first, concurrent] = await Promise.all([recoverMpesaPayments(getContainer()), recoverMpesaPayments(getContainer())])
        const second = (await recoverMpesaPayments(getContainer()))!

        // One of the two simultaneous runs found the recovery lock taken and did nothing.
        expect([first?.checked, concurrent?.checked].sort()).toEqual([10, undefined])
        // The next run asks the two left waiting (plus any checked one whose next check is due
        // again): a prompt is never expired before it was asked about once.
        expect(second.checked).toBeGreaterThanOrEqual(2)
        const checks = sandbox().requests().filter((r) => r.api === "lipwa" && r.path === "/lipwa/api/status")
        expect(new Set(checks.map((r) => r.query.ref)).size).toBe(12)
        expect(checks).toHaveLength(10 + second.checked)
        const times = checks.map((r) => new Date(r.at).getTime()).sort((a, b) => a - b)
        expect(sandbox().requests().some((r) => r.status === 429)).toBe(false)
        for (let i = 10; i < times.length; i++) {
          expect(times[i] - times[i - 10]).toBeGreaterThanOrEqual(1000)
        }
      })

      it("drains a backlog in one scheduled run, batch after batch, still within Lipwa's 10 requests in any second", async () => {
        const started = []
        for (let i = 0; i < 23; i++) {
          started.push(await startPayment(LIPWA, "0700000005"))
        }
        const ledger = getContainer().resolve("mpesa") as any
        await eventually(async () => {
          const due = await ledger.listMpesaAttempts({ state: "pending", next_check_at: { $lte: new Date() } })
          return due.length === 23 ? true : undefined
        })
        await sandbox().waitFor(() => started.every(({ reference }) => sandbox().payment(reference)?.status === "success"))
        const before = sandbox().requests().length

        const report = (await drainRecovery(getContainer()))!

        // Three runs of at most 10 (10, 10, 3) in one go, where one run per tick would check 10.
        // Prompts here outlive their 2 s lifetime while they wait: each is asked before it could
        // be expired, so none reads "expired" to a shopper who paid.
        expect(report).toMatchObject({ checked: 23, settled: 23, expired: 0, failedChecks: 0 })
        for (const { cart } of started) {
          expect(await eventually(() => orderOf(cart.id))).toBeTruthy()
        }
        const checks = sandbox().requests().slice(before).filter((r) => r.api === "lipwa")
        const times = checks.map((r) => new Date(r.at).getTime()).sort((a, b) => a - b)
        expect(times).toHaveLength(23)
        expect(checks.some((r) => r.status === 429)).toBe(false)
        for (let i = 10; i < times.length; i++) {
          expect(times[i] - times[i - 10]).toBeGreaterThanOrEqual(1000)
        }
      })

      it("never records a paid attempt as expired, even when the job first sees it after the prompt's lifetime", async () => {
        const { cart, session, reference } = await startPayment(LIPIA, "0700000005")
        await sandbox().waitFor(() => sandbox().payment(reference)?.status === "success")
        const ledger = getContainer().resolve("mpesa") as any
        const [pushed] = await ledger.listMpesaAttempts({ session_id: session.id })
        await eventually(async () => (Date.now() - new Date(pushed.pushed_at).getTime() > 2_100 ? true : undefined))

        const report = (await recoverMpesaPayments(getContainer()))!

        expect(report).toMatchObject({ settled: 1, expired: 0 })
        expect(await eventually(() => orderOf(cart.id))).toBeTruthy()
        const [attempt] = await ledger.listMpesaAttempts({ session_id: session.id })
        expect(attempt).toMatchObject({ state: "paid", late_success: false, receipt: sandbox().payment(reference)!.receipt })
        await recoverMpesaPayments(getContainer())
        expect((await ledger.listMpesaAttempts({ session_id: session.id }))[0].state).toBe("paid")
      })

      it("holds a paid cart that cannot become an order, and never places it later by itself", async () => {
        const { cart, session, reference } = await startPayment(LIPIA, "0700000010")
        const container = getContainer()
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const inventory = container.resolve(Modules.INVENTORY) as any
        const { data: [variant] } = await query.graph({ entity: "variant", fields: ["inventory_items.inventory_item_id"], filters: { id: seed.variant.id } })
        const level = (stocked_quantity: number) => [
          { inventory_item_id: variant.inventory_items[0].inventory_item_id, location_id: seed.stockLocation.id, stocked_quantity },
        ]
        await inventory.updateInventoryLevels(level(0))

        await sandbox().settle(reference, "success")

        const ledger = container.resolve("mpesa") as any
        const [held] = await eventually(async () => {
          const rows = await ledger.listMpesaAttempts({ session_id: session.id })
          return rows[0]?.paid_without_order ? rows : undefined
        })
        expect(held).toMatchObject({ state: "paid", order_id: null })

        // The merchant restocks (maybe after reversing the money): nothing places the order by itself.
        await inventory.updateInventoryLevels(level(100))
        sandbox().reset()
        await recoverMpesaPayments(container)
        const retry = await store.complete(cart.id)

        expect(retry.status).toBe(400)
        expect(await orderOf(cart.id)).toBeUndefined()
        expect(sandbox().requests()).toEqual([])
        expect((await ledger.listMpesaAttempts({ session_id: session.id }))[0]).toMatchObject({ state: "paid", paid_without_order: true })
      })

      it("finishes an order whose completion died before its payment was authorized: one order, one capture", async () => {
        // A server killed inside Medusa's complete-cart, after the order (with its links and the
        // cart's completed_at) and before the authorization, leaves a cart that is an order nothing
        // paid. The test store stops that completion at the hook before the authorization, for good.
        const { cart, session, reference } = await startPayment(LIPIA, "0700000010")
        const container = getContainer()
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        await container.resolve(Modules.CART).updateCarts(cart.id, { metadata: { stop_before_authorization: true } })
        await sandbox().settle(reference, "success")
        const orderId = await eventually(() => orderOf(cart.id))
        const { data: cut } = await query.graph({ entity: "payment", fields: ["id"], filters: { payment_session_id: session.id } })
        expect(cut).toEqual([])

        // The process is gone: its cart lock expires, and the recovery job finds the paid attempt
        // without an order once the confirmation's grace has passed.
        await (container.resolve(Modules.LOCKING) as any).release(cart.id)
        const ledger = container.resolve("mpesa") as any
        const [paid] = await ledger.listMpesaAttempts({ session_id: session.id })
        expect(paid).toMatchObject({ state: "paid", order_id: null })
        await ledger.updateMpesaAttempts({ id: paid.id, settled_at: new Date(Date.now() - 60_000) })
        const report = await recoverMpesaPayments(container)

        expect(report).toMatchObject({ reconfirmed: 1 })
        expect(await ordersOfCart(container, cart.id)).toEqual([orderId])
        await expectOneOrderOneCapture(container, orderId)
        const [after] = await ledger.listMpesaAttempts({ id: paid.id })
        expect(after).toMatchObject({ state: "paid", order_id: orderId, paid_twice: false, paid_without_order: false })
      })

      it("a cart lock a killed process left behind holds up neither the worker's confirmations nor other paid carts", async () => {
        // A process killed while it completed cart X left X's lock in Redis until it expires (2 min,
        // Medusa's own complete-cart TTL). The worker settles one payment after another, so any
        // time spent waiting on X is time every other paid cart waits too.
        const x = await startPayment(LIPIA, "0700000010")
        const y = await startPayment(LIPIA, "0700000010")
        const container = getContainer()
        const locking = container.resolve(Modules.LOCKING) as any
        const ledger = container.resolve("mpesa") as any
        const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
        const warnings: string[] = []
        const warned = jest.spyOn(logger, "warn").mockImplementation(((line: unknown) => void warnings.push(String(line))) as any)
        await locking.acquire(x.cart.id, { ownerId: "killed-process", expire: 120 })
        // Y's cart is busy too while its callback is confirmed (its storefront completing it, say),
        // so that Y is also a paid cart without an order when the job runs.
        await locking.acquire(y.cart.id, { ownerId: "storefront", expire: 120 })
        await sandbox().settle(x.reference, "success")
        await sandbox().settle(y.reference, "success")
        const [paidX] = await ledger.listMpesaAttempts({ session_id: x.session.id })
        const [paidY] = await ledger.listMpesaAttempts({ session_id: y.session.id })

        // The confirmation waits for X's lock once, as Medusa's own complete would, then leaves the
        // payment to the recovery job: trying again in the retry lane would only wait on X again.
        const leftToJob = (id: string) => warnings.some((line) => line.includes(id) && /recovery job tries again/.test(line))
        await eventually(async () => (leftToJob(paidX.id) && leftToJob(paidY.id) ? true : undefined), 60_000)
        expect(warnings.filter((line) => /retry lane/.test(line))).toEqual([])

        // The job meets X (older) first and Y after it: X's lock is not waited out, Y is placed in the same run.
        await locking.release(y.cart.id, { ownerId: "storefront" })
        await ledger.updateMpesaAttempts([
          { id: paidX.id, settled_at: new Date(Date.now() - 120_000) },
          { id: paidY.id, settled_at: new Date(Date.now() - 60_000) },
        ])
        const began = Date.now()
        const report = await recoverMpesaPayments(container)
        const took = Date.now() - began
        expect(report).toMatchObject({ reconfirmed: 2 })
        expect(took).toBeLessThan(30_000)
        expect(await ordersOfCart(container, x.cart.id)).toEqual([])
        const [orderY] = await ordersOfCart(container, y.cart.id)
        await expectOneOrderOneCapture(container, orderY)
        expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`${paidX.id} could not become an order yet \\(Failed to acquire lock for key "${x.cart.id}"\\)`)))

        // X's lock expires: the next run places X, once.
        await locking.release(x.cart.id, { ownerId: "killed-process" })
        expect(await recoverMpesaPayments(container)).toMatchObject({ reconfirmed: 1 })
        const [orderX] = await ordersOfCart(container, x.cart.id)
        await expectOneOrderOneCapture(container, orderX)
        const [after] = await ledger.listMpesaAttempts({ id: paidX.id })
        expect(after).toMatchObject({ state: "paid", order_id: orderX, paid_without_order: false })
        warned.mockRestore()
        console.log(`[recovery] a cart locked by a killed process: the job's run took ${took} ms and placed the other cart`)
      })

      it("places the order of a paid cart whose completion timed out on a busy inventory lock, instead of holding it", async () => {
        // A flash sale: many carts buying one product queue on Medusa's inventory lock (5 s in
        // its reserve-inventory step), and a busy server times out there. Held here for 7 s.
        const { cart, session, reference } = await startPayment(LIPIA, "0700000010")
        const container = getContainer()
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const locking = container.resolve(Modules.LOCKING) as any
        const { data: [variant] } = await query.graph({ entity: "variant", fields: ["inventory_items.inventory_item_id"], filters: { id: seed.variant.id } })
        const item = variant.inventory_items[0].inventory_item_id
        const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
        const warned = jest.spyOn(logger, "warn")
        let retriedAt = 0
        const noteRetry = (line: unknown) => {
          if (!retriedAt && /passing reason/.test(String(line))) {
            retriedAt = Date.now()
          }
        }
        warned.mockImplementation(((line: unknown) => noteRetry(line)) as any)
        await locking.acquire(item, { ownerId: "flash-sale", expire: 30 })
        let releasedAt = 0
        const released = new Promise((resolve) => setTimeout(resolve, 7_000))
          .then(() => locking.release(item, { ownerId: "flash-sale" }))
          .then(() => (releasedAt = Date.now()))

        await sandbox().settle(reference, "success")

        expect(await eventually(() => orderOf(cart.id), 30_000)).toBeTruthy()
        await released
        // The first completion did time out on the lock and was tried again, at once (no clock:
        // the retry waits on the lock itself), and the one order was completed once it was let go.
        expect(warned.mock.calls.map(([line]) => String(line))).toContainEqual(expect.stringMatching(/passing reason \(.*(lock|timed-out).*\); trying again/i))
        warned.mockRestore()
        const ledger = container.resolve("mpesa") as any
        const [attempt] = await eventually(async () => {
          const rows = await ledger.listMpesaAttempts({ session_id: session.id })
          return rows[0]?.order_id ? rows : undefined
        })
        // A completion that timed out is rolled back (its order with it): what stands is one
        // order, written by the retry (after the first timed out), paid once the lock was let go.
        expect(await ordersOfCart(container, cart.id)).toEqual([attempt.order_id])
        const { data: [order] } = await query.graph({ entity: "order", fields: ["created_at"], filters: { id: attempt.order_id } })
        expect(new Date(order.created_at).getTime()).toBeGreaterThanOrEqual(retriedAt - 1_000)
        expect(retriedAt).toBeLessThan(releasedAt)
        expect(attempt).toMatchObject({ state: "paid", paid_without_order: false, refund_refused: false })
        const { data: payments } = await query.graph({ entity: "payment", fields: ["id", "captures.id", "captures.created_at"], filters: { payment_session_id: session.id } })
        expect(payments).toHaveLength(1)
        expect(payments[0].captures).toHaveLength(1)
        expect(new Date(payments[0].captures[0].created_at).getTime()).toBeGreaterThanOrEqual(releasedAt - 1_000)
      })
    })
  },
})
