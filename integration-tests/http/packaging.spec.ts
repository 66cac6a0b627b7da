import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

import { adminHeaders } from "../fixtures/store"

jest.setTimeout(240_000)

/**
 * What a merchant installs is the npm package, not this repository: pack it, install the
 * tarball into a scratch store written by hand, register the providers by package path as the
 * README says, boot, and ask the admin API which payment providers exist.
 *
 * The scratch store lives inside the repository so that Medusa itself resolves from the
 * repository's node_modules (installing Medusa again would take minutes); the plugin and its
 * own dependencies are installed from the tarball into the scratch store's node_modules.
 */
const root = path.resolve(__dirname, "../..")
const scratch = path.join(root, "integration-tests", ".scratch-store")

function packAndInstall(): string {
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  const output = execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: root, encoding: "utf8" })
  const [{ filename }] = JSON.parse(output.slice(output.indexOf("[")))
  writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "scratch-store", private: true }, null, 2))
  writeFileSync(
    path.join(scratch, "medusa-config.ts"),
    `import { defineConfig } from "@medusajs/framework/utils"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: { storeCors: "*", adminCors: "*", authCors: "*", jwtSecret: "scratch", cookieSecret: "scratch" },
  },
  admin: { disable: true },
  plugins: [{ resolve: "medusa-plugin-mpesa", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-plugin-mpesa/providers/lipia",
            id: "lipia",
            options: {
              apiKey: "lipia-key",
              callbackBaseUrl: "https://shop.example.co.ke",
              callbackSecret: "scratch-store-callback-secret-0123456789",
            },
          },
          {
            resolve: "medusa-plugin-mpesa/providers/lipwa",
            id: "lipwa",
            options: {
              apiKey: "lipwa-key",
              channelId: "CH_1",
              callbackBaseUrl: "https://shop.example.co.ke",
              callbackSecret: "scratch-store-callback-secret-0123456789",
            },
          },
        ],
      },
    },
  ],
})
`
  )
  // Peer dependencies (Medusa) come from the store, as in a merchant's project.
  execFileSync(
    "npm",
    ["install", "--no-save", "--no-audit", "--no-fund", "--legacy-peer-deps", "--ignore-scripts", path.join(scratch, filename)],
    { cwd: scratch, stdio: "inherit" }
  )
  return filename
}

const tarball = packAndInstall()

/**
 * In a merchant's store the plugin sits in the same node_modules as Medusa. Here Medusa
 * resolves from the repository's node_modules, so link the installed package there too:
 * Medusa before 2.18 resolves a provider's `resolve` from its own location, not the store's
 * (modules-sdk `module-provider-loader`; 2.18+ resolves from the project).
 */
const besideMedusa = path.resolve(require.resolve("@medusajs/medusa/package.json"), "../../../medusa-plugin-mpesa")
rmSync(besideMedusa, { recursive: true, force: true })
symlinkSync(path.join(scratch, "node_modules", "medusa-plugin-mpesa"), besideMedusa, "dir")

afterAll(() => {
  rmSync(besideMedusa, { force: true })
  rmSync(scratch, { recursive: true, force: true })
})

medusaIntegrationTestRunner({
  cwd: scratch,
  testSuite: ({ api, getContainer }) => {
    describe("the packed plugin installed into a store", () => {
      it("ships the built plugin, its manifest and the sandbox CLI, and not the sources", () => {
        const installed = path.join(scratch, "node_modules", "medusa-plugin-mpesa")
        const files = readdirSync(installed)
        expect(tarball).toMatch(/^medusa-plugin-mpesa-.*\.tgz$/)
        expect(files).toEqual(expect.arrayContaining([".medusa", "bin", "medusa-plugin.json", "package.json", "README.md", "storefront"]))
        // The storefront drop-in, built: ES modules (its package.json says so) with their types.
        expect(readdirSync(path.join(installed, "storefront")).sort()).toEqual(expect.arrayContaining(["helpers.d.ts", "helpers.js", "index.d.ts", "index.js", "package.json"]))
        expect(files).not.toContain("src")
        expect(require.resolve("medusa-plugin-mpesa/providers/lipia", { paths: [scratch] })).toBe(
          path.join(installed, ".medusa/server/src/providers/lipia/index.js")
        )
      })

      it("registers both M-Pesa providers, listed by the admin API", async () => {
        const response = await api.get("/admin/payments/payment-providers", { headers: await adminHeaders(getContainer()) })

        expect(response.status).toBe(200)
        const ids = response.data.payment_providers.map((p: { id: string }) => p.id)
        expect(ids).toEqual(expect.arrayContaining(["pp_mpesa-lipia_lipia", "pp_mpesa-lipwa_lipwa"]))
      })
    })
  },
})
