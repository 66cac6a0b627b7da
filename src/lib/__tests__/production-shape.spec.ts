import { unsafeProductionShape } from "../production-shape"

const redisLocking = { resolve: "@medusajs/medusa/locking", options: { providers: [{ resolve: "@medusajs/medusa/locking-redis" }] } }
const postgresLocking = { resolve: "@medusajs/medusa/locking", options: { providers: [{ resolve: "@medusajs/medusa/locking-postgres" }] } }

describe("unsafeProductionShape", () => {
  it.each([
    ["shared", {}, false],
    [undefined, {}, false],
    // Medusa's CLI (db:migrate, exec, user) sets "server" in a one-process store too.
    ["server", {}, false],
    ["worker", {}, true],
    ["worker", { locking: { resolve: "@medusajs/medusa/locking" } }, true],
    ["worker", { locking: redisLocking }, false],
    ["worker", { locking: postgresLocking }, false],
    ["worker", { my_locks: redisLocking }, false],
  ])("workerMode %p with modules %j: refused = %p", (mode, modules, refused) => {
    const problem = unsafeProductionShape(mode as string | undefined, modules)
    expect(problem !== undefined).toBe(refused)
    if (problem) {
      expect(problem).toMatch(/locking-redis/)
      expect(problem).toMatch(/locking-postgres/)
    }
  })
})
