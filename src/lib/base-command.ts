import {Command, Errors, Flags, type Interfaces} from '@oclif/core'
import type {ChalkInstance} from 'chalk'

import {CliError, EXIT_CODES, type ExitKind} from './errors.js'
import {messages} from './messages/index.js'
import {asCliError, reportCliError, writeJson} from './output.js'
import {colorEnabled, makeChalk} from './render/color.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<T['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * The one place that owns `--json`, colour, the message catalog and the error → exit-code mapping (cli.md).
 * Commands stay thin: parse, call a library function, render, and say how it ended with `exitWith`.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    color: Flags.boolean({
      allowNo: true,
      helpGroup: 'GLOBAL',
      description: messages.common.flagColor,
    }),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  /** All positional arguments (for variadic commands); `this.argv` stays the raw argv oclif reads `--json` from. */
  protected positionals!: string[]
  protected chalk!: ChalkInstance
  protected readonly messages = messages

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    this.positionals = argv as string[]
    this.chalk = makeChalk(
      colorEnabled({flag: this.flags.color, env: process.env, isTTY: Boolean(process.stdout.isTTY)}),
    )
  }

  /** Ends the command with the exit code of `kind` without printing anything more. */
  protected exitWith(kind: ExitKind): void {
    process.exitCode = EXIT_CODES[kind]
  }

  /**
   * The one JSON document on stdout. Plain `JSON.stringify`, not oclif's colorizer, which tokenizes the whole
   * document into objects first: for a 10,000-customer dashboard that cost more time and memory than the rest.
   */
  /**
   * The one JSON document on stdout. Plain `JSON.stringify`, not oclif's colorizer, which tokenizes the whole
   * document into objects first: for a 10,000-customer dashboard that cost more time and memory than the rest.
   */
  public override logJson(json: unknown): void {
    writeJson(json)
  }

  /** Human output only: JSON mode prints nothing but the returned document. */
  protected say(line: string): void {
    if (!this.jsonEnabled()) this.log(line)
  }

  public override async catch(error: Error & {exitCode?: number}): Promise<void> {
    const cliError = toCliError(error)
    if (cliError === undefined) throw error // oclif's own exits (e.g. help) pass through untouched
    reportCliError(cliError, {json: this.jsonEnabled(), chalk: this.chalk ?? makeChalk(false)})
  }
}

/** Maps anything thrown to a CliError; `undefined` for oclif's deliberate exits. */
export function toCliError(error: unknown): CliError | undefined {
  if (error instanceof CliError) return error
  if (error instanceof Errors.ExitError) return undefined
  if (error instanceof Errors.CLIError) {
    // oclif's parser errors (unknown flag, missing argument, bad option) are usage errors: exit 2.
    const message = error.message.replace(/\s*See more help with --help\s*$/, '')
    return new CliError('USAGE', 'USAGE', messages.common.usageFailed(message), ['See `--help`.'])
  }
  return asCliError(error)
}
