/**
 * One error type for everything the user may see, with a code that maps to the exit codes of cli.md.
 * Library code throws CliError; only the base command turns it into output and an exit code.
 */
export const EXIT_CODES = {
  OK: 0,
  CHECK_FAILED: 1,
  USAGE: 2,
  AUTH: 3,
  SERVER: 4,
  CONFLICT: 5,
  /** Ctrl-C at a prompt or while waiting: the shell convention 128 + SIGINT. */
  INTERRUPTED: 130,
} as const

export type ExitKind = keyof typeof EXIT_CODES

export class CliError extends Error {
  readonly kind: ExitKind
  /** A stable, machine-readable code for `--json` consumers, e.g. `NO_TRUSTED_ROOT`. */
  readonly code: string
  /** Extra lines telling the user what to do next. */
  readonly hints: string[]

  /** Already shown to a person (a wizard's ✗ line): human mode prints nothing more; JSON mode still reports it. */
  reported = false

  constructor(kind: ExitKind, code: string, message: string, hints: string[] = []) {
    super(message)
    this.name = 'CliError'
    this.kind = kind
    this.code = code
    this.hints = hints
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind]
  }
}

export function usageError(code: string, message: string, hints: string[] = []): CliError {
  return new CliError('USAGE', code, message, hints)
}
