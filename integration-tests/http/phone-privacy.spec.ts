import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

import { eventually, LIPIA, LIPWA, openShop, useSandbox } from "../fixtures/mpesa"
import { prepareCart, seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()

/** 0712 345 678, 254712345678, +254-712-345-678…: the subscriber digits, whatever lies between them. */
const THE_NUMBER = new RegExp("712345678".split("").join(String.raw`[\s\-.()+]*`))
const PUSH_PATH = { lipia: "/payments/stk-push", lipwa: "/payments" } as const

/**
 * Medusa writes a payment session's row — the data it was given and its context — before it
 * calls the provider that sends the STK push. Read with SQL while the push is in flight (the
 * sandbox holds its answer) and after: no row of payment_session holds the shopper's number,
 * in any spelling, while the prompt still reaches that number.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>

    beforeEach(async () => {
      ;({ seed, store } = await openShop(getContainer(), api, sandbox, [LIPIA, LIPWA]))
    })

    async function sessionRows(collectionId: string): Promise<Array<{ id: string; data: string | null; context: string | null }>> {
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      const { rows } = await pg.raw(`select id, data::text as data, context::text as context from payment_session where payment_collection_id = ?`, [collectionId])
      return rows
    }

    /** Starts the push with the sandbox holding its answer, and reads the session rows meanwhile. */
    async function pushWatched(gateway: "lipia" | "lipwa", start: (collectionId: string) => Promise<any>) {
      const { paymentCollectionId } = await prepareCart(store, seed)
      sandbox().injectFault({ api: gateway, path: PUSH_PATH[gateway], mode: "delay", delayMs: 1_500 })
      const answer = start(paymentCollectionId)
      const during = await eventually(async () => {
        const rows = await sessionRows(paymentCollectionId)
        return rows.length ? rows : undefined
      })
      // Still in flight: the sandbox logs a request once it has answered it.
      expect(sandbox().requests().filter((r) => r.path.endsWith(PUSH_PATH[gateway]))).toEqual([])
      const response = await answer
      return { during, response, after: await sessionRows(paymentCollectionId) }
    }

    describe.each([
      ["Lipia", LIPIA, "lipia"],
      ["Lipwa", LIPWA, "lipwa"],
    ] as const)("a checkout through %s", (_name, providerId, gateway) => {
      it("never writes the shopper's number to payment_session, during the push or after, and the prompt reaches it", async () => {
        const { during, response, after } = await pushWatched(gateway, (collectionId) =>
          store.initiatePaymentSession(collectionId, providerId, { phone_number: "0712 345 678" })
        )

        expect(response.status).toBe(200)
        expect(during).toHaveLength(1)
        for (const row of [...during, ...after]) {
          expect(`${row.data} ${row.context}`).not.toMatch(THE_NUMBER)
        }
        expect(JSON.parse(after[0].data!)).toMatchObject({ phone_number: "2547******78", state: "pending" })
        expect(JSON.parse(after[0].data!)).not.toHaveProperty("phone_sealed")
        const session = response.data.payment_collection.payment_sessions[0]
        expect(sandbox().payment(session.data.reference)).toMatchObject({ phone: "254712345678" })
      })
    })

    it("never writes a signed-in customer's phone either, when the prompt goes to it", async () => {
      const email = "wanjiru@example.com"
      const password = "a-customer-password"
      const headers = (token: string) => ({ "x-publishable-api-key": seed.publishableKey, Authorization: `Bearer ${token}` })
      const registered = await api.post("/auth/customer/emailpass/register", { email, password })
      await api.post("/store/customers", { email, phone: "+254 712 345 678" }, { headers: headers(registered.data.token) })
      const { data: login } = await api.post("/auth/customer/emailpass", { email, password })

      const { during, response, after } = await pushWatched("lipia", (collectionId) =>
        api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: LIPIA, data: {} }, { headers: headers(login.token), validateStatus: () => true })
      )

      expect(response.status).toBe(200)
      for (const row of [...during, ...after]) {
        expect(`${row.data} ${row.context}`).not.toMatch(THE_NUMBER)
      }
      const session = response.data.payment_collection.payment_sessions[0]
      expect(sandbox().payment(session.data.reference)).toMatchObject({ phone: "254712345678" })
    })
  },
})
