import type {ChalkInstance} from 'chalk'

import type {LicenseFields} from '../license/fields.js'
import type {InspectReport} from '../license/inspect.js'
import type {VerifyReport} from '../license/report.js'
import type {LicenseVerdict} from '../license/verify.js'
import {messages} from '../messages/index.js'
import {renderFields} from './fields.js'
import {printable} from './text.js'

/** One line per file: ✓/✗, edition, company, validity, and for a refusal the code with its reason in plain words. */
export function verdictLine(verdict: LicenseVerdict, chalk: ChalkInstance): string {
  const m = messages.license.verify
  const mark = verdict.valid ? chalk.green('✓') : chalk.red('✗')
  const parts = [mark, chalk.bold(printable(verdict.file))]
  if (verdict.license)
    parts.push(verdict.license.edition, printable(verdict.license.company), validity(verdict.license))
  const lines = [parts.join('  ')]
  for (const error of verdict.errors) lines.push(`    ${chalk.red(error.code)}  ${printable(error.message)}`)
  for (const warning of verdict.warnings)
    lines.push(`    ${chalk.yellow(warning.code)}  ${printable(warning.message)}`)
  return lines.join('\n')
  function validity(license: LicenseFields): string {
    return license.validUntil ? m.validUntil(license.validUntil) : m.noEnd
  }
}

export function summaryLine(report: VerifyReport, chalk: ChalkInstance): string {
  const {total, valid, invalid} = report.summary
  const line = messages.license.verify.summaryLine(total, valid, invalid)
  return invalid > 0 ? chalk.red(line) : chalk.green(line)
}

/** `license inspect`: a VERIFIED or UNVERIFIED banner, then one labelled line per field. */
export function inspectLines(report: InspectReport, chalk: ChalkInstance): string[] {
  const m = messages.license.inspect
  const labels = m.fieldLabels
  const banner = report.verified
    ? chalk.green(`✓ ${m.verified}`)
    : chalk.yellow.bold(`! ${m.unverified(printable(report.reason ?? ''))}`)
  const lines = [chalk.bold(printable(report.file)), banner]
  const fields = report.fields
  if (!fields) return [...lines, `  ${m.notReadable}`]
  const rows: Array<[string, unknown]> = [
    [labels.licenseId, fields.licenseId],
    [labels.edition, fields.edition],
    [labels.company, fields.company],
    [labels.partnerId, fields.partnerId],
    [labels.issuedAt, fields.issuedAt],
    [labels.validFrom, fields.validFrom],
    [labels.validUntil, fields.validUntil],
    [labels.maxCustomers, fields.maxCustomers],
    [labels.features, fields.features.join(', ')],
    [labels.unknownFields, fields.unknownFields.join(', ')],
  ]
  if (report.signer) {
    rows.push(
      [labels.signer, report.signer.subject],
      [labels.fingerprint, report.signer.fingerprintSha256],
      [labels.algorithm, report.signer.algorithm],
    )
  }
  const shown = rows.map(([label, value]): [string, string] => [
    label,
    value === null || value === undefined || value === '' ? m.none : String(value),
  ])
  lines.push(
    renderFields(shown, chalk, {
      indent: '  ',
      label: (t) => t,
      value: report.verified ? (t) => t : chalk.dim,
    }),
  )
  for (const error of report.verification.errors)
    lines.push(`  ${chalk.red(error.code)}  ${printable(error.message)}`)
  for (const warning of report.verification.warnings)
    lines.push(`  ${chalk.yellow(warning.code)}  ${printable(warning.message)}`)
  return lines
}
