/**
 * `tcrmm license verify` without oclif: bin/run.js hands its argv here first, because a CI job or a partner's
 * script pays the start-up of every call, and importing oclif alone costs about as much as starting Node. The
 * build bundles this file with esbuild (scripts/bundle-fast.mjs) so that it loads as one module.
 *
 * It runs the very same `runLicenseVerify` and output functions as the oclif command. Any argv beyond the
 * plain shapes (see parseSimpleArgv), and any environment that changes how oclif behaves, is declined: the
 * caller then runs oclif, which parses, helps and reports errors as always. test/e2e/license-fast-path.test.ts
 * runs the same invocations both ways and compares every byte and exit code.
 */
import {EXIT_CODES} from '../lib/errors.js'
import {parseSimpleArgv, type SimpleFlag, type SimpleParse} from '../lib/fast-path/argv.js'
import {EDITIONS, type Edition} from '../lib/license/fields.js'
import {runLicenseVerify} from '../lib/license/verify-run.js'
import {asCliError, reportCliError, writeJson} from '../lib/output.js'
import {colorEnabled, makeChalk} from '../lib/render/color.js'

/** The flags of src/commands/license/verify.ts plus the base flags; a test compares them to the manifest. */
export const LICENSE_VERIFY_FLAGS: Record<string, SimpleFlag> = {
  json: {type: 'boolean'},
  color: {type: 'boolean', allowNo: true},
  ca: {type: 'option', multiple: true},
  at: {type: 'option'},
  edition: {type: 'option', options: EDITIONS},
  company: {type: 'option'},
  junit: {type: 'option'},
  profile: {type: 'option'},
}

/** oclif reads these: `TCRMM_CONTENT_TYPE=json` means --json, the debug switches add output of its own. */
const OCLIF_ENVIRONMENT = ['TCRMM_CONTENT_TYPE', 'TCRMM_DEBUG', 'DEBUG']

/**
 * The plain shapes of `license verify` argv, with at least one file (oclif reports a missing one), and no file
 * that is named twice or equals a flag's value: oclif reorders the positionals then, and the fast path would
 * list the results in another order.
 */
export function parseLicenseVerifyArgv(argv: string[]): SimpleParse | undefined {
  const parsed = parseSimpleArgv(argv, LICENSE_VERIFY_FLAGS)
  if (!parsed || parsed.positionals.length === 0) return undefined
  const values = Object.values(parsed.flags).flat()
  const seen = new Set<unknown>(values)
  for (const positional of parsed.positionals) {
    if (seen.has(positional)) return undefined
    seen.add(positional)
  }
  return parsed
}

/** Runs `license verify` with `argv` (what follows `license verify`); false when oclif should run it instead. */
export async function runLicenseVerifyFast(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  if (OCLIF_ENVIRONMENT.some((name) => env[name] !== undefined)) return false
  const parsed = parseLicenseVerifyArgv(argv)
  if (!parsed) return false
  // As oclif's Command module does: a reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
  const {flags} = parsed
  const json = flags.json === true
  const chalk = makeChalk(
    colorEnabled({flag: flags.color as boolean | undefined, env, isTTY: Boolean(process.stdout.isTTY)}),
  )
  try {
    const {report, exit} = await runLicenseVerify(
      {
        files: parsed.positionals,
        ca: flags.ca as string[] | undefined,
        at: flags.at as string | undefined,
        edition: flags.edition as Edition | undefined,
        company: flags.company as string | undefined,
        junit: flags.junit as string | undefined,
        profile: flags.profile as string | undefined,
      },
      {say: json ? () => undefined : (line) => process.stdout.write(line + '\n'), chalk},
    )
    process.exitCode = EXIT_CODES[exit]
    if (json) writeJson(report)
  } catch (error) {
    reportCliError(asCliError(error), {json, chalk})
  }
  return true
}
