import {Flags} from '@oclif/core'

import {ApiCommand} from '../lib/api-command.js'
import type {ApiCredentials} from '../lib/auth/credentials-file.js'
import {resolveCredentials} from '../lib/auth/credentials.js'
import {login, type LoginResult} from '../lib/auth/login.js'
import {ProfileStore} from '../lib/auth/profile-store.js'
import {profileName} from '../lib/config/paths.js'
import {resolveServerUrl} from '../lib/config/server.js'
import {usageError} from '../lib/errors.js'
import {messages} from '../lib/messages/index.js'
import {canPrompt, readStdin, terminalPrompter} from '../lib/prompts.js'

const m = messages.login

export default class Login extends ApiCommand<typeof Login> {
  static summary = m.summary
  static description = m.description
  static flags = {
    user: Flags.string({description: m.flagUser, helpValue: 'USER'}),
    'password-stdin': Flags.boolean({description: m.flagPasswordStdin}),
    'credentials-file': Flags.string({description: m.flagCredentialsFile, helpValue: 'FILE'}),
  }
  static examples = [
    '<%= config.bin %> login --credentials-file "Zugangsdaten für Müller & Söhne GmbH.txt"',
    'echo "$RMM_PASSWORD" | <%= config.bin %> login --user api-mueller --password-stdin',
    '<%= config.bin %> login --server http://127.0.0.1:4010 --profile sandbox --credentials-file sandbox/Zugangsdaten*.txt',
  ]

  async run(): Promise<LoginResult> {
    const {flags} = this
    const profile = profileName(flags.profile)
    const previous = await new ProfileStore(profile).read()
    const server = resolveServerUrl(flags.server, process.env, previous?.server)
    const credentials = await this.credentials()
    const result = await login({
      server,
      profile,
      credentials,
      credentialsFile: flags['credentials-file'],
      caFile: flags['ca-file'],
      debug: this.debugSink(),
      env: process.env,
    })
    const c = this.chalk
    this.say(`${c.green('✓')} ${m.done(result.apiUser, result.server)}`)
    this.say(`  ${m.partner(result.partner.company, result.partner.partnerId, result.partner.edition)}`)
    this.say(`  ${m.expires(result.tokenExpiresAt)}`)
    this.say(`  ${m.trust(result.trustRoots, result.revokedLicenses)}`)
    if (result.fileStorageNotice && result.tokenFile)
      process.stderr.write(c.yellow(m.fileNotice(result.tokenFile)) + '\n')
    return result
  }

  /** --credentials-file > --user with --password-stdin > the environment > prompts on a terminal. */
  private async credentials(): Promise<ApiCredentials> {
    const {flags} = this
    if (flags['credentials-file'])
      return resolveCredentials({credentialsFile: flags['credentials-file'], env: process.env})
    if (flags['password-stdin']) {
      if (!flags.user) throw usageError('MISSING_INPUT', m.passwordStdinNeedsUser)
      const apiPassword = await readStdin()
      if (apiPassword === '') throw usageError('MISSING_INPUT', m.emptyPassword)
      return {apiUser: flags.user, apiPassword}
    }
    if (!flags.user && process.env.TCRMM_API_USER && process.env.TCRMM_API_PASSWORD) {
      return {apiUser: process.env.TCRMM_API_USER, apiPassword: process.env.TCRMM_API_PASSWORD}
    }
    if (!canPrompt()) throw usageError('MISSING_INPUT', m.missingCredentials)
    const prompter = terminalPrompter()
    const apiUser =
      flags.user ?? (await prompter.input(m.promptUser, {validate: (v) => v.trim() !== '' || m.promptUser}))
    const apiPassword = await prompter.password(m.promptPassword)
    return {apiUser: apiUser.trim(), apiPassword}
  }
}
