import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {usageError} from '../../lib/errors.js'
import {parseDuration} from '../../lib/duration.js'
import {messages} from '../../lib/messages/index.js'

const m = messages.sandbox.start

export default class SandboxStart extends BaseCommand<typeof SandboxStart> {
  static summary = m.summary
  static description = m.description
  static flags = {
    port: Flags.integer({description: m.flagPort, default: 0, min: 0, max: 65_535}),
    'data-dir': Flags.string({description: m.flagDataDir, helpValue: 'DIR'}),
    seed: Flags.integer({description: m.flagSeed, min: 0, max: 100_000, helpValue: 'N'}),
    edition: Flags.option({options: ['standard', 'premium'] as const, description: m.flagEdition})(),
    company: Flags.string({description: m.flagCompany, helpValue: 'NAME'}),
    'offline-after': Flags.string({description: m.flagOfflineAfter, default: '15m', helpValue: 'DURATION'}),
    'token-ttl': Flags.string({description: m.flagTokenTtl, default: '1h', helpValue: 'DURATION'}),
    faults: Flags.string({description: m.flagFaults, helpValue: 'SPEC'}),
  }
  static examples = [
    '<%= config.bin %> sandbox start',
    '<%= config.bin %> sandbox start --port 0 --data-dir ./rmm-sandbox --json',
    '<%= config.bin %> sandbox start --seed 1000 --edition standard',
    '<%= config.bin %> sandbox start --faults error=0.2,drop=0.05,latency=100ms,ratelimit=0.1',
  ]

  async run(): Promise<void> {
    const {flags} = this
    // Listen for the signals from the start: a script may stop the sandbox right after (or even before) the JSON
    // line, and it must still shut down cleanly and remove its temporary dir.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    const offlineAfterMs = this.duration('--offline-after', flags['offline-after'])
    const tokenTtlMs = this.duration('--token-ttl', flags['token-ttl'])
    // The server and everything it needs load only here, so other commands never pay for them.
    const [{startSandbox}, {NO_FAULTS, parseFaultSpec}] = await Promise.all([
      import('../../sandbox/start.js'),
      import('../../sandbox/faults.js'),
    ])
    const faults = flags.faults === undefined ? NO_FAULTS : parseFaultSpec(flags.faults)
    if (typeof faults === 'string') throw usageError('BAD_FAULTS', m.badFaults(faults))

    let sandbox
    try {
      sandbox = await startSandbox({
        port: flags.port,
        dataDir: flags['data-dir'],
        seed: flags.seed,
        edition: flags.edition,
        company: flags.company,
        offlineAfterMs,
        tokenTtlMs,
        faults,
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') throw usageError('PORT_IN_USE', m.portInUse(flags.port))
      if (
        flags['data-dir'] &&
        (code === 'EACCES' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EROFS')
      ) {
        throw usageError('BAD_DATA_DIR', m.badDataDir(flags['data-dir'], code))
      }
      throw error
    }

    const {info} = sandbox
    if (this.jsonEnabled()) {
      process.stdout.write(JSON.stringify(info) + '\n')
    } else {
      const c = this.chalk
      const server = `--server ${info.url}`
      this.log(
        [
          c.green.bold(`✓ ${m.bannerTitle(info.url)}`),
          m.bannerPartner(info.company, info.partnerId, sandbox.store.meta?.partner.edition ?? ''),
          m.bannerFiles,
          m.bannerCredentials(info.credentialsFile),
          m.bannerStandard(info.licenses.standard),
          m.bannerPremium(info.licenses.premium),
          m.bannerRoot(info.rootCertificate),
          '',
          m.bannerTry,
          `  tcrmm license verify --ca "${info.rootCertificate}" "${info.licenses.premium}"`,
          `  tcrmm sandbox installation ${server} --credentials-file "${info.credentialsFile}" \\`,
          `      --company "Bäckerei Schmidt" --tc-version 23.04.01 --license "${info.licenses.premium}"`,
          `  tcrmm login ${server} --credentials-file "${info.credentialsFile}"`,
          '',
          c.dim(m.bannerStop),
        ].join('\n'),
      )
    }

    await stopped
    await sandbox.close()
    if (!this.jsonEnabled()) this.log(m.stopped)
  }

  private duration(flag: string, value: string): number {
    const ms = parseDuration(value)
    if (ms === undefined || ms <= 0) throw usageError('BAD_DURATION', m.badDuration(flag, value))
    return ms
  }
}
