import type {ChalkInstance} from 'chalk'

import type {DashboardReport, DashboardRow, DashboardSummary} from '../dashboard/dashboard.js'
import {messages} from '../messages/index.js'
import {printable} from './text.js'
import {colourStatus} from './status.js'
import {relativeTime} from './time.js'

export function summaryLine(summary: DashboardSummary, chalk: ChalkInstance): string {
  const d = messages.dashboard
  return [
    chalk.bold(d.customers(summary.customers)),
    chalk.green(d.count(summary.ok, 'ok')),
    chalk.yellow(d.count(summary.warning, 'warning')),
    chalk.red(d.count(summary.critical, 'critical')),
    chalk.magenta(d.count(summary.offline, 'offline')),
  ].join('  ')
}

/**
 * The dashboard as lines, produced lazily so 10,000 customers are written in chunks instead of one huge string:
 * the summary, a header, one line per customer (worst first), and in the premium edition each warning below it.
 */
export function* dashboardLines(report: DashboardReport, chalk: ChalkInstance, now: Date): Generator<string> {
  const d = messages.dashboard
  yield summaryLine(report.summary, chalk)
  if (report.customers.length === 0) {
    yield d.none
    return
  }
  const cells = report.customers.map((row) => rowCells(row, now))
  const widths = [
    d.columns.status,
    d.columns.customerNumber,
    d.columns.customer,
    d.columns.warnings,
    d.columns.tcVersion,
  ].map((head, i) => Math.max(head.length, ...cells.map((c) => (c[i] as string).length)))
  const pad = (values: string[]) =>
    values.map((value, i) => (i < widths.length ? value.padEnd(widths[i] as number) : value)).join('  ')
  yield ''
  yield chalk.bold(pad(Object.values(d.columns)))
  for (const [i, row] of report.customers.entries()) {
    const [status, ...rest] = cells[i] as string[]
    // Pad first, colour after: escape codes must not count towards the width.
    yield pad([status as string, ...rest]).replace(status as string, colourStatus(status as string, chalk))
    for (const warning of row.warnings ?? []) {
      const mark = warning.severity === 'critical' ? chalk.red('✗') : chalk.yellow('!')
      yield `    ${mark} ${warning.code}  ${printable(warning.message)}  ${chalk.dim(d.since(relativeTime(warning.since, now)))}`
    }
  }
}

function rowCells(row: DashboardRow, now: Date): string[] {
  const customer = printable(
    row.name && row.name !== row.agentId ? `${row.name} (${row.agentId})` : row.agentId,
  )
  return [
    row.status,
    printable(row.customerNumber),
    customer,
    String(row.warningCount),
    row.tcVersion,
    relativeTime(row.lastContactAt, now),
  ]
}
