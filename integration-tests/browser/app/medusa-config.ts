import path from "node:path"

import { defineConfig } from "@medusajs/framework/utils"

/**
 * The store the browser test runs as a real server (`medusa develop`), with the admin on:
 * the built plugin loaded by path, both M-Pesa providers pointed at the sandbox. The test sets
 * DATABASE_URL, PORT and MPESA_SANDBOX_URL before it starts the server.
 */
const pluginRoot = path.resolve(__dirname, "../../..")
const provider = (gateway: string) => path.join(pluginRoot, ".medusa/server/src/providers", gateway)
const port = process.env.PORT ?? "9000"
const sandboxUrl = process.env.MPESA_SANDBOX_URL ?? "http://127.0.0.1:4010"
const common = {
  callbackBaseUrl: `http://localhost:${port}`,
  callbackSecret: "browser-test-callback-secret-0123456789",
  timeoutMs: 5000,
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: `http://localhost:${port}`,
      adminCors: `http://localhost:${port}`,
      authCors: `http://localhost:${port}`,
      jwtSecret: "browser-test-jwt-secret",
      cookieSecret: "browser-test-cookie-secret",
    },
  },
  admin: { path: "/app" },
  plugins: [{ resolve: pluginRoot, options: { scheduledRecovery: false } }, { resolve: "@medusajs/draft-order", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          { resolve: provider("lipia"), id: "lipia", options: { apiKey: "sandbox-lipia-key", baseUrl: `${sandboxUrl}/lipia/api/v2`, ...common } },
          {
            resolve: provider("lipwa"),
            id: "lipwa",
            options: { apiKey: "sandbox-lipwa-key", channelId: "CH_SANDBOX", baseUrl: `${sandboxUrl}/lipwa/api`, ...common },
          },
        ],
      },
    },
  ],
})
