import { defaultRecordProvider, recordFormHints } from "../record-form"

describe("the record form says why its button is disabled", () => {
  const lipwa = { receipt: "", onWord: false, amount: "", note: "" }
  const lipia = { receipt: "THK75EOH2Z", onWord: true, amount: "1700", note: "seen in statement" }

  it.each([
    ["nothing typed", { ...lipwa }, { receipt: /10 letters and digits, e\.g\. THK75EOH2Z/ }],
    ["a short receipt", { ...lipwa, receipt: "thk75" }, { receipt: /10 letters and digits: 5 typed/ }],
    ["a receipt with a space", { ...lipwa, receipt: "THK75 EOH2Z" }, { receipt: /letters and digits only/ }],
    ["a Lipwa receipt, complete (any case)", { ...lipwa, receipt: " thk75eoh2z " }, {}],
    ["Lipia, complete", lipia, {}],
    ["Lipia, a short note", { ...lipia, note: "ok" }, { note: /at least 3 characters \(2 typed\)/ }],
    ["Lipia, no note", { ...lipia, note: " " }, { note: /at least 3 characters, e\.g\./ }],
    ["Lipia, no amount", { ...lipia, amount: "" }, { amount: /whole shillings/ }],
    ["Lipia, cents", { ...lipia, amount: "1700.5" }, { amount: /whole shillings/ }],
    ["Lipia, zero", { ...lipia, amount: "0" }, { amount: /whole shillings/ }],
    ["Lipwa ignores amount and note", { ...lipwa, receipt: "THK75EOH2Z", amount: "", note: "" }, {}],
  ])("%s", (_, form, expected) => {
    const hints = recordFormHints(form)
    expect(Object.keys(hints).sort()).toEqual(Object.keys(expected).sort())
    for (const [field, pattern] of Object.entries(expected)) {
      expect(hints[field as keyof typeof hints]).toMatch(pattern as RegExp)
    }
  })
})

describe("the record form's gateway", () => {
  const lipia = { provider_id: "pp_mpesa-lipia_lipia", lists_transactions: false }
  const lipwa = { provider_id: "pp_mpesa-lipwa_lipwa", lists_transactions: true }
  it.each([
    ["Lipwa, which can look the receipt up, over Lipia listed first", [lipia, lipwa], lipwa],
    ["Lipia when it is the only one", [lipia], lipia],
    ["nothing when there is none", [], undefined],
  ])("starts on %s", (_, providers, expected) => {
    expect(defaultRecordProvider(providers)).toBe(expected)
  })
})
