import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {profileName} from '../../lib/config/paths.js'
import {usageError} from '../../lib/errors.js'
import {parseAtFlag} from '../../lib/license/dates.js'
import {EDITIONS} from '../../lib/license/fields.js'
import {expandLicenseInputs} from '../../lib/license/inputs.js'
import {writeJUnit} from '../../lib/license/junit.js'
import {verifyFiles, type VerifyReport} from '../../lib/license/report.js'
import {loadTrust} from '../../lib/license/trust.js'
import {messages} from '../../lib/messages/index.js'
import {summaryLine, verdictLine} from '../../lib/render/license.js'

const m = messages.license.verify

export default class LicenseVerify extends BaseCommand<typeof LicenseVerify> {
  static summary = m.summary
  static description = m.description
  static strict = false
  static args = {
    files: Args.string({required: true, description: m.argFiles}),
  }
  static flags = {
    ca: Flags.string({multiple: true, multipleNonGreedy: true, description: m.flagCa, helpValue: 'FILE'}),
    at: Flags.string({description: m.flagAt, helpValue: 'DATE'}),
    edition: Flags.option({options: EDITIONS, description: m.flagEdition})(),
    company: Flags.string({description: m.flagCompany, helpValue: 'NAME'}),
    junit: Flags.string({description: m.flagJunit, helpValue: 'FILE'}),
    profile: Flags.string({description: m.flagProfile, helpValue: 'NAME'}),
  }
  static examples = [
    '<%= config.bin %> license verify --ca root.pem license_rma_Mueller_premium_signed.xml',
    '<%= config.bin %> license verify --json --junit report.xml licenses/',
    '<%= config.bin %> license verify --edition premium --company "Müller & Söhne GmbH" --at 2027-06-01 *.xml',
  ]

  async run(): Promise<VerifyReport> {
    const at = this.flags.at === undefined ? new Date() : parseAtFlag(this.flags.at)
    if (!at) throw usageError('BAD_DATE', messages.license.inputs.badDate(this.flags.at ?? ''))
    const inputs = await expandLicenseInputs(this.positionals)
    const trust = await loadTrust({
      caFiles: this.flags.ca,
      env: process.env,
      profile: profileName(this.flags.profile),
    })
    const report = await verifyFiles(
      inputs,
      {trust, at, edition: this.flags.edition, company: this.flags.company},
      (verdict) => this.say(verdictLine(verdict, this.chalk)),
    )
    if (this.flags.junit) await writeJUnit(this.flags.junit, report)
    this.say(summaryLine(report, this.chalk))
    this.exitWith(report.summary.invalid > 0 ? 'CHECK_FAILED' : 'OK')
    return report
  }
}
