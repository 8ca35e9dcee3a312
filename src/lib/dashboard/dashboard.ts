import type {ApiClient} from '../api/client.js'

export type Status = 'ok' | 'warning' | 'critical' | 'offline'
export type Threshold = 'warning' | 'critical'

export interface DashboardWarning {
  code: string
  severity: 'warning' | 'critical'
  message: string
  since: string
}

export interface DashboardRow {
  customerNumber: string
  agentId: string
  name: string | null
  status: Status
  /** null in the standard edition: the count is there, the details are premium. */
  warnings: DashboardWarning[] | null
  warningCount: number
  tcVersion: string
  lastContactAt: string
}

export interface DashboardSummary {
  customers: number
  ok: number
  warning: number
  critical: number
  offline: number
}

/** `tcrmm dashboard --json` (cli.md). */
export interface DashboardReport {
  summary: DashboardSummary
  customers: DashboardRow[]
}

const PAGE_SIZE = 1000

/** Worst first: offline and critical before warning before ok; then by customer number. */
const RANK: Record<Status, number> = {critical: 0, offline: 1, warning: 2, ok: 3}

export function sortWorstFirst(rows: DashboardRow[]): DashboardRow[] {
  return rows.sort(
    (a, b) =>
      RANK[a.status] - RANK[b.status] ||
      b.warningCount - a.warningCount ||
      (a.customerNumber < b.customerNumber ? -1 : a.customerNumber > b.customerNumber ? 1 : 0),
  )
}

/**
 * Every page of `GET /v1/dashboard`. Cursor pages come one after the other, so the next page is requested while
 * the previous one is still being processed (one request in flight ahead), and pages are large.
 */
export async function fetchDashboard(client: ApiClient): Promise<DashboardReport> {
  type Page = {summary: DashboardSummary; customers: DashboardRow[]; nextCursor: string | null}
  const get = (cursor?: string) =>
    client.get<Page>('/v1/dashboard', {limit: PAGE_SIZE, cursor}).then((r) => r.body)
  const first = await get()
  const rows: DashboardRow[] = [...first.customers]
  let next = first.nextCursor ? get(first.nextCursor) : undefined
  while (next) {
    const page = await next
    next = page.nextCursor ? get(page.nextCursor) : undefined
    for (const row of page.customers) rows.push(row)
  }
  // The summary counts every customer on the server; recount from the rows so both always agree.
  return {summary: summarize(rows), customers: sortWorstFirst(rows)}
}

export function summarize(rows: DashboardRow[]): DashboardSummary {
  const summary: DashboardSummary = {customers: rows.length, ok: 0, warning: 0, critical: 0, offline: 0}
  for (const row of rows) summary[row.status]++
  return summary
}

/** Whether `--fail-on` is reached: `warning` by any row not ok; `critical` by critical or offline rows. */
export function thresholdReached(summary: DashboardSummary, threshold: Threshold | undefined): boolean {
  if (!threshold) return false
  const severe = summary.critical + summary.offline
  return threshold === 'critical' ? severe > 0 : severe + summary.warning > 0
}

export function onlyWithWarnings(report: DashboardReport): DashboardReport {
  return {
    summary: report.summary,
    customers: report.customers.filter((row) => row.status !== 'ok' || row.warningCount > 0),
  }
}
