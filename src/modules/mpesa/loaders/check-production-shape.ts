import { configManager } from "@medusajs/framework/config"

import { unsafeProductionShape, type ModuleEntry } from "../../../lib/production-shape"

/** Refuses to boot a multi-process store whose locks would live in one process (lib/production-shape.ts). */
export default async function checkProductionShape(): Promise<void> {
  let config: typeof configManager.config
  try {
    config = configManager.config
  } catch {
    return // loaded outside a Medusa app (no config): nothing to check
  }
  const problem = unsafeProductionShape(config.projectConfig?.workerMode, config.modules as Record<string, ModuleEntry> | undefined)
  if (problem) {
    throw new Error(problem)
  }
}
