import { cartPoolSize, cartsTemplateName, kept, pickCartPool, templateKey } from "../lib/store-database.mjs"

describe("the store's template database", () => {
  const inputs = [
    { path: "bench/app/seed.ts", content: Buffer.from("seed") },
    { path: "src/modules/mpesa/migrations/Migration1.ts", content: Buffer.from("create table") },
  ]

  it("is named by what it was built from, whatever order the files were listed in", () => {
    expect(templateKey(inputs, "2.21.2")).toMatch(/^[0-9a-f]{12}$/)
    expect(templateKey([...inputs].reverse(), "2.21.2")).toBe(templateKey(inputs, "2.21.2"))
  })

  it("is built again when a migration, the seed or Medusa's version changes", () => {
    const key = templateKey(inputs, "2.21.2")
    expect(templateKey(inputs, "2.21.3")).not.toBe(key)
    expect(templateKey([inputs[0], { ...inputs[1], content: Buffer.from("create table; alter") }], "2.21.2")).not.toBe(key)
    expect(templateKey([...inputs, { path: "src/modules/mpesa/migrations/Migration2.ts", content: Buffer.from("") }], "2.21.2")).not.toBe(key)
    // A file's name counts, not only its content.
    expect(templateKey([inputs[0], { ...inputs[1], path: "src/modules/mpesa/migrations/Migration9.ts" }], "2.21.2")).not.toBe(key)
  })
})

describe("the pool of carts ready to pay, kept with the template", () => {
  const template = "bench_tpl_0123456789ab"
  const calls = "POST /store/carts …"
  const pool = (size, source = calls) => cartsTemplateName(template, size, source)

  it("holds what the payment phase (2 × N per round, one database) or recovery (a copy of its own) needs, whichever is more", () => {
    expect(cartPoolSize({ payment: [50, 200], paymentRounds: { 50: 2, 200: 1 }, recovery: 500 })).toBe(600)
    expect(cartPoolSize({ payment: [50], paymentRounds: { 50: 1 }, recovery: 100 })).toBe(100)
    expect(cartPoolSize({ payment: [50], paymentRounds: { 50: 1 }, recovery: 500 })).toBe(500)
  })

  it("is named within PostgreSQL's 63 characters, and anew when the calls that prepare a cart change", () => {
    expect(pool(600).length).toBeLessThanOrEqual(63)
    expect(pool(600)).toMatch(new RegExp(`^${template}_c600_[0-9a-f]{8}$`))
    expect(pool(600, "POST /store/carts with a promotion")).not.toBe(pool(600))
  })

  it("a run reuses the largest pool big enough (a quick run takes the full run's) and drops every other", () => {
    const names = [pool(100), pool(600), pool(600, "older calls"), `${pool(800)}_building`]
    expect(pickCartPool(names, { template, size: 100, prepareSource: calls, hasList: () => true })).toEqual({
      reuse: pool(600),
      drop: [pool(100), pool(600, "older calls"), `${pool(800)}_building`],
    })
  })

  it("is built again when none is big enough, or the one there has no list of its carts (its build was cut short)", () => {
    expect(pickCartPool([pool(100)], { template, size: 600, prepareSource: calls, hasList: () => true })).toEqual({ reuse: undefined, drop: [pool(100)] })
    expect(pickCartPool([pool(600)], { template, size: 600, prepareSource: calls, hasList: () => false })).toEqual({ reuse: undefined, drop: [pool(600)] })
  })

  it("survives a run's start with its template; a new template drops the old one's pools and copies", () => {
    expect(kept(template, template, true)).toBe(true)
    expect(kept(pool(600), template, true)).toBe(true)
    expect(kept("bench_run_plugin", template, true)).toBe(false)
    expect(kept("bench_tpl_ffffffffffff", template, true)).toBe(false)
    expect(kept(pool(600), template, false)).toBe(false)
  })
})
