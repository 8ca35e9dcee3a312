import {X509Certificate} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {delimiter} from 'node:path'

import {licenseTrustCachePath} from '../config/paths.js'
import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'

/** What a license is checked against: the roots the caller trusts and the revoked license ids. */
export interface TrustMaterial {
  roots: X509Certificate[]
  revokedLicenseIds: Set<string>
  /** Where the roots came from, for messages: file paths or the cache. */
  source: string
}

/** The cache file `tcrmm login` writes per profile (license-trust.json). */
export interface LicenseTrustCache {
  roots: string[]
  revocations?: {licenseIds: string[]; updatedAt?: string}
  fetchedAt?: string
}

export interface TrustSources {
  caFiles: string[] | undefined
  env: NodeJS.ProcessEnv
  profile: string
}

/**
 * `--ca` files, else TCRMM_LICENSE_CA (one or more paths), else the profile cache from `tcrmm login`.
 * Revocations come from the cache whenever it exists. No root at all is a usage error (exit 2).
 */
export async function loadTrust({caFiles, env, profile}: TrustSources): Promise<TrustMaterial> {
  const t = messages.license.trust
  const cache = await readTrustCache(licenseTrustCachePath(profile, env))
  const revokedLicenseIds = new Set(cache.value?.revocations?.licenseIds ?? [])
  const explicit = caFiles?.length ? caFiles : (env.TCRMM_LICENSE_CA ?? '').split(delimiter).filter(Boolean)
  if (explicit.length > 0) {
    const roots = (await Promise.all(explicit.map(readPemFile))).flat()
    return {roots, revokedLicenseIds, source: explicit.join(', ')}
  }
  if (cache.error) throw cache.error
  if (!cache.value || cache.value.roots.length === 0)
    throw usageError('NO_TRUSTED_ROOT', t.noRoot, t.noRootHints)
  const roots = cache.value.roots.flatMap((pem) => parsePemBundle(pem, cache.path))
  return {roots, revokedLicenseIds, source: cache.path}
}

async function readTrustCache(
  path: string,
): Promise<{path: string; value?: LicenseTrustCache; error?: Error}> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return {path}
  }
  try {
    const value = JSON.parse(text) as LicenseTrustCache
    if (!Array.isArray(value.roots) || !value.roots.every((r) => typeof r === 'string'))
      throw new Error('roots')
    return {path, value}
  } catch {
    return {path, error: usageError('TRUST_CACHE_UNREADABLE', messages.license.trust.cacheUnreadable(path))}
  }
}

async function readPemFile(path: string): Promise<X509Certificate[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error)
    throw usageError('CA_UNREADABLE', messages.license.trust.caUnreadable(path, reason))
  }
  return parsePemBundle(text, path)
}

/** Every CERTIFICATE block of a PEM bundle; other blocks (keys, CRLs) are ignored. */
export function parsePemBundle(text: string, source: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) throw usageError('CA_EMPTY', messages.license.trust.caEmpty(source))
  return blocks.map((block) => {
    try {
      return new X509Certificate(block)
    } catch {
      throw usageError('CA_INVALID', messages.license.trust.caInvalid(source))
    }
  })
}
