import type {ChalkInstance} from 'chalk'

import {profileName} from '../config/paths.js'
import {type ExitKind, usageError} from '../errors.js'
import {messages} from '../messages/index.js'
import {summaryLine, verdictLine} from '../render/license.js'
import {parseAtFlag} from './dates.js'
import type {Edition} from './fields.js'
import {expandLicenseInputs} from './inputs.js'
import {writeJUnit} from './junit.js'
import {verifyFiles, type VerifyReport} from './report.js'
import {loadTrust} from './trust.js'

/** What `license verify` was asked, however its argv was parsed (oclif, or the start-up fast path). */
export interface LicenseVerifyRequest {
  files: string[]
  ca?: string[]
  at?: string
  edition?: Edition
  company?: string
  junit?: string
  profile?: string
}

/** Where human lines go; in JSON mode `say` drops them. */
export interface HumanOutput {
  say(line: string): void
  chalk: ChalkInstance
}

/** `license verify` from parsed input to report and exit kind: one body for both ways in. */
export async function runLicenseVerify(
  request: LicenseVerifyRequest,
  output: HumanOutput,
): Promise<{report: VerifyReport; exit: ExitKind}> {
  const at = request.at === undefined ? new Date() : parseAtFlag(request.at)
  if (!at) throw usageError('BAD_DATE', messages.license.inputs.badDate(request.at ?? ''))
  const inputs = await expandLicenseInputs(request.files)
  const trust = await loadTrust({
    caFiles: request.ca,
    env: process.env,
    profile: profileName(request.profile),
  })
  const report = await verifyFiles(
    inputs,
    {trust, at, edition: request.edition, company: request.company},
    (verdict) => output.say(verdictLine(verdict, output.chalk)),
  )
  if (request.junit) await writeJUnit(request.junit, report)
  output.say(summaryLine(report, output.chalk))
  return {report, exit: report.summary.invalid > 0 ? 'CHECK_FAILED' : 'OK'}
}
