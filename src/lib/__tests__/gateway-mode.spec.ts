import { gatewayMode, LIVE_BASE_URLS } from "../gateway-mode"

const LIPIA = LIVE_BASE_URLS.lipia
const LIPWA = LIVE_BASE_URLS.lipwa

describe("gatewayMode: does this provider take real money?", () => {
  it("knows each gateway's documented production API", () => {
    expect(LIVE_BASE_URLS).toEqual({ lipia: "https://lipia-api.kreativelabske.com/api/v2", lipwa: "https://pay.lipwa.app/api" })
  })

  it.each([
    ["lipia", LIPIA, "live"],
    ["lipia", `${LIPIA}/`, "live"],
    ["lipia", `${LIPIA}//`, "live"],
    ["lipia", "https://lipia-api.kreativelabske.com:443/api/v2", "live"],
    ["lipia", "https://LIPIA-API.KreativeLabsKE.com/api/v2", "live"],
    ["lipia", "HTTPS://lipia-api.kreativelabske.com:443/api/v2/", "live"],
    ["lipia", "https://lipia-api.kreativelabske.com./api/v2", "live"],
    ["lipia", "https://lipia-api.kreativelabske.com/api/./v2", "live"],
    ["lipia", " https://lipia-api.kreativelabske.com/api/v2 ", "live"],
    ["lipwa", LIPWA, "live"],
    ["lipwa", "https://Pay.Lipwa.App:443/api/", "live"],
    ["lipwa", "https://user:pass@pay.lipwa.app/api", "live"],
    // Not the production API: another scheme, port, path, query, or the other gateway's URL.
    ["lipia", "http://lipia-api.kreativelabske.com/api/v2", "test"],
    ["lipia", "https://lipia-api.kreativelabske.com:8443/api/v2", "test"],
    ["lipia", "https://lipia-api.kreativelabske.com/API/v2", "test"],
    ["lipia", "https://lipia-api.kreativelabske.com/api/v1", "test"],
    ["lipwa", "https://pay.lipwa.app/api/v2", "test"],
    ["lipwa", "https://pay.lipwa.app/api?x=1", "test"],
    ["lipwa", "https://pay.lipwa.app.evil.example/api", "test"],
    ["lipwa", LIPIA, "test"],
    ["lipia", LIPWA, "test"],
    ["lipia", "https://staging.example.com/api/v2", "test"],
    // The plugin's sandbox, on whatever host and port.
    ["lipia", "http://127.0.0.1:4010/lipia/api/v2", "sandbox"],
    ["lipwa", "http://localhost:4010/lipwa/api/", "sandbox"],
    ["lipwa", "https://sandbox.shop.example/lipwa/api", "sandbox"],
    // Unreadable: never called live.
    ["lipwa", "not a url", "test"],
    ["lipwa", "", "test"],
    ["lipwa", "ftp://pay.lipwa.app/api", "test"],
  ] as const)("%s at %p → %s", (gateway, baseUrl, mode) => {
    expect(gatewayMode(gateway, baseUrl)).toBe(mode)
  })
})
