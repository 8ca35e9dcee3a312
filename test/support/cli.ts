import {execFile, spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(REPO_ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  input?: string
  timeoutMs?: number
}

/**
 * Runs the built `tcrmm` binary as a separate process, as users and CI do: no TTY, CI=true, NO_COLOR unset, and
 * a fresh temporary HOME and config dir unless the test passes its own.
 */
/**
 * The environment every test run of the CLI gets: a fresh temporary HOME (and config dir), CI=true, a UTF-8
 * locale, nothing else of the developer's environment but PATH; `extra` overrides.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}, homePrefix = 'tcrmm-home-'): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), homePrefix))
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    CI: 'true',
    LANG: 'C.UTF-8',
    ...extra,
  }
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env = cliEnv(options.env)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: options.cwd ?? REPO_ROOT, env, stdio: 'pipe'})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`tcrmm ${args.join(' ')} did not finish within ${options.timeoutMs ?? 20_000} ms`))
    }, options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stdout, stderr})
    })
    child.stdin.end(options.input ?? '')
  })
}

/** Runs `license verify --json` and parses stdout, failing loudly when it is not one JSON document. */
export async function verifyJson(args: string[], options: RunOptions = {}) {
  const result = await runCli(['license', 'verify', '--json', ...args], options)
  let json: VerifyJson
  try {
    json = JSON.parse(result.stdout) as VerifyJson
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
  return {...result, json}
}

export interface VerifyJson {
  results: Array<{
    file: string
    valid: boolean
    status: string
    errors: Array<{code: string; message: string}>
    warnings: Array<{code: string; message: string}>
    license: null | Record<string, unknown>
    signer: null | Record<string, unknown>
  }>
  summary: {total: number; valid: number; invalid: number}
  error?: {code: string; message: string}
}

/** One run of the binary with its output, and whether it loaded oclif (the fast paths of bin/run.js did not answer). */
export interface ProbedRun {
  stdout: string
  stderr: string
  status: number | null
  oclif: boolean
}

// Preloaded into every probed run: on exit, says on stderr whether @oclif/core (CommonJS) was loaded.
const OCLIF_MARKER = '\n[test probe] @oclif/core was loaded\n'
const OCLIF_PROBE =
  'data:text/javascript,' +
  encodeURIComponent(
    `import {createRequire} from 'node:module'
     const {cache} = createRequire(process.cwd() + '/')
     process.on('exit', () => {
       if (Object.keys(cache).some((path) => path.includes('@oclif/core'))) process.stderr.write(${JSON.stringify(OCLIF_MARKER)})
     })`,
  )

let probedRunning = 0
const probedWaiting: Array<() => void> = []

/** Runs `bin` (bin/run.js) with `args` in `cliEnv(env)`, output piped, at most 4 at a time. */
export async function runProbed(args: string[], env: NodeJS.ProcessEnv = {}, bin = BIN): Promise<ProbedRun> {
  if (probedRunning >= 4) await new Promise<void>((resolve) => probedWaiting.push(resolve))
  probedRunning++
  try {
    return await new Promise((resolve) => {
      const options = {
        cwd: REPO_ROOT,
        env: cliEnv(env),
        encoding: 'utf8' as const,
        maxBuffer: 64 * 1024 * 1024,
      }
      execFile(
        process.execPath,
        ['--import', OCLIF_PROBE, bin, ...args],
        options,
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : null) : 0
          resolve({
            stdout,
            stderr: stderr.replace(OCLIF_MARKER, ''),
            status,
            oclif: stderr.includes(OCLIF_MARKER),
          })
        },
      )
    })
  } finally {
    probedRunning--
    probedWaiting.shift()?.()
  }
}
