// What every scenario shares during one `npm run bench`: set up by bench/run.mjs (the sizes,
// the sandbox, the seeded store, the database client, the Medusa server of the moment and how
// to boot another), read by the scenarios in bench/scenarios/.

import path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

export const bench = {
  root,
  work: path.join(root, ".tmp", "bench"),
  /** SIZES.full or SIZES.quick (bench/run.mjs). */
  size: undefined,
  /** The in-process sandbox (manual mode). */
  sandbox: undefined,
  /** The seeded store's ids (bench/app/seed.ts). */
  seed: undefined,
  /** A pg client on the database the current server uses. */
  db: undefined,
  /** The Medusa server being measured: { url, pid, bootMs, stop() }. */
  server: undefined,
  /** Boots `medusa start` on bench/app with extra environment: (name, env) → server. */
  boot: undefined,
  say: (line) => process.stdout.write(`bench │ ${line}\n`),
  startedAt: Date.now(),
  elapsed: () => `${((Date.now() - bench.startedAt) / 1000).toFixed(0)} s`,
}
