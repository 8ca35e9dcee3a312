// Pre-renders every help screen into dist/help-cache.json, so bin/run.js can answer `tcrmm … --help` without
// loading oclif (which costs more than starting Node). The texts are oclif's own: each is captured by running
// the built CLI with the fast path off, output piped (so 80 columns, no colour), exactly as a script sees it.
// Last step of `npm run build`.
import {Config} from '@oclif/core'
import {execFile} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const packageJson = readFileSync(new URL('../package.json', import.meta.url), 'utf8')

// What oclif itself knows: our commands (from oclif.manifest.json), plugin-help's `help`, the topics of
// package.json and the implicit ones of command ids. The key is the words a user types, `license verify`.
const config = await Config.load(root)
const separator = config.topicSeparator
const keys = [
  '',
  ...new Set(
    [...config.commandIDs, ...config.topics.map((topic) => topic.name)].map((id) =>
      id.replaceAll(':', separator),
    ),
  ),
]

const env = {...process.env, TCRMM_NO_FAST_PATH: '1'}
for (const name of ['FORCE_COLOR', 'OCLIF_COLUMNS', 'DEBUG']) delete env[name]

/** Runs the CLI with `args`, stdout and stderr piped; resolves to what it printed and its exit status. */
function capture(args) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {cwd: root, env, encoding: 'utf8'},
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error)
        else resolve({stdout, stderr, status: error ? error.code : 0})
      },
    )
  })
}

/** Runs `task` over `items`, at most `limit` at a time; results in the order of `items`. */
async function mapBounded(items, limit, task) {
  const results = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

const same = (a, b) => a.stdout === b.stdout && a.stderr === b.stderr && a.status === b.status
const words = (key) => (key === '' ? [] : key.split(separator))

const runtime = `${process.platform}-${process.arch} node-${process.version}`
const RUNTIME_PLACEHOLDER = '\u0000runtime\u0000'
const entries = await mapBounded(keys, 4, async (key) => {
  const help = await capture([...words(key), '--help'])
  if (help.status !== 0 || help.stdout === '') {
    throw new Error(`tcrmm ${key} --help exited ${help.status}:\n${help.stdout}${help.stderr}`)
  }
  // `tcrmm help <words>` (plugin-help's command) and a bare `tcrmm` are served only where they print the same.
  const viaHelpCommand = await capture(['help', ...words(key)])
  const entry = {...help, helpCommand: same(help, viaHelpCommand)}
  if (key === '') entry.noArgs = same(help, await capture([]))
  // The root help shows the platform and Node that run it: stored as a placeholder, filled in when served, so
  // that the cache holds under another Node (CI runs the tests under Node 24 with a build made by Node 20).
  entry.stdout = entry.stdout.replaceAll(runtime, RUNTIME_PLACEHOLDER)
  entry.stderr = entry.stderr.replaceAll(runtime, RUNTIME_PLACEHOLDER)
  return entry
})

const cache = {
  version: JSON.parse(packageJson).version,
  width: 80,
  // bin/run.js serves the cache only for this very package.json (name, version, topics).
  packageJson,
  runtimePlaceholder: RUNTIME_PLACEHOLDER,
  entries: Object.fromEntries(keys.map((key, index) => [key, entries[index]])),
}
writeFileSync(new URL('../dist/help-cache.json', import.meta.url), JSON.stringify(cache))
