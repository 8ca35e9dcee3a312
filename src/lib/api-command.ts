import type {Command} from '@oclif/core'

import {apiFlags} from './api/flags.js'
import {openSession, type Session} from './auth/session.js'
import {BaseCommand} from './base-command.js'

/** A command that talks to the RMM API: `--server`, `--profile`, `--ca-file`, `--debug`, and its session. */
export abstract class ApiCommand<T extends typeof Command> extends BaseCommand<T> {
  static baseFlags = {...BaseCommand.baseFlags, ...apiFlags}

  private apiFlags(): {server?: string; profile?: string; 'ca-file'?: string; debug?: boolean} {
    return this.flags as never
  }

  /** Request lines on stderr with --debug; the client never hands it headers, bodies or tokens. */
  protected debugSink(): ((line: string) => void) | undefined {
    return this.apiFlags().debug
      ? (line) => process.stderr.write(`${this.chalk.dim('debug')} ${line}\n`)
      : undefined
  }

  protected session(): Promise<Session> {
    const flags = this.apiFlags()
    return openSession({
      server: flags.server,
      profile: flags.profile,
      caFile: flags['ca-file'],
      debug: this.debugSink(),
      env: process.env,
    })
  }
}
