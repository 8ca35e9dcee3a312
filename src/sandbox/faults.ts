import {parseDuration} from '../lib/duration.js'

/** Fault injection for /v1 calls, as `PUT /_sandbox/faults` takes it. Rates are shares from 0 to 1. */
export interface Faults {
  errorRate: number
  dropRate: number
  latencyMs: number
  rateLimitRate: number
}

export const NO_FAULTS: Faults = {errorRate: 0, dropRate: 0, latencyMs: 0, rateLimitRate: 0}

const KEYS: Record<string, keyof Faults> = {
  error: 'errorRate',
  drop: 'dropRate',
  latency: 'latencyMs',
  ratelimit: 'rateLimitRate',
}

/**
 * `error=0.2,drop=0.05,latency=100ms,ratelimit=0.1` (the `--faults` flag). Returns the faults, or a sentence
 * saying which part is wrong.
 */
export function parseFaultSpec(spec: string): Faults | string {
  const faults: Faults = {...NO_FAULTS}
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', value = ''] = part.split('=').map((p) => p.trim())
    const key = KEYS[name.toLowerCase()]
    if (!key) return `unknown fault "${name}" (use error, drop, latency, ratelimit)`
    if (key === 'latencyMs') {
      const ms = parseDuration(/^\d+$/.test(value) ? `${value}ms` : value)
      if (ms === undefined || ms > 60_000)
        return `latency "${value}" is not a duration up to 60s (e.g. 100ms)`
      faults.latencyMs = ms
    } else {
      const rate = Number(value)
      if (value === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
        return `${name} "${value}" is not a rate from 0 to 1`
      faults[key] = rate
    }
  }
  return faults
}

export function completeFaults(partial: Partial<Faults>): Faults {
  return {...NO_FAULTS, ...partial}
}
