import path from "node:path"

import { defineConfig } from "@medusajs/framework/utils"

/**
 * The store `npm run bench` measures: one Medusa server in its default shape (shared mode,
 * in-process event bus and workflow engine) on PostgreSQL, with the built plugin talking to
 * the sandbox. Medusa's own `pp_system_default` is always there: it is the baseline.
 *
 *   BENCH_PLUGIN=off       the same store without the plugin (the memory overhead baseline)
 *   BENCH_RECOVERY=off     the recovery job does not run (the recovery scenario's set-up)
 *   BENCH_RECOVERY_AFTER_MS  when the job first asks about a prompt (default 10 min: never
 *                          during the latency scenarios, whose callbacks all arrive)
 *   BENCH_OWN_CAPTURES=on  Medusa's own checkout also through `pp_capture-at-once_capture`
 *                          (src/modules/capture-at-once: pp_system_default, capturing as it
 *                          authorizes), for `npm run bench -- --own-captures`
 */
const pluginRoot = path.resolve(__dirname, "../..")
const provider = (gateway: string) => path.join(pluginRoot, ".medusa/server/src/providers", gateway)
const withPlugin = process.env.BENCH_PLUGIN !== "off"
const sandboxUrl = process.env.MPESA_SANDBOX_URL!
const common = {
  callbackBaseUrl: process.env.CALLBACK_BASE_URL!,
  callbackSecret: "bench-callback-secret-0123456789abcdef0123",
  timeoutMs: 10000,
}
const recoveryAfterMs = Number(process.env.BENCH_RECOVERY_AFTER_MS ?? 600_000)
const captureAtOnce = process.env.BENCH_OWN_CAPTURES === "on" ? [{ resolve: "./src/modules/capture-at-once", id: "capture" }] : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: { storeCors: "*", adminCors: "*", authCors: "*", jwtSecret: "bench-jwt", cookieSecret: "bench-cookie" },
  },
  admin: { disable: true },
  plugins: withPlugin
    ? [
        {
          resolve: pluginRoot,
          options: {
            scheduledRecovery: process.env.BENCH_RECOVERY !== "off",
            recoveryCheckAfterMs: recoveryAfterMs,
            recheckEveryMs: recoveryAfterMs,
          },
        },
      ]
    : [],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          ...captureAtOnce,
          ...(withPlugin
          ? [
              { resolve: provider("lipia"), id: "lipia", options: { apiKey: "bench-lipia-key", baseUrl: `${sandboxUrl}/lipia/api/v2`, ...common } },
              {
                resolve: provider("lipwa"),
                id: "lipwa",
                options: { apiKey: "bench-lipwa-key", channelId: "CH_BENCH", baseUrl: `${sandboxUrl}/lipwa/api`, ...common },
              },
            ]
          : []),
        ],
      },
    },
  ],
})
