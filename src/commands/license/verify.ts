import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {EDITIONS} from '../../lib/license/fields.js'
import type {VerifyReport} from '../../lib/license/report.js'
import {runLicenseVerify} from '../../lib/license/verify-run.js'
import {messages} from '../../lib/messages/index.js'

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
    const {report, exit} = await runLicenseVerify(
      {files: this.positionals, ...this.flags},
      {say: (line) => this.say(line), chalk: this.chalk},
    )
    this.exitWith(exit)
    return report
  }
}
