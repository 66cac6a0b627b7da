// Where a Medusa server's CPU time goes, from a V8 CPU profile (`node --cpu-prof`): self time
// per package within a time window. Pure functions, unit-tested in bench/__tests__.
//
// V8 stamps a profile in microseconds of the monotonic clock, the clock of
// `process.hrtime.bigint()`, so a window measured in the bench's process cuts the server's
// profile exactly (both processes on one machine).

/** The monotonic clock in microseconds, as V8's profiler stamps samples. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

/**
 * The bucket a frame's self time counts to: the plugin's own code, a package (scoped packages
 * by their full name), Node's internals, or V8's pseudo-frames (GC, idle, program).
 */
export function categoryOf(callFrame, pluginDir) {
  const url = callFrame.url ?? ""
  if (!url) {
    const pseudo = { "(garbage collector)": "GC", "(idle)": "idle", "(program)": "V8 (program)", "(root)": "V8 (program)" }
    return pseudo[callFrame.functionName] ?? "native"
  }
  if (url.startsWith("node:")) {
    return "node internals"
  }
  const file = url.replace(/^file:\/\//, "")
  if (pluginDir && file.startsWith(pluginDir)) {
    return "the plugin"
  }
  const at = file.lastIndexOf("/node_modules/")
  if (at >= 0) {
    const [first, second] = file.slice(at + "/node_modules/".length).split("/")
    return first.startsWith("@") ? `${first}/${second}` : first
  }
  return "the store's own code"
}

/**
 * Self time (ms) per category for the samples taken in [fromUs, toUs), idle left out of the
 * total; `share` is each category's part of the busy time. Categories sorted by time.
 */
export function selfTimeByCategory(profile, { fromUs = -Infinity, toUs = Infinity, pluginDir } = {}) {
  const categoryOfNode = new Map(profile.nodes.map((node) => [node.id, categoryOf(node.callFrame, pluginDir)]))
  const totals = new Map()
  for (const { nodeId, ms } of samplesIn(profile, fromUs, toUs)) {
    const category = categoryOfNode.get(nodeId) ?? "native"
    totals.set(category, (totals.get(category) ?? 0) + ms)
  }
  const busyMs = [...totals].filter(([c]) => c !== "idle").reduce((sum, [, ms]) => sum + ms, 0)
  const categories = [...totals]
    .filter(([c]) => c !== "idle")
    .map(([category, ms]) => ({ category, ms: Math.round(ms), share: busyMs ? Math.round((ms / busyMs) * 1000) / 10 : 0 }))
    .sort((a, b) => b.ms - a.ms)
  return { busyMs: Math.round(busyMs), idleMs: Math.round(totals.get("idle") ?? 0), categories }
}

/**
 * The functions of the plugin with the most self time in the window, by name and file, so a
 * reader sees which of its steps the CPU went to.
 */
export function hottestFunctions(profile, { fromUs = -Infinity, toUs = Infinity, pluginDir, only, limit = 10 } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const totals = new Map()
  for (const { nodeId, ms: weight } of samplesIn(profile, fromUs, toUs)) {
    const { callFrame } = byId.get(nodeId) ?? {}
    if (!callFrame || (only && categoryOf(callFrame, pluginDir) !== only)) {
      continue
    }
    const file = (callFrame.url ?? "").replace(/^file:\/\//, "").replace(pluginDir ?? "\0", "")
    const key = `${callFrame.functionName || "(anonymous)"} ${file}:${callFrame.lineNumber + 1}`
    totals.set(key, (totals.get(key) ?? 0) + weight)
  }
  return [...totals]
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
}

/** The samples taken in [fromUs, toUs), each with the time it stands for (until the next one), in ms. */
function* samplesIn(profile, fromUs, toUs) {
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0
    if (t >= fromUs && t < toUs) {
      yield { nodeId: profile.samples[i], ms: (profile.timeDeltas[i + 1] ?? 0) / 1000 }
    }
  }
}
