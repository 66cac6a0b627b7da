import { categoryOf, hottestFunctions, selfTimeByCategory } from "../lib/profile.mjs"

const plugin = "/srv/plugin/.medusa/server"

describe("where the CPU goes", () => {
  it.each([
    [{ functionName: "f", url: `file://${plugin}/src/workflows/confirm.js` }, "the plugin"],
    [{ functionName: "f", url: "file:///srv/store/node_modules/@medusajs/workflows-sdk/dist/x.js" }, "@medusajs/workflows-sdk"],
    [{ functionName: "f", url: "file:///srv/store/node_modules/pg/lib/client.js" }, "pg"],
    [{ functionName: "f", url: "node:internal/streams/readable" }, "node internals"],
    [{ functionName: "(garbage collector)", url: "" }, "GC"],
    [{ functionName: "(idle)", url: "" }, "idle"],
    [{ functionName: "JSONParse", url: "" }, "native"],
    [{ functionName: "f", url: "file:///srv/store/medusa-config.js" }, "the store's own code"],
  ])("counts %j to %s", (callFrame, category) => {
    expect(categoryOf(callFrame, plugin)).toBe(category)
  })

  // Samples every 1 ms from t = 1000 µs: plugin, pg, idle, plugin, GC (the last one has no
  // following delta, so it weighs nothing).
  const profile = {
    startTime: 0,
    nodes: [
      { id: 1, callFrame: { functionName: "confirm", url: `file://${plugin}/src/workflows/confirm.js`, lineNumber: 9 } },
      { id: 2, callFrame: { functionName: "query", url: "file:///s/node_modules/pg/lib/client.js", lineNumber: 0 } },
      { id: 3, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
      { id: 4, callFrame: { functionName: "(garbage collector)", url: "", lineNumber: -1 } },
    ],
    samples: [1, 2, 3, 1, 4],
    timeDeltas: [1000, 1000, 1000, 1000, 1000],
  }

  it("adds up self time per package, leaves idle out of the busy time, and cuts at a window", () => {
    expect(selfTimeByCategory(profile, { pluginDir: plugin })).toEqual({
      busyMs: 3,
      idleMs: 1,
      categories: [
        { category: "the plugin", ms: 2, share: 66.7 },
        { category: "pg", ms: 1, share: 33.3 },
        { category: "GC", ms: 0, share: 0 },
      ],
    })
    expect(selfTimeByCategory(profile, { pluginDir: plugin, fromUs: 2000, toUs: 3000 }).categories).toEqual([{ category: "pg", ms: 1, share: 100 }])
  })

  it("names the plugin's hottest functions by file and line", () => {
    expect(hottestFunctions(profile, { pluginDir: plugin, only: "the plugin" })).toEqual([{ fn: "confirm /src/workflows/confirm.js:10", ms: 2 }])
  })
})
