import path from "node:path"

import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

jest.setTimeout(120_000)

medusaIntegrationTestRunner({
  cwd: path.join(__dirname, "../app"),
  testSuite: ({ api }) => {
    describe("a Medusa store with the M-Pesa plugin installed", () => {
      it("boots on PostgreSQL and answers /health", async () => {
        const response = await api.get("/health")
        expect(response.status).toEqual(200)
        expect(response.data).toEqual("OK")
      })

    })
  },
})
