import {type ChildProcess, spawn} from 'node:child_process'
import {createInterface} from 'node:readline'

import type {SandboxInfo} from '../../src/sandbox/start.js'
import {BIN, cliEnv, REPO_ROOT} from './cli.js'

/** The one-line JSON of `tcrmm sandbox start --json`; sandbox-lifecycle.test.ts checks its keys against rmm-api.md. */
export type {SandboxInfo}

export interface SandboxProcess {
  info: SandboxInfo
  child: ChildProcess
  /** stderr so far, for failure messages. */
  stderr(): string
  /** Sends the signal and resolves with the exit code (or the signal name) once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>
}

/**
 * Starts `tcrmm sandbox start --port 0 --json` as a real process (the built binary) with a temporary HOME and
 * resolves when it has printed its JSON line. Pass `--data-dir` yourself to keep state across restarts.
 */
export function startSandboxProcess(
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--port', '0', '--json', ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env, 'tcrmm-sbhome-'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the sandbox did not start within 30 s:\n${stderr}`))
    }, 30_000)
    const lines = createInterface({input: child.stdout!})
    lines.once('line', (line) => {
      clearTimeout(timer)
      try {
        const info = JSON.parse(line) as SandboxInfo
        resolve({
          info,
          child,
          stderr: () => stderr,
          async stop(signal: NodeJS.Signals = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal)
            return exited
          },
        })
      } catch {
        reject(new Error(`the first stdout line is not JSON: ${line}\n${stderr}`))
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the sandbox exited (${code}) before printing its JSON line:\n${stderr}`))
    })
  })
}

/** A token for the sandbox's partner, straight over HTTP. */
export async function sandboxToken(info: SandboxInfo): Promise<string> {
  const response = await fetch(`${info.url}/v1/auth/token`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({username: info.apiUser, password: info.apiPassword}),
  })
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`)
  return ((await response.json()) as {accessToken: string}).accessToken
}
