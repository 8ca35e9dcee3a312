import {Flags} from '@oclif/core'

import {ApiCommand} from '../lib/api-command.js'
import {
  type DashboardReport,
  fetchDashboard,
  onlyWithWarnings,
  thresholdReached,
} from '../lib/dashboard/dashboard.js'
import {usageError} from '../lib/errors.js'
import {messages} from '../lib/messages/index.js'
import {dashboardLines} from '../lib/render/dashboard.js'

const m = messages.dashboard
const DEFAULT_WATCH_SECONDS = '10'

export default class Dashboard extends ApiCommand<typeof Dashboard> {
  static summary = m.summary
  static description = m.description
  static flags = {
    watch: Flags.string({description: m.flagWatch, helpValue: '[SECONDS]'}),
    'warnings-only': Flags.boolean({description: m.flagWarningsOnly}),
    'fail-on': Flags.option({options: ['warning', 'critical'] as const, description: m.flagFailOn})(),
  }
  static examples = [
    '<%= config.bin %> dashboard',
    '<%= config.bin %> dashboard --warnings-only --watch',
    '<%= config.bin %> dashboard --json --fail-on critical   # for monitoring: exit 1 when reached',
  ]

  /** `--watch` takes an optional value: a bare `--watch` gets the default before oclif parses. */
  public override async init(): Promise<void> {
    const index = this.argv.indexOf('--watch')
    if (index !== -1 && !/^\d+(\.\d+)?$/.test(this.argv[index + 1] ?? '')) {
      this.argv.splice(index + 1, 0, DEFAULT_WATCH_SECONDS)
    }
    await super.init()
  }

  async run(): Promise<DashboardReport | undefined> {
    const {flags} = this
    const watchSeconds = flags.watch === undefined ? undefined : Number(flags.watch)
    if (watchSeconds !== undefined && !(watchSeconds >= 1))
      throw usageError('BAD_WATCH', m.badWatch(flags.watch ?? ''))
    const {client} = await this.session()
    const load = async () => {
      const report = await fetchDashboard(client)
      return flags['warnings-only'] ? onlyWithWarnings(report) : report
    }
    if (watchSeconds === undefined) {
      const report = await load()
      if (!this.jsonEnabled()) await this.write(report)
      const reached = thresholdReached(report.summary, flags['fail-on'])
      if (reached && !this.jsonEnabled())
        process.stderr.write(this.chalk.red(m.failOnReached(flags['fail-on'] ?? '')) + '\n')
      this.exitWith(reached ? 'CHECK_FAILED' : 'OK')
      return report
    }
    await this.watch(load, watchSeconds)
    return undefined
  }

  /** Redraws until SIGINT/SIGTERM, then exits 0: in place on a terminal, as repeated blocks (or JSON lines) otherwise. */
  private async watch(load: () => Promise<DashboardReport>, seconds: number): Promise<void> {
    const stop = new AbortController()
    const onSignal = () => stop.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const inPlace = Boolean(process.stdout.isTTY) && !this.jsonEnabled()
    try {
      while (!stop.signal.aborted) {
        const report = await load()
        if (this.jsonEnabled()) process.stdout.write(JSON.stringify(report) + '\n')
        else {
          if (inPlace) process.stdout.write('\u001B[2J\u001B[H')
          await this.write(report)
          this.log(this.chalk.dim(m.watching(seconds, new Date().toLocaleTimeString())))
          if (!inPlace) this.log('')
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, seconds * 1000)
          stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {once: true})
        })
      }
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }

  /** Writes in chunks, waiting for the terminal or pipe to drain: 10,000 rows never become one giant string. */
  private async write(report: DashboardReport): Promise<void> {
    let chunk: string[] = []
    const flush = async () => {
      if (chunk.length === 0) return
      const text = chunk.join('\n') + '\n'
      chunk = []
      if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve))
    }
    for (const line of dashboardLines(report, this.chalk, new Date())) {
      chunk.push(line)
      if (chunk.length >= 500) await flush()
    }
    await flush()
  }
}
