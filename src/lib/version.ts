/**
 * timeCard versions as installations report them (`23.04.01`, `23.4.1`, `24`). They are compared number by
 * number, never as strings: `23.4.1` is `23.04.01`, and `23.10` is newer than `23.9`.
 */

/** The oldest installation version the RMM accepts (rmm-api.md: registration refuses anything older). */
export const MIN_TC_VERSION = '23.04.01'

const MAX_PARTS = 4
const MAX_PART = 9999
// ASCII digits only: `\d` without the u flag, so look-alike digits from other scripts are refused.
const VERSION_SHAPE = /^\d+(?:\.\d+)*$/

/** The numbers of a version, or undefined unless it is 1–4 dot-separated decimal numbers of at most 9999 each. */
export function parseTcVersion(text: string): number[] | undefined {
  const trimmed = text.trim()
  if (!VERSION_SHAPE.test(trimmed)) return undefined
  const parts = trimmed.split('.').map(Number)
  if (parts.length > MAX_PARTS) return undefined
  // Leading zeros are fine (`04`), so the limit is on the value, not on the number of digits.
  if (parts.some((part) => part > MAX_PART)) return undefined
  return parts
}

/** Negative when a is older, 0 when equal, positive when a is newer; missing trailing parts count as 0. */
export function compareTcVersions(a: number[], b: number[]): number {
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0)
    if (difference !== 0) return Math.sign(difference)
  }
  return 0
}

const MIN_PARTS = parseTcVersion(MIN_TC_VERSION) as number[]

/** Whether an installation of this version can be linked to the RMM. */
export function isSupportedTcVersion(text: string): 'ok' | 'too-old' | 'invalid' {
  const parts = parseTcVersion(text)
  if (parts === undefined) return 'invalid'
  return compareTcVersions(parts, MIN_PARTS) < 0 ? 'too-old' : 'ok'
}
