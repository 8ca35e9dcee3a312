import type {ChalkInstance} from 'chalk'

import {printable} from './text.js'

/** Label/value lines with the labels aligned, for `whoami`, `customer show` and the like. */
export function renderFields(
  rows: Array<[string, string]>,
  chalk: ChalkInstance,
  options: {indent?: string; value?: (text: string) => string; label?: (text: string) => string} = {},
): string {
  const {indent = '', value = (text: string) => text, label = chalk.dim} = options
  const width = Math.max(...rows.map(([name]) => name.length))
  return rows
    .map(([name, text]) => `${indent}${label(name.padEnd(width))}  ${value(printable(text))}`)
    .join('\n')
}
