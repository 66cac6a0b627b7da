import path from "node:path"

import { defineConfig } from "@medusajs/framework/utils"

/**
 * Medusa's production shape, as the multi-process test runs it: every process (two servers and
 * a worker, picked by MEDUSA_WORKER_MODE) shares PostgreSQL and Redis — Redis behind the event
 * bus, the workflow engine, locking and the cache — and the Lipwa budget through `redisUrl`.
 * Callbacks go to CALLBACK_BASE_URL (server B), whichever server sent the prompt.
 */
const pluginRoot = path.resolve(__dirname, "../../..")
const provider = (gateway: string) => path.join(pluginRoot, ".medusa/server/src/providers", gateway)
const redisUrl = process.env.REDIS_URL!
const sandboxUrl = process.env.MPESA_SANDBOX_URL!
const common = {
  callbackBaseUrl: process.env.CALLBACK_BASE_URL!,
  callbackSecret: "scale-test-callback-secret-0123456789abcdef",
  timeoutMs: 10000,
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    workerMode: (process.env.MEDUSA_WORKER_MODE ?? "shared") as "shared" | "worker" | "server",
    http: { storeCors: "*", adminCors: "*", authCors: "*", jwtSecret: "scale-test-jwt", cookieSecret: "scale-test-cookie" },
  },
  admin: { disable: true },
  plugins: [{ resolve: pluginRoot, options: { recoveryCheckAfterMs: 3000, recheckEveryMs: 3000, phonePromptLimit: 1000 } }],
  modules: [
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
    { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
    {
      resolve: "@medusajs/medusa/locking",
      options: { providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }] },
    },
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          { resolve: provider("lipia"), id: "lipia", options: { apiKey: "scale-lipia-key", baseUrl: `${sandboxUrl}/lipia/api/v2`, ...common } },
          {
            resolve: provider("lipwa"),
            id: "lipwa",
            options: { apiKey: "scale-lipwa-key", channelId: "CH_SCALE", baseUrl: `${sandboxUrl}/lipwa/api`, redisUrl, ...common },
          },
        ],
      },
    },
  ],
})
