import { gatewayMode } from "../gateway-mode"

const LIPIA = "https://lipia-api.kreativelabske.com/api/v2"
const LIPWA = "https://pay.lipwa.app/api"

describe("gatewayMode: does this provider take real money?", () => {
  it.each([
    [LIPIA, LIPIA, "live"],
    [`${LIPIA}/`, LIPIA, "live"],
    [LIPWA, LIPWA, "live"],
    ["http://127.0.0.1:4010/lipia/api/v2", LIPIA, "sandbox"],
    ["http://localhost:4010/lipwa/api/", LIPWA, "sandbox"],
    ["https://staging.example.com/api/v2", LIPIA, "test"],
    ["https://pay.lipwa.app/api/v2", LIPWA, "test"],
    ["not a url", LIPWA, "test"],
  ])("%s (production %s) → %s", (baseUrl, production, mode) => {
    expect(gatewayMode(baseUrl, production)).toBe(mode)
  })
})
