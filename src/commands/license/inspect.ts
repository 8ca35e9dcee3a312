import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/base-command.js'
import {profileName} from '../../lib/config/paths.js'
import {CliError, usageError} from '../../lib/errors.js'
import {parseAtFlag} from '../../lib/license/dates.js'
import {expandLicenseInputs} from '../../lib/license/inputs.js'
import {type InspectReport, inspectLicense} from '../../lib/license/inspect.js'
import {loadTrust, type TrustMaterial} from '../../lib/license/trust.js'
import {messages} from '../../lib/messages/index.js'
import {inspectLines} from '../../lib/render/license.js'

const m = messages.license.inspect

export default class LicenseInspect extends BaseCommand<typeof LicenseInspect> {
  static summary = m.summary
  static description = m.description
  static args = {
    file: Args.string({required: true, description: m.argFile}),
  }
  static flags = {
    ca: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: messages.license.verify.flagCa,
      helpValue: 'FILE',
    }),
    at: Flags.string({description: messages.license.verify.flagAt, helpValue: 'DATE'}),
    profile: Flags.string({description: messages.license.verify.flagProfile, helpValue: 'NAME'}),
  }
  static examples = [
    '<%= config.bin %> license inspect license_rma_Mueller_premium_signed.xml',
    '<%= config.bin %> license inspect --ca root.pem --json license_rma_Mueller_standard_signed.xml',
  ]

  async run(): Promise<InspectReport> {
    const at = this.flags.at === undefined ? new Date() : parseAtFlag(this.flags.at)
    if (!at) throw usageError('BAD_DATE', messages.license.inputs.badDate(this.flags.at ?? ''))
    const [input] = await expandLicenseInputs([this.args.file])
    if (!input) throw usageError('NO_FILES', messages.license.inputs.noFiles)
    const report = await inspectLicense(input.path, input.file, {trust: await this.trust(), at})
    this.say(inspectLines(report, this.chalk).join('\n'))
    this.exitWith(report.verified ? 'OK' : 'CHECK_FAILED')
    return report
  }

  /** Inspecting needs no root: without one, the fields are shown as UNVERIFIED claims. */
  private async trust(): Promise<TrustMaterial | undefined> {
    try {
      return await loadTrust({
        caFiles: this.flags.ca,
        env: process.env,
        profile: profileName(this.flags.profile),
      })
    } catch (error) {
      if (error instanceof CliError && error.code === 'NO_TRUSTED_ROOT') return undefined
      throw error
    }
  }
}
