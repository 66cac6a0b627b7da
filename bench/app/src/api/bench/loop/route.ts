import { performance } from "node:perf_hooks"

import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

/**
 * GET /bench/loop: the server's event loop utilization since it started (its main thread's
 * busy and idle milliseconds, perf_hooks). The bench store's route, not the plugin's: the
 * payment phase reads it before and after each run, because the process's CPU seconds mix the
 * main thread with V8's and libuv's helper threads and cannot say whether the one thread that
 * runs every request and workflow was saturated or waiting.
 */
export async function GET(_req: MedusaRequest, res: MedusaResponse) {
  const { idle, active } = performance.eventLoopUtilization()
  res.json({ pid: process.pid, idle, active })
}
