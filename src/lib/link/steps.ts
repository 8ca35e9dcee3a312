import {readFile} from 'node:fs/promises'

import type {ApiClient} from '../api/client.js'
import type {Agent} from '../customers/types.js'
import type {LicenseFields} from '../license/fields.js'
import {parsePemBundle, type TrustMaterial} from '../license/trust.js'
import {normalizeCompany, verifyLicenseBytes} from '../license/verify.js'
import {messages} from '../messages/index.js'
import {isSupportedTcVersion} from '../version.js'

/** One line of a step: ✓ or ✗, what it says, and for ✗ what to do. */
export interface Check {
  ok: boolean
  message: string
  fix?: string[]
}

export interface Partner {
  company: string
  partnerId: string
  edition: 'standard' | 'premium'
}

export function checkVersion(tcVersion: string): Check {
  const l = messages.link
  const verdict = isSupportedTcVersion(tcVersion)
  if (verdict === 'ok') return {ok: true, message: l.versionOk(tcVersion.trim())}
  if (verdict === 'too-old')
    return {ok: false, message: l.versionTooOld(tcVersion), fix: [l.versionTooOldFix]}
  return {ok: false, message: l.versionInvalid(tcVersion), fix: [l.versionInvalidFix]}
}

/** The license verifies offline against the trust roots and belongs to this partner. */
export async function checkLicense(
  file: string,
  partner: Partner,
  trust: TrustMaterial,
  now: Date,
): Promise<{check: Check; license?: LicenseFields}> {
  const l = messages.link
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    return {
      check: {
        ok: false,
        message: l.licenseUnreadable(file, (error as NodeJS.ErrnoException).code ?? String(error)),
      },
    }
  }
  const verdict = verifyLicenseBytes(bytes, file, {trust, at: now})
  if (!verdict.valid || !verdict.license) {
    const reason = verdict.errors[0]?.message ?? ''
    return {check: {ok: false, message: l.licenseInvalid(reason), fix: [l.licenseInvalidFix]}}
  }
  const license = verdict.license
  if (
    license.partnerId !== partner.partnerId ||
    normalizeCompany(license.company) !== normalizeCompany(partner.company)
  ) {
    return {
      check: {
        ok: false,
        message: l.licenseForeign(license.company, license.partnerId),
        fix: [l.licenseForeignFix],
      },
    }
  }
  return {check: {ok: true, message: l.licenseOk(license.edition, file)}, license}
}

/** Trust roots for the license check: the cache of `tcrmm login`, else the server's (environment credentials). */
export async function trustFromServer(client: ApiClient): Promise<TrustMaterial> {
  const [trust, revocations] = await Promise.all([
    client.get<{roots: string[]}>('/v1/license/trust'),
    client.get<{licenseIds: string[]}>('/v1/license/revocations'),
  ])
  return {
    roots: trust.body.roots.flatMap((pem) => parsePemBundle(pem, 'the RMM')),
    revokedLicenseIds: new Set(revocations.body.licenseIds),
    source: 'server',
  }
}

export async function findAgent(
  client: ApiClient,
  agentId: string,
  unassignedOnly: boolean,
): Promise<Agent | undefined> {
  for await (const agent of client.paginate<Agent>('/v1/agents', unassignedOnly ? {unassigned: true} : {})) {
    if (agent.agentId === agentId) return agent
  }
  return undefined
}

export interface WaitOptions {
  timeoutMs: number
  signal: AbortSignal
  /** Called about once a second with the elapsed time, for the spinner or the periodic line. */
  onTick?: (elapsedMs: number) => void
  now?: () => number
}

/**
 * Polls until the agent has connected, with backoff from 1 s to 10 s. Resolves with the agent, or undefined on
 * timeout; rejects only on API errors. An abort (Ctrl-C) resolves undefined at once.
 */
export async function waitForAgent(
  client: ApiClient,
  agentId: string,
  options: WaitOptions,
): Promise<Agent | undefined> {
  const now = options.now ?? Date.now
  const started = now()
  const ticker = setInterval(() => options.onTick?.(now() - started), 1000)
  try {
    let delay = 1000
    for (;;) {
      const agent = await findAgent(client, agentId, false)
      if (agent) return agent
      const elapsed = now() - started
      if (elapsed >= options.timeoutMs || options.signal.aborted) return undefined
      await abortableSleep(Math.min(delay, options.timeoutMs - elapsed), options.signal)
      if (options.signal.aborted) return undefined
      delay = Math.min(10_000, Math.round(delay * 1.5))
    }
  } finally {
    clearInterval(ticker)
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, {once: true})
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
