#!/usr/bin/env node
// Loading oclif costs more than starting Node, so the answers scripts ask for most are given here without it:
// `tcrmm --version` (built from package.json exactly as oclif would); help, which `npm run build` pre-renders
// with oclif itself into dist/help-cache.json (scripts/build-help.mjs), served from there only where oclif's
// output cannot differ: output not to a terminal (80 columns, no colour), nothing in the environment that
// changes width, colour or diagnostics, the same package.json, and an exact shape of arguments; and
// `license verify` in its plain argv shapes, by the same code as the oclif command, bundled into dist/bundle/
// (src/fast/license-verify.ts; it declines what it cannot parse exactly as oclif would).
// Everything else goes to oclif. TCRMM_NO_FAST_PATH=1 sends everything to oclif (the tests compare the two).
import {readFileSync} from 'node:fs'

const args = process.argv.slice(2)
const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The recorded help for `args`, or undefined where oclif must answer. */
function cachedHelp() {
  // `tcrmm [words…] --help`, `tcrmm help [words…]`, `tcrmm`: the latter two only where the build saw them print
  // the same as the first.
  let words, shape
  if (args.at(-1) === '--help') [words, shape] = [args.slice(0, -1), 'help']
  else if (args[0] === 'help') [words, shape] = [args.slice(1), 'helpCommand']
  else if (args.length === 0) [words, shape] = [[], 'noArgs']
  else return undefined
  if (!words.every((word) => /^\w[\w-]*$/.test(word)) || process.stdout.isTTY) return undefined
  const env = ['TCRMM_NO_FAST_PATH', 'FORCE_COLOR', 'OCLIF_COLUMNS', 'DEBUG']
  if (env.some((name) => process.env[name] !== undefined)) return undefined
  let cache
  try {
    cache = JSON.parse(read('../dist/help-cache.json'))
    if (cache.packageJson !== read('../package.json') || typeof cache.runtimePlaceholder !== 'string')
      return undefined
  } catch {
    return undefined
  }
  const key = words.join(' ')
  const entry = Object.hasOwn(cache.entries, key) ? cache.entries[key] : undefined
  if (!entry || (shape !== 'help' && entry[shape] !== true)) return undefined
  return {...entry, runtimePlaceholder: cache.runtimePlaceholder}
}

/** `license verify` by the bundled fast path; false where oclif must run it (it has then printed nothing). */
async function fastLicenseVerify() {
  if (args[0] !== 'license' || args[1] !== 'verify' || process.env.TCRMM_NO_FAST_PATH !== undefined)
    return false
  let fast
  try {
    fast = await import('../dist/bundle/license-verify.js')
  } catch {
    return false // a build without the bundle: oclif runs the command from dist/commands as always
  }
  return fast.runLicenseVerifyFast(args.slice(2))
}

let help
if (args.length === 1 && args[0] === '--version') {
  const pkg = JSON.parse(read('../package.json'))
  process.stdout.write(
    `${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`,
  )
} else if ((help = cachedHelp())) {
  // The root help names the platform and Node that run it; the cache holds a placeholder there.
  const runtime = `${process.platform}-${process.arch} node-${process.version}`
  process.stdout.write(help.stdout.replaceAll(help.runtimePlaceholder, runtime))
  process.stderr.write(help.stderr.replaceAll(help.runtimePlaceholder, runtime))
  process.exitCode = help.status
} else if (!(await fastLicenseVerify())) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
