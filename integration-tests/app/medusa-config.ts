import path from "node:path"

import { defineConfig } from "@medusajs/framework/utils"

/**
 * The store the integration tests boot: a bare Medusa app, written by hand as a merchant's
 * would be, with this repository's *built* plugin (`npm run build` → `.medusa/server`) loaded
 * by path and both M-Pesa providers registered as the README shows, pointed at the sandbox.
 * `medusaIntegrationTestRunner` replaces the database URL with its own.
 *
 * Set by the tests before boot (integration-tests/fixtures/mpesa.ts): MPESA_SANDBOX_URL (the
 * sandbox) and PORT (so the callback URL handed to the sandbox reaches this app).
 */
const pluginRoot = path.resolve(__dirname, "../..")
const provider = (gateway: string) => path.join(pluginRoot, ".medusa/server/src/providers", gateway)

const sandboxUrl = process.env.MPESA_SANDBOX_URL ?? "http://127.0.0.1:4010"
const common = {
  callbackBaseUrl: `http://localhost:${process.env.PORT ?? 9000}`,
  callbackSecret: "integration-tests-callback-secret-0123456789",
  timeoutMs: 5000,
}
const lipia = { apiKey: "sandbox-lipia-key", baseUrl: `${sandboxUrl}/lipia/api/v2`, ...common }
const lipwa = { apiKey: "sandbox-lipwa-key", channelId: "CH_SANDBOX", baseUrl: `${sandboxUrl}/lipwa/api`, ...common }

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: "integration-tests-jwt-secret",
      cookieSecret: "integration-tests-cookie-secret",
    },
  },
  admin: { disable: true },
  // Short timings so tests need not wait minutes. A spec may set MPESA_TEST_PROMPT_LIFETIME_MS
  // or MPESA_TEST_PHONE_LIMIT before the app boots (each spec file boots its own app).
  plugins: [
    {
      resolve: pluginRoot,
      options: {
        statusRecheckAfterMs: 300,
        recoveryCheckAfterMs: 300,
        recheckEveryMs: 300,
        promptLifetimeMs: Number(process.env.MPESA_TEST_PROMPT_LIFETIME_MS ?? 120_000),
        phonePromptLimit: Number(process.env.MPESA_TEST_PHONE_LIMIT ?? 1_000),
        recoveryBatchSize: Number(process.env.MPESA_TEST_BATCH_SIZE ?? 50),
        // The tests run the recovery job themselves, so the scheduled run cannot interleave.
        scheduledRecovery: false,
      },
    },
  ],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          { resolve: provider("lipia"), id: "lipia", options: lipia },
          { resolve: provider("lipwa"), id: "lipwa", options: lipwa },
          // The same gateway with the merchant's stricter choice for fractional totals.
          { resolve: provider("lipia"), id: "lipia-strict", options: { ...lipia, amountRounding: "reject" } },
          // …and with refunds recorded after the merchant reversed them in the M-Pesa portal.
          { resolve: provider("lipia"), id: "lipia-manual", options: { ...lipia, manualRefunds: true } },
        ],
      },
    },
  ],
})
