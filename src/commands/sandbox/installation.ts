import {Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'

import {ApiClient, ApiError} from '../../lib/api/client.js'
import {resolveCredentials} from '../../lib/auth/credentials.js'
import {BaseCommand} from '../../lib/base-command.js'
import {resolveServerUrl} from '../../lib/config/server.js'
import {parseDuration} from '../../lib/duration.js'
import {CliError, usageError} from '../../lib/errors.js'
import {messages} from '../../lib/messages/index.js'
import {type AgentView, PlayedInstallation, type WarningToReport} from '../../sandbox/installation.js'

const m = messages.sandbox.installation

export default class SandboxInstallation extends BaseCommand<typeof SandboxInstallation> {
  static summary = m.summary
  static description = m.description
  static flags = {
    server: Flags.string({description: m.flagServer, helpValue: 'URL'}),
    company: Flags.string({description: m.flagCompany, required: true, helpValue: 'NAME'}),
    'tc-version': Flags.string({description: m.flagTcVersion, required: true, helpValue: 'VERSION'}),
    license: Flags.string({description: m.flagLicense, required: true, helpValue: 'FILE'}),
    'credentials-file': Flags.string({description: m.flagCredentialsFile, helpValue: 'FILE'}),
    interval: Flags.string({description: m.flagInterval, helpValue: 'DURATION'}),
    warning: Flags.string({
      description: m.flagWarning,
      multiple: true,
      multipleNonGreedy: true,
      helpValue: 'CODE[:SEVERITY]',
    }),
  }
  static examples = [
    '<%= config.bin %> sandbox installation --server http://127.0.0.1:4010 --credentials-file "Zugangsdaten für Müller.txt" --company "Bäckerei Schmidt" --tc-version 23.04.01 --license license_rma_Müller_premium_signed.xml',
    '<%= config.bin %> sandbox installation --company "Café Zeit" --tc-version 24.10.03 --license premium.xml --interval 30s --warning BACKUP_FAILED:critical',
  ]

  async run(): Promise<{agent: AgentView}> {
    const {flags} = this
    const warnings = (flags.warning ?? []).map(parseWarning)
    const intervalMs = flags.interval === undefined ? undefined : parseDuration(flags.interval)
    if (intervalMs !== undefined && intervalMs < 1000) {
      throw usageError('BAD_DURATION', messages.sandbox.start.badDuration('--interval', flags.interval ?? ''))
    }
    if (flags.interval !== undefined && intervalMs === undefined) {
      throw usageError('BAD_DURATION', messages.sandbox.start.badDuration('--interval', flags.interval))
    }
    const baseUrl = resolveServerUrl(flags.server, process.env)
    const credentials = await resolveCredentials({
      credentialsFile: flags['credentials-file'],
      env: process.env,
    })
    let licenseXml: string
    try {
      licenseXml = await readFile(flags.license, 'utf8')
    } catch (error) {
      throw usageError(
        'LICENSE_UNREADABLE',
        m.licenseUnreadable(flags.license, (error as NodeJS.ErrnoException).code ?? String(error)),
      )
    }

    const installation = new PlayedInstallation(
      (getToken) => new ApiClient({baseUrl, getToken}),
      credentials,
      {agentId: flags.company, tcVersion: flags['tc-version'], licenseXml},
    )
    await installation.login()
    let registration
    try {
      registration = await installation.register()
    } catch (error) {
      // A refused registration (old version, invalid or foreign license) is the check failing: exit 1.
      if (error instanceof ApiError && (error.status === 422 || error.status === 403)) {
        throw new CliError('CHECK_FAILED', error.code, m.refused(error.message))
      }
      throw error
    }
    const {agent} = registration
    const say = registration.created ? m.registered : m.updated
    this.say(`${this.chalk.green('✓')} ${say(agent.agentId, agent.tcVersion, agent.licenseEdition)}`)
    let latest = await installation.heartbeat(warnings)
    this.say(`${this.chalk.green('✓')} ${m.heartbeat(latest.status, latest.warningCount)}`)

    if (intervalMs !== undefined) {
      const stop = new AbortController()
      const onSignal = () => stop.abort()
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      while (!stop.signal.aborted) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs)
          stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {once: true})
        })
        if (stop.signal.aborted) break
        latest = await installation.heartbeat(warnings)
        this.say(`${this.chalk.green('✓')} ${m.heartbeat(latest.status, latest.warningCount)}`)
      }
      this.say(m.stopped)
    }
    return {agent: latest}
  }
}

function parseWarning(value: string): WarningToReport {
  const [code = '', severity = 'warning', ...rest] = value.split(':')
  if (
    !/^[A-Z][A-Z0-9_]{0,63}$/.test(code) ||
    rest.length > 0 ||
    (severity !== 'warning' && severity !== 'critical')
  ) {
    throw usageError('BAD_WARNING', m.badWarning(value))
  }
  return {code, severity}
}
