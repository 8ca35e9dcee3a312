import type {ChalkInstance} from 'chalk'

import type {LicenseFields} from '../license/fields.js'
import type {VerifyReport} from '../license/report.js'
import type {LicenseVerdict} from '../license/verify.js'
import {messages} from '../messages/index.js'

/** One line per file: ✓/✗, edition, company, validity, and for a refusal the code with its reason in plain words. */
export function verdictLine(verdict: LicenseVerdict, chalk: ChalkInstance): string {
  const m = messages.license.verify
  const mark = verdict.valid ? chalk.green('✓') : chalk.red('✗')
  const parts = [mark, chalk.bold(printable(verdict.file))]
  if (verdict.license) parts.push(verdict.license.edition, printable(verdict.license.company), validity(verdict.license))
  const lines = [parts.join('  ')]
  for (const error of verdict.errors) lines.push(`    ${chalk.red(error.code)}  ${printable(error.message)}`)
  for (const warning of verdict.warnings) lines.push(`    ${chalk.yellow(warning.code)}  ${printable(warning.message)}`)
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

/** File names and signed text come from outside: no control characters reach the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
