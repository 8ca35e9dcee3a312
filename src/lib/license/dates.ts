/**
 * xs:dateTime, strictly: `YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`. A value without a zone is read as UTC (the
 * format asks for UTC or an offset; a missing zone is accepted rather than guessed as local time).
 */
const XS_DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/

export function parseXsDateTime(value: string): Date | undefined {
  const match = XS_DATE_TIME.exec(value.trim())
  if (!match) return undefined
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match
  const y = Number(year)
  const mo = Number(month)
  const da = Number(day)
  const h = Number(hour)
  const mi = Number(minute)
  const s = Number(second)
  if (mo < 1 || mo > 12 || da < 1 || da > daysInMonth(y, mo)) return undefined
  const endOfDay = h === 24 && mi === 0 && s === 0 && /^\.?0*$/.test(fraction)
  if ((h > 23 && !endOfDay) || mi > 59 || s > 59) return undefined
  let offsetMinutes = 0
  if (zone !== 'Z') {
    const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number]
    if (zh > 14 || zm > 59 || (zh === 14 && zm !== 0)) return undefined
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zh * 60 + zm)
  }
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, da)
  date.setUTCHours(h, mi, s, Math.floor(Number(`0${fraction || '.0'}`) * 1000))
  const time = date.getTime() - offsetMinutes * 60_000
  return Number.isFinite(time) ? new Date(time) : undefined
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** ISO 8601 in UTC, without milliseconds when there are none: `2027-12-31T23:59:59Z`. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z')
}

/** `--at`: an xs:dateTime, or a plain date meaning its start in UTC. */
export function parseAtFlag(value: string): Date | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim())
    ? parseXsDateTime(`${value.trim()}T00:00:00Z`)
    : parseXsDateTime(value)
}
