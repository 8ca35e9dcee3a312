import type {ChalkInstance} from 'chalk'

import {printable} from './license.js'

/** Label/value lines with the labels aligned, for `whoami`, `customer show` and the like. */
export function renderFields(rows: Array<[string, string]>, chalk: ChalkInstance): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${chalk.dim(label.padEnd(width))}  ${printable(value)}`).join('\n')
}
