import {Flags} from '@oclif/core'

import {ApiCommand} from '../lib/api-command.js'
import {profileName} from '../lib/config/paths.js'
import {showExactly} from '../lib/customers/agent-match.js'
import {addCustomer, customerOwning, listAgents} from '../lib/customers/customers.js'
import {type DashboardRow, fetchDashboard, summarize} from '../lib/dashboard/dashboard.js'
import {formatDuration, parseDuration} from '../lib/duration.js'
import {CliError, type ExitKind, usageError} from '../lib/errors.js'
import {loadTrust, type TrustMaterial} from '../lib/license/trust.js'
import {type AgentIdWarning, agentIdWarnings} from '../lib/link/agent-id.js'
import {type Check, checkLicense, checkVersion, trustFromServer, waitForAgent} from '../lib/link/steps.js'
import {messages} from '../lib/messages/index.js'
import {askOrFail, canPrompt, terminalPrompter} from '../lib/prompts.js'
import {dashboardLines} from '../lib/render/dashboard.js'

const l = messages.link

export interface LinkResult {
  linked: boolean
  alreadyLinked: boolean
  agentId: string
  customerNumber: string
  edition: string | null
  agentIdWarnings: AgentIdWarning[]
  row: DashboardRow | null
}

export default class Link extends ApiCommand<typeof Link> {
  static summary = l.summary
  static description = l.description
  static flags = {
    company: Flags.string({description: l.flagCompany, helpValue: 'NAME'}),
    id: Flags.string({description: l.flagId, helpValue: 'NUMBER'}),
    license: Flags.string({description: l.flagLicense, helpValue: 'FILE'}),
    'tc-version': Flags.string({description: l.flagTcVersion, helpValue: 'VERSION'}),
    wait: Flags.string({description: l.flagWait, default: '10m', helpValue: 'DURATION'}),
    yes: Flags.boolean({char: 'y', description: l.flagYes}),
    ca: Flags.string({description: l.flagCa, helpValue: 'FILE'}),
  }
  static examples = [
    '<%= config.bin %> link',
    '<%= config.bin %> link --company "Bäckerei Schmidt" --tc-version 23.04.01 --license license_rma_Mueller_premium_signed.xml --id 10042 --yes',
  ]

  async run(): Promise<LinkResult> {
    const {flags} = this
    const waitMs = parseDuration(flags.wait)
    if (waitMs === undefined || waitMs <= 0) throw usageError('BAD_DURATION', l.badWait(flags.wait))
    const prompter = terminalPrompter()
    const notEmpty = (hint: string) => (value: string) => value.trim() !== '' || hint
    // Every value is settled before anything is checked or waited for: unattended runs fail fast on a missing flag.
    const company =
      flags.company ??
      (await askOrFail('--company', () =>
        prompter.input(l.promptCompany, {validate: notEmpty(l.promptCompany)}),
      ))
    const tcVersion =
      flags['tc-version'] ??
      (await askOrFail('--tc-version', () =>
        prompter.input(l.promptTcVersion, {validate: notEmpty(l.promptTcVersion)}),
      ))
    const licenseFile =
      flags.license ??
      (await askOrFail('--license', () =>
        prompter.input(l.promptLicense, {validate: notEmpty(l.promptLicense)}),
      ))
    const customerNumber = (
      flags.id ??
      (await askOrFail('--id', () => prompter.input(l.promptId, {validate: notEmpty(l.promptId)})))
    ).trim()
    for (const [flag, value] of [
      ['--company', company],
      ['--tc-version', tcVersion],
      ['--license', licenseFile],
      ['--id', customerNumber],
    ]) {
      if ((value as string).trim() === '')
        throw usageError('MISSING_INPUT', messages.common.emptyFlag(flag as string))
    }

    // Step 1: prerequisites. Each failure stops at once with the reason and the fix: no waiting.
    this.header(1, l.titles.prerequisites)
    const session = await this.session()
    const {client} = session
    const partner =
      session.data?.partner ??
      (await client.get<{company: string; partnerId: string; edition: 'standard' | 'premium'}>('/v1/partner'))
        .body
    this.check({
      ok: true,
      message: l.credentialsOk(session.apiUser, `${partner.company}, ${partner.partnerId}`),
    })
    this.check(checkVersion(tcVersion), 'VERSION')
    const {check: licenseCheck, license} = await checkLicense(
      licenseFile,
      partner,
      await this.trust(client),
      new Date(),
    )
    this.check(licenseCheck, 'LICENSE')

    // Step 2: what to type into the installation, and the agent-id trap.
    this.header(2, l.titles.registration)
    const agents = await listAgents(client, {})
    const warnings = agentIdWarnings(
      company,
      agents.map((a) => a.agentId),
    )
    this.say(`  ${l.enterIn}`)
    this.say(`    ${l.fieldCompany.padEnd(13)} ${showExactly(company)}`)
    this.say(`    ${l.fieldApiUser.padEnd(13)} ${session.apiUser}`)
    this.say(`    ${l.fieldApiPassword.padEnd(13)} ${l.passwordWhere(session.data?.credentialsFile)}`)
    this.say(`    ${l.fieldLicense.padEnd(13)} ${licenseFile}`)
    this.say(`  ${l.clickApply}`)
    if (warnings.length === 0) this.check({ok: true, message: l.agentIdIs(showExactly(company))})
    else this.say(`  ${this.chalk.yellow('!')} ${l.agentIdIs(showExactly(company))}`)
    for (const warning of warnings) this.say(`  ${this.chalk.yellow('!')} ${warning.message}`)
    if (warnings.length > 0) {
      this.say(`    ${l.trapFix}`)
      if (canPrompt() && !flags.yes && !(await prompter.confirm(l.promptContinue, false)))
        this.stop('CHECK_FAILED', 'CANCELLED', l.cancelled)
    }
    const existing = agents.find((agent) => agent.agentId === company)
    if (existing?.customerNumber) {
      if (existing.customerNumber !== customerNumber) {
        this.check(
          {ok: false, message: l.linkedElsewhere(company, existing.customerNumber)},
          'AGENT_ALREADY_ASSIGNED',
          'CONFLICT',
        )
      }
      this.say(`  ${this.chalk.green('✓')} ${l.alreadyLinked(company, customerNumber)}`)
      const row = await this.showRow(client, customerNumber)
      return {
        linked: true,
        alreadyLinked: true,
        agentId: company,
        customerNumber,
        edition: license?.edition ?? null,
        agentIdWarnings: warnings,
        row,
      }
    }

    // A number that another agent has would only fail after the wait: say so now.
    const holder = await customerOwning(client, customerNumber)
    if (holder && holder !== company) {
      this.check(
        {ok: false, message: messages.customer.add.numberTaken(customerNumber, holder)},
        'CUSTOMER_NUMBER_TAKEN',
        'CONFLICT',
      )
    }

    // Step 3: wait until the installation has registered.
    this.header(3, l.titles.wait)
    if (existing) this.check({ok: true, message: l.alreadyConnected(company)})
    else await this.waitFor(company, waitMs, client)

    // Step 4: the customer, through the same idempotent path as `customer add`.
    this.header(4, l.titles.create)
    if (
      canPrompt() &&
      !flags.yes &&
      !(await prompter.confirm(l.promptCreate(customerNumber, company), true))
    ) {
      this.stop('CHECK_FAILED', 'CANCELLED', l.cancelled)
    }
    const added = await addCustomer(client, {customerNumber, agentId: company})
    this.check({
      ok: true,
      message: (added.result === 'created' ? l.created : l.unchanged)(customerNumber, company),
    })

    // Step 5: the new customer as the dashboard shows it.
    this.header(5, l.titles.row)
    const row = await this.showRow(client, customerNumber)
    this.say(`${this.chalk.green.bold('✓')} ${l.done(customerNumber)}`)
    return {
      linked: true,
      alreadyLinked: false,
      agentId: company,
      customerNumber,
      edition: license?.edition ?? null,
      agentIdWarnings: warnings,
      row,
    }
  }

  private header(step: number, title: string): void {
    this.say(`\n${this.chalk.bold(l.step(step, title))}`)
  }

  /** ✓ and on; ✗ shows the reason and the fix, then ends the command with `kind` (exit 1 by default). */
  private check(check: Check, code = 'CHECK', kind: ExitKind = 'CHECK_FAILED'): void {
    if (check.ok) {
      this.say(`  ${this.chalk.green('✓')} ${check.message}`)
      return
    }
    this.say(`  ${this.chalk.red('✗')} ${check.message}`)
    for (const fix of check.fix ?? []) this.say(`    ${fix}`)
    this.stop(kind, code, check.message)
  }

  private stop(kind: ExitKind, code: string, message: string): never {
    const error = new CliError(kind, code, message)
    error.reported = !this.jsonEnabled()
    throw error
  }

  /** `--ca`, else the roots cached by `tcrmm login`, else (environment credentials) the server's. */
  private async trust(client: Parameters<typeof trustFromServer>[0]): Promise<TrustMaterial> {
    try {
      return await loadTrust({
        caFiles: this.flags.ca ? [this.flags.ca] : undefined,
        env: process.env,
        profile: profileName(this.flags.profile),
      })
    } catch (error) {
      if (error instanceof CliError && error.code === 'NO_TRUSTED_ROOT') return trustFromServer(client)
      throw error
    }
  }

  /** Spinner with elapsed time on a terminal, a plain line every 30 s otherwise; Ctrl-C ends it with exit 130. */
  private async waitFor(
    agentId: string,
    timeoutMs: number,
    client: Parameters<typeof waitForAgent>[0],
  ): Promise<void> {
    const abort = new AbortController()
    const onSignal = () => abort.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    const spinner = Boolean(process.stderr.isTTY) && !this.jsonEnabled()
    const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'
    let lastLine = 0
    const limit = formatDuration(timeoutMs)
    const onTick = (elapsed: number) => {
      const line = l.waiting(agentId, formatDuration(elapsed), limit)
      if (spinner)
        process.stderr.write(`\r\u001B[2K  ${frames[Math.floor(elapsed / 1000) % frames.length]} ${line}`)
      else if (elapsed - lastLine >= 30_000) {
        lastLine = elapsed
        this.say(`  … ${line}`)
      }
    }
    const started = Date.now()
    this.say(`  … ${l.waiting(agentId, formatDuration(0), limit)}`)
    try {
      const agent = await waitForAgent(client, agentId, {timeoutMs, signal: abort.signal, onTick})
      if (spinner) process.stderr.write('\r\u001B[2K')
      if (abort.signal.aborted)
        this.check({ok: false, message: messages.common.interrupted}, 'INTERRUPTED', 'INTERRUPTED')
      if (!agent)
        this.check({ok: false, message: l.timeout(agentId, limit), fix: l.timeoutFix}, 'WAIT_TIMEOUT')
      this.check({ok: true, message: l.connected(agentId, formatDuration(Date.now() - started))})
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }

  private async showRow(
    client: Parameters<typeof fetchDashboard>[0],
    customerNumber: string,
  ): Promise<DashboardRow | null> {
    const report = await fetchDashboard(client)
    const row = report.customers.find((r) => r.customerNumber === customerNumber) ?? null
    if (row) {
      const lines = [
        ...dashboardLines({summary: summarize([row]), customers: [row]}, this.chalk, new Date()),
      ].slice(2)
      for (const line of lines) this.say(`  ${line}`)
    }
    return row
  }
}
