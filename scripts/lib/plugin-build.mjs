// Whether the plugin's build (.medusa/server) is missing or older than src/: `npm run demo`
// and `npm run bench` run the built plugin, as a store does, and rebuild it when it is stale.
import { existsSync, readdirSync, statSync } from "node:fs"
import path from "node:path"

/** The build's time, or 0 when there is none. */
export function pluginBuiltAt(root) {
  const marker = path.join(root, ".medusa", "server", "src", "providers", "lipia", "index.js")
  return existsSync(marker) ? statSync(marker).mtimeMs : 0
}

export function pluginBuildIsStale(root) {
  const builtAt = pluginBuiltAt(root)
  return !builtAt || newestMtime(path.join(root, "src")) > builtAt
}

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}
