import path from "node:path"

import { defineConfig } from "@medusajs/framework/utils"

/**
 * The demo store (`npm run demo`): the plugin from this checkout (its build, by path), both
 * M-Pesa providers pointed at the local sandbox, the admin on /app. scripts/demo.mjs sets every
 * variable below; the secrets are generated on the first start and kept in the demo's data
 * folder, so no key ships with the repository.
 */
const pluginRoot = path.resolve(__dirname, "../..")
const provider = (gateway: string) => path.join(pluginRoot, ".medusa/server/src/providers", gateway)
const env = (name: string) => {
  const value = process.env[name]
  if (!value) {
    throw new Error(`${name} is not set: start the demo with \`npm run demo\``)
  }
  return value
}
const backendUrl = `http://localhost:${env("PORT")}`
const sandboxUrl = env("MPESA_SANDBOX_URL")
/** The demo's storefront, and any other the user allowed with DEMO_STORE_CORS (e.g. Medusa's Next.js starter). */
const storefronts = [env("STOREFRONT_URL"), process.env.DEMO_STORE_CORS].filter(Boolean).join(",")
const common = { callbackBaseUrl: backendUrl, callbackSecret: env("MPESA_CALLBACK_SECRET") }

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: env("DATABASE_URL"),
    http: {
      storeCors: storefronts,
      adminCors: backendUrl,
      authCors: `${backendUrl},${storefronts}`,
      jwtSecret: env("JWT_SECRET"),
      cookieSecret: env("COOKIE_SECRET"),
    },
  },
  admin: { path: "/app", backendUrl },
  // Medusa's draft orders (in every new Medusa app): the desk asks for their payment too.
  plugins: [{ resolve: pluginRoot, options: {} }, { resolve: "@medusajs/draft-order", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          { resolve: provider("lipia"), id: "lipia", options: { apiKey: "sandbox", baseUrl: `${sandboxUrl}/lipia/api/v2`, ...common } },
          {
            resolve: provider("lipwa"),
            id: "lipwa",
            options: { apiKey: "sandbox", channelId: "CH_DEMO", baseUrl: `${sandboxUrl}/lipwa/api`, ...common },
          },
        ],
      },
    },
  ],
})
