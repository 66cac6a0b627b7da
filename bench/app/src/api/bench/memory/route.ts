import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

/**
 * GET /bench/memory[?gc=1]: the server process's own memory (process.memoryUsage()), after a
 * full garbage collection when asked and possible. The bench store's route, not the plugin's:
 * bench/lib/memory.mjs reads it to compare the store with and without the plugin at rest,
 * where one reading of RSS without a collection says as much about when V8 last collected as
 * about what the server holds. A collection needs `gc`, which Node exposes only when the
 * server runs with --expose-gc (the bench boots it with NODE_OPTIONS=--expose-gc).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const gc = (globalThis as { gc?: () => void }).gc
  const collect = req.query.gc !== undefined && typeof gc === "function"
  if (collect) {
    gc()
    // Again on the next turn: what the first collection's finalizers and weak references let
    // go of (and this request's own garbage) goes too.
    await new Promise((resolve) => setImmediate(resolve))
    gc()
  }
  res.json({ pid: process.pid, collected: collect, ...process.memoryUsage() })
}
