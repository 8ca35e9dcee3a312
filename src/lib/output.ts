import type {ChalkInstance} from 'chalk'

import {CliError} from './errors.js'
import {messages} from './messages/index.js'

/**
 * How a command's end reaches the user, shared by the oclif base command and the start-up fast path of
 * `license verify` (src/fast/), so both print the very same bytes.
 */

/** The one JSON document on stdout: plain `JSON.stringify`, indented as oclif's `logJson` would. */
export function writeJson(json: unknown): void {
  process.stdout.write(JSON.stringify(json, null, 2) + '\n')
}

/** Anything thrown that is not a CliError is a bug or an unforeseen failure: exit 1 with its message. */
export function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error
  const detail = error instanceof Error ? error.message : String(error)
  return new CliError('CHECK_FAILED', 'UNEXPECTED', messages.common.unexpected(detail))
}

/** Sets the exit code and reports the error: `{error: {code, message}}` in JSON mode, else a line on stderr. */
export function reportCliError(error: CliError, options: {json: boolean; chalk: ChalkInstance}): void {
  process.exitCode = error.exitCode
  if (options.json) {
    writeJson({error: {code: error.code, message: error.message}})
    return
  }
  if (error.reported) return
  const hints =
    error.kind === 'AUTH' && error.hints.length === 0 ? [messages.auth.unauthorizedHint] : error.hints
  const lines = [
    `${options.chalk.red(messages.common.errorPrefix + ':')} ${error.message}`,
    ...hints.map((h) => `  ${h}`),
  ]
  process.stderr.write(lines.join('\n') + '\n')
}
