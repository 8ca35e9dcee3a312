/**
 * Durations in flags: `500ms`, `30s`, `15m`, `2h`, `1d`, combinations like `1h30m`, or a plain number of seconds.
 * Returns milliseconds, or undefined for anything else.
 */
const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

export function parseDuration(text: string): number | undefined {
  const value = text.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  if (!/^(\d+(ms|s|m|h|d))+$/.test(value)) return undefined
  let total = 0
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|s|m|h|d)/g))
    total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0)
  return Number.isSafeInteger(total) ? total : undefined
}

/** `3 min`, `2 h 5 min`: for humans, coarse. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  return `${Math.floor(hours / 24)} d`
}
