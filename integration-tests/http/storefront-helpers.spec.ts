import path from "node:path"

import Medusa from "@medusajs/js-sdk"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { mpesaPaymentStatus, startMpesaPayment } from "../../src/storefront/start-payment"
import { eventually, LIPIA, LIPWA, openShop, ordersOfCart, useSandbox } from "../fixtures/mpesa"
import { seedStore, storeApi } from "../fixtures/store"

jest.setTimeout(120_000)

const sandbox = useSandbox()

/**
 * `medusa-plugin-mpesa/storefront/helpers` as a storefront's server action calls it: with
 * `@medusajs/js-sdk` and the publishable key, against a real store. It never throws (a Next.js
 * server action that throws shows the shopper a generic error), and a second press follows the
 * prompt already on the phone.
 */
medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api, getContainer }) => {
    let seed: Awaited<ReturnType<typeof seedStore>>
    let store: ReturnType<typeof storeApi>
    let sdk: Medusa

    beforeEach(async () => {
      ;({ seed, store } = await openShop(getContainer(), api, sandbox))
      sdk = new Medusa({ baseUrl: api.defaults.baseURL!, publishableKey: seed.publishableKey })
    })

    /** A cart ready to pay, without a payment collection (the helper makes one, as the SDK does). */
    async function cartToPay(): Promise<string> {
      const { data } = await store.createCart({
        region_id: seed.region.id,
        email: "shopper@example.com",
        items: [{ variant_id: seed.variant.id, quantity: 1 }],
        shipping_address: { first_name: "Wanjiru", last_name: "Kamau", address_1: "Kenyatta Avenue 10", city: "Nairobi", country_code: seed.countries[0], phone: "0712345678" },
      })
      await store.addShippingMethod(data.cart.id, seed.shippingOption.id)
      return data.cart.id
    }

    it("sends the prompt, and the status says pending with when it expires, then paid with the receipt and the order", async () => {
      const cartId = await cartToPay()

      const started = await startMpesaPayment(sdk, { cartId, providerId: LIPIA, phone: "0700 000 000" })

      expect(started).toEqual({ ok: true, session_id: expect.stringMatching(/^payses_/), provider_id: LIPIA, phone: "2547******00" })
      const session = started.ok ? started.session_id : ""
      const paid = await eventually(async () => {
        const status = await mpesaPaymentStatus(sdk, session)
        return status.order_id ? status : undefined
      })
      expect(paid).toMatchObject({ id: session, status: "paid", receipt: expect.any(String), expires_at: expect.any(String) })
      expect(await ordersOfCart(getContainer(), cartId)).toEqual([paid.order_id])
    })

    it("returns a refusal with the plugin's words and its status, and sends nothing", async () => {
      const cartId = await cartToPay()

      const refused = await startMpesaPayment(sdk, { cartId, providerId: LIPWA, phone: "0733 000 000" })

      expect(refused).toEqual({ ok: false, status: 400, message: expect.stringMatching(/Airtel number\. M-Pesa needs a Safaricom number/) })
      expect(sandbox().requests().filter((r) => r.method === "POST")).toHaveLength(0)
    })

    it("follows the prompt already on the phone when Pay is pressed again", async () => {
      const cartId = await cartToPay()
      // 0700 000 010: the prompt never settles by itself, so it stays live.
      const first = await startMpesaPayment(sdk, { cartId, providerId: LIPWA, phone: "0700 000 010" })
      expect(first.ok).toBe(true)

      const again = await startMpesaPayment(sdk, { cartId, providerId: LIPWA, phone: "0700 000 010" })

      expect(again).toEqual({
        ok: true,
        resumed: true,
        session_id: first.ok ? first.session_id : "",
        provider_id: LIPWA,
        phone: "2547******10",
        message: expect.stringMatching(/already on your phone/),
      })
      expect(sandbox().requests().filter((r) => r.method === "POST")).toHaveLength(1)
    })

    it("follows the live prompt of the M-Pesa option the shopper switched away from, and sends no second one", async () => {
      const cartId = await cartToPay()
      const first = await startMpesaPayment(sdk, { cartId, providerId: LIPIA, phone: "0700 000 010" })
      expect(first.ok).toBe(true)

      // The shopper chose the other M-Pesa option and pressed Pay while the first prompt was live.
      const other = await startMpesaPayment(sdk, { cartId, providerId: LIPWA, phone: "0700 000 010" })

      expect(other).toMatchObject({ ok: true, resumed: true, session_id: first.ok ? first.session_id : "", provider_id: LIPIA })
      expect(sandbox().requests().filter((r) => r.method === "POST")).toHaveLength(1)
    })

    it("sends a new prompt once the last one is known to have failed", async () => {
      const cartId = await cartToPay()
      // 0700 000 002: the phone does not answer.
      const first = await startMpesaPayment(sdk, { cartId, providerId: LIPWA, phone: "0700 000 002" })
      const firstSession = first.ok ? first.session_id : ""
      await eventually(async () => ((await mpesaPaymentStatus(sdk, firstSession)).status === "failed" ? true : undefined))

      const again = await startMpesaPayment(sdk, { cartId, providerId: LIPWA, phone: "0700 000 000" })

      expect(again).toEqual({ ok: true, session_id: expect.stringMatching(/^payses_/), provider_id: LIPWA, phone: "2547******00" })
      expect(again.ok && again.session_id).not.toBe(firstSession)
      expect(sandbox().requests().filter((r) => r.method === "POST")).toHaveLength(2)
    })

    it("says what went wrong when the store cannot be reached", async () => {
      const offline = new Medusa({ baseUrl: "http://127.0.0.1:9", publishableKey: seed.publishableKey })

      const result = await startMpesaPayment(offline, { cartId: "cart_x", providerId: LIPIA, phone: "0712345678" })

      expect(result).toEqual({ ok: false, message: expect.stringMatching(/could not reach the store/) })
    })
  },
})
