import { templateKey } from "../lib/store-database.mjs"

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
