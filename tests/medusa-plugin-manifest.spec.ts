import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"

import { GATEWAY_MIN_AMOUNT } from "../src/lib/amount"
import { LIPIA_DEFAULT_BASE_URL, LIPIA_REQUESTS_PER_SECOND, LipiaClient } from "../src/gateways/lipia/client"
import { LIPWA_DEFAULT_BASE_URL, LIPWA_REQUESTS_PER_SECOND, LipwaClient } from "../src/gateways/lipwa/client"

/**
 * medusa-plugin.json describes the plugin to people and tools (design §7). These tests keep
 * it true to the code: what it lists exists, and what exists is listed.
 */
const root = path.resolve(__dirname, "..")
const manifest = JSON.parse(readFileSync(path.join(root, "medusa-plugin.json"), "utf8"))
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))

type ProviderEntry = { resolve: string; identifier: string; options: Record<string, { type: string }> }

function filesUnder(dir: string, pattern: RegExp): string[] {
  const absolute = path.join(root, dir)
  if (!existsSync(absolute)) {
    return []
  }
  return readdirSync(absolute, { recursive: true })
    .map(String)
    .filter((file) => pattern.test(file) && !file.includes("__tests__"))
    .map((file) => path.posix.join(dir, file.split(path.sep).join("/")))
}

describe("medusa-plugin.json", () => {
  it("names the package, its version and the Medusa and Node ranges it supports", () => {
    expect(manifest.name).toBe(pkg.name)
    expect(manifest.version).toBe(pkg.version)
    expect(manifest.medusa).toBe(pkg.peerDependencies["@medusajs/framework"])
    expect(manifest.node).toBe(pkg.engines.node)
  })

  it("describes each gateway as its client is built", () => {
    const lipia = new LipiaClient({ apiKey: "k" })
    const lipwa = new LipwaClient({ apiKey: "k", channelId: "c" })
    expect(manifest.gateways.lipia).toMatchObject({
      defaultBaseUrl: LIPIA_DEFAULT_BASE_URL,
      minAmount: lipia.minAmount,
      requestsPerSecond: LIPIA_REQUESTS_PER_SECOND,
    })
    expect(manifest.gateways.lipwa).toMatchObject({
      defaultBaseUrl: LIPWA_DEFAULT_BASE_URL,
      minAmount: lipwa.minAmount,
      requestsPerSecond: LIPWA_REQUESTS_PER_SECOND,
    })
    expect(GATEWAY_MIN_AMOUNT).toEqual({ lipia: lipia.minAmount, lipwa: lipwa.minAmount })
  })

  it("lists exactly the provider entries in src/providers, with their identifiers and options", () => {
    const onDisk = existsSync(path.join(root, "src/providers"))
      ? readdirSync(path.join(root, "src/providers")).filter((entry) =>
          existsSync(path.join(root, "src/providers", entry, "index.ts"))
        )
      : []
    const listed = (manifest.providers as ProviderEntry[]).map((p) => p.resolve)
    expect(listed.sort()).toEqual(onDisk.map((dir) => `${pkg.name}/providers/${dir}`).sort())

    for (const entry of manifest.providers as ProviderEntry[]) {
      const dir = entry.resolve.replace(`${pkg.name}/providers/`, "")
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const provider = require(path.join(root, "src/providers", dir)).default
      const [service] = provider.services
      expect(service.identifier).toBe(entry.identifier)
      expect(Object.keys(entry.options).sort()).toEqual(Object.keys(service.OPTIONS ?? {}).sort())
      for (const [name, spec] of Object.entries(service.OPTIONS as Record<string, { type: string; required: boolean; default?: unknown }>)) {
        expect({ name, ...entry.options[name], description: undefined }).toEqual({
          name,
          type: spec.type,
          required: spec.required,
          ...(spec.default !== undefined ? { default: spec.default } : {}),
          description: undefined,
        })
      }
    }
  })

  it("is matched by the README's configuration table, option for option", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8")
    for (const entry of manifest.providers as ProviderEntry[]) {
      expect(readme).toContain(entry.resolve)
      for (const option of Object.keys(entry.options)) {
        expect(readme).toMatch(new RegExp("^\\| `" + option + "` \\|", "m"))
      }
    }
  })

  it("lists every API route, subscriber and job in the source", () => {
    const routes = filesUnder("src/api", /(^|\/)route\.ts$/).map((file) =>
      file.replace(/^src\/api/, "").replace(/\/route\.ts$/, "").replace(/\[(\w+)\]/g, ":$1")
    )
    expect([...manifest.routes.map((r: { path: string }) => r.path)].sort()).toEqual([...new Set(routes)].sort())
    const subscribers = filesUnder("src/subscribers", /\.ts$/)
    expect(manifest.subscribers.map((s: { file: string }) => s.file).sort()).toEqual(subscribers.sort())
    const jobs = filesUnder("src/jobs", /\.ts$/)
    expect(manifest.jobs.map((j: { file: string }) => j.file).sort()).toEqual(jobs.sort())
  })

  it("lists every middleware the plugin adds to Medusa's routes", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: middlewares } = require(path.join(root, "src/api/middlewares"))
    // defineMiddlewares normalises `method` into `methods`.
    const declared = middlewares.routes.map(
      (r: { matcher: string; method?: string[]; methods?: string[] }) => `${(r.methods ?? r.method ?? []).join(",")} ${r.matcher}`
    )
    const listed = manifest.middlewares.map((m: { method: string; matcher: string }) => `${m.method} ${m.matcher}`)
    expect(listed.sort()).toEqual(declared.sort())
  })

  it("lists the events the plugin emits and the workflows it exports", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const events = require(path.join(root, "src/payment/events"))
    expect(manifest.events.map((e: { name: string }) => e.name).sort()).toEqual(
      [events.MPESA_ATTEMPT_DECIDED, events.MPESA_REFUND_REFUSED].sort()
    )
    const modules = readdirSync(path.join(root, "src/modules"))
    expect(manifest.modules.map((m: { name: string }) => m.name)).toEqual(modules)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const workflows = require(path.join(root, "src/workflows"))
    for (const workflow of manifest.workflows as Array<{ id: string; export: string }>) {
      expect(workflows[workflow.export].getName()).toBe(workflow.id)
    }
  })

  it("lists the plugin's own options with their defaults", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pluginOptionsSchema } = require(path.join(root, "src/payment/plugin-options"))
    const defaults = pluginOptionsSchema.parse({})
    expect(Object.keys(manifest.pluginOptions).sort()).toEqual(Object.keys(defaults).sort())
    for (const [name, spec] of Object.entries(manifest.pluginOptions as Record<string, { default: unknown }>)) {
      expect(spec.default).toBe(defaults[name])
    }
  })

  it("lists the storefront entries as the package exports them, with what each exports", async () => {
    for (const entry of manifest.storefront as Array<{ import: string; client: boolean; exports: string[] }>) {
      const subpath = "." + entry.import.slice(pkg.name.length)
      expect(pkg.exports[subpath]).toEqual({ types: expect.stringMatching(/^\.\/storefront\/.+\.d\.ts$/), default: expect.stringMatching(/^\.\/storefront\/.+\.js$/) })
      const source = path.join(root, "src", pkg.exports[subpath].default.replace(/\.js$/, entry.client ? ".tsx" : ".ts"))
      const text = readFileSync(source, "utf8")
      expect(text.startsWith('"use client"')).toBe(entry.client)
      const module = await import(source)
      for (const name of entry.exports) {
        expect([entry.import, name, typeof module[name]]).toEqual([entry.import, name, "function"])
      }
    }
    expect(pkg.files).toContain("storefront")
  })

  it("lists the package's command-line tools", () => {
    expect(Object.keys(manifest.bin).sort()).toEqual(Object.keys(pkg.bin).sort())
    for (const file of Object.values(pkg.bin) as string[]) {
      expect(statSync(path.join(root, file)).isFile()).toBe(true)
    }
  })

  it("is shipped in the npm package", () => {
    expect(pkg.files).toContain("medusa-plugin.json")
  })
})
