// Loaded with `NODE_OPTIONS=--require …` by `npm run bench -- --profile` (Node refuses
// --cpu-prof in NODE_OPTIONS, and `medusa` may start its server in a child process): profiles
// every Node process of the server with V8's sampling profiler and writes
// $BENCH_PROFILE_DIR/<pid>.cpuprofile when the process exits (Medusa exits on SIGTERM).
const inspector = require("node:inspector")
const fs = require("node:fs")
const path = require("node:path")

const dir = process.env.BENCH_PROFILE_DIR
if (dir) {
  const session = new inspector.Session()
  session.connect()
  session.post("Profiler.enable")
  session.post("Profiler.start")
  // The main thread's session answers synchronously, so this runs to the end inside "exit".
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (!error) {
        fs.mkdirSync(dir, { recursive: true })
        fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile))
      }
    })
  })
}
