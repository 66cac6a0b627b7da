import { readFileSync } from "node:fs"
import path from "node:path"

import { REFUSALS } from "../refusals"

/** The README's "Error codes" table is what storefront developers code against: it must match the catalogue. */
describe("the MPESA_* refusal catalogue", () => {
  const readme = readFileSync(path.join(__dirname, "../../../README.md"), "utf8")
  const section = readme.slice(readme.indexOf("### Error codes"), readme.indexOf("\n## ", readme.indexOf("### Error codes")))
  const rows = [...section.matchAll(/^\| `(MPESA_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])] as const)

  it("is listed in the README's error table, code for code, with the same HTTP status", () => {
    expect(rows.map(([code]) => code).sort()).toEqual(Object.keys(REFUSALS).sort())
    for (const [code, http] of rows) {
      expect({ code, http }).toEqual({ code, http: REFUSALS[code as keyof typeof REFUSALS].http })
    }
  })

  it("uses only codes the source actually throws or answers with", () => {
    const used = new Set(
      require("node:child_process")
        .execSync(`grep -rhoE '"MPESA_[A-Z_]+"' ${path.join(__dirname, "../../")} --include=*.ts --exclude-dir=__tests__ --exclude-dir=sandbox`)
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((s: string) => s.replace(/"/g, ""))
    )
    for (const code of Object.keys(REFUSALS)) {
      expect(used.has(code) || code).toBe(true)
    }
  })
})
