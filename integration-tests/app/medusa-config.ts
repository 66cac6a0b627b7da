import path from "node:path"

import { defineConfig } from "@medusajs/framework/utils"

/**
 * The store the integration tests boot: a bare Medusa app, written by hand as a merchant's
 * would be, with this repository's *built* plugin (`npm run build` → `.medusa/server`)
 * loaded by path. `medusaIntegrationTestRunner` replaces the database URL with its own.
 */
const pluginRoot = path.resolve(__dirname, "../..")

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
  plugins: [{ resolve: pluginRoot, options: {} }],
})
