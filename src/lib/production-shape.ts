/**
 * Which Medusa set-ups cannot keep the plugin's promises. One live prompt per cart and one
 * recovery run at a time rest on Medusa's Locking module; its default provider keeps locks in
 * the memory of one process, so a store split into server and worker processes must configure
 * a shared provider: Redis (`locking-redis`) or, without Redis, PostgreSQL (`locking-postgres`).
 *
 * Only a `worker` process proves the split: Medusa's own CLI commands (db:migrate, exec, user)
 * run with workerMode "server" in a single-process store too, so "server" proves nothing.
 */
export type ModuleEntry = { resolve?: string; options?: { providers?: { resolve?: string }[] } } | boolean | undefined

export function unsafeProductionShape(workerMode: string | undefined, modules: Record<string, ModuleEntry> | undefined): string | undefined {
  if (workerMode !== "worker") {
    return undefined
  }
  const locking = Object.entries(modules ?? {}).find(
    ([key, entry]) => key === "locking" || (typeof entry === "object" && /(^|\/)locking$/.test(entry?.resolve ?? ""))
  )?.[1]
  const providers = typeof locking === "object" ? (locking.options?.providers ?? []) : []
  if (providers.length) {
    return undefined
  }
  return (
    `medusa-plugin-mpesa: this process runs with workerMode "worker", so the store has several processes, ` +
    `but Medusa's Locking module has no provider configured and keeps its locks in one process's memory: ` +
    `two processes could then send two prompts for one cart, or recover one payment twice. ` +
    `Configure "@medusajs/medusa/locking" with the "@medusajs/medusa/locking-redis" provider ` +
    `(or "@medusajs/medusa/locking-postgres" without Redis); see the README's Production section.`
  )
}
