import {writeFile} from 'node:fs/promises'

import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'
import type {VerifyReport} from './report.js'

/** One `<testcase>` per file; a failure carries the codes as its type and the reasons as its text. */
export function junitXml(report: VerifyReport): string {
  const cases = report.results.map((result) => {
    const name = `name="${escape(result.file)}" classname="tcrmm.license.verify"`
    if (result.valid) return `    <testcase ${name}/>`
    const codes = result.errors.map((e) => e.code).join(' ')
    const text = result.errors.map((e) => `${e.code}: ${e.message}`).join('\n')
    return `    <testcase ${name}>\n      <failure type="${escape(codes)}" message="${escape(codes)}">${escape(text)}</failure>\n    </testcase>`
  })
  const {total, invalid} = report.summary
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tcrmm license verify" tests="${total}" failures="${invalid}" errors="0">`,
    `  <testsuite name="license verify" tests="${total}" failures="${invalid}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

export async function writeJUnit(path: string, report: VerifyReport): Promise<void> {
  try {
    await writeFile(path, junitXml(report), 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error)
    throw usageError('JUNIT_UNWRITABLE', messages.license.inputs.junitUnwritable(path, reason))
  }
}

function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
}
