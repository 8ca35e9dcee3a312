import {resolve} from 'node:path'

import {CliError} from '../errors.js'
import type {LicenseTrustCache} from '../license/trust.js'
import {parsePemBundle} from '../license/trust.js'
import {messages} from '../messages/index.js'
import type {ApiCredentials} from './credentials-file.js'
import {type ProfileData, ProfileStore} from './profile-store.js'
import {apiClient} from './session.js'
import {saveToken, tokenStoreFor} from './token-store.js'

export interface LoginInput {
  server: string
  profile: string
  credentials: ApiCredentials
  /** The credentials file the password came from, if any: remembered by path so `link` can say where it is. */
  credentialsFile?: string
  caFile?: string
  debug?: (line: string) => void
  env: NodeJS.ProcessEnv
  now?: () => Date
}

/** `tcrmm login --json`; no secret in it. */
export interface LoginResult {
  profile: string
  server: string
  apiUser: string
  partner: ProfileData['partner']
  tokenExpiresAt: string
  tokenStorage: 'keyring' | 'file'
  tokenFile: string | null
  trustRoots: number
  revokedLicenses: number
  /** True the first time this profile falls back to the token file: the command says so once. */
  fileStorageNotice: boolean
}

/**
 * Exchanges the credentials for a token and fetches everything the profile caches (partner, license trust roots,
 * revocation list) before writing anything: bad credentials or a failing server leave the previous session as it
 * was. The password is used for the one token call and never stored.
 */
export async function login(input: LoginInput): Promise<LoginResult> {
  const {env} = input
  const anonymous = await apiClient(input.server, {...input})
  const {body: token} = await anonymous.post<{accessToken: string; expiresAt: string}>(
    '/v1/auth/token',
    {username: input.credentials.apiUser, password: input.credentials.apiPassword},
    {retryPost: true},
  )
  const client = await apiClient(input.server, {...input, getToken: async () => token.accessToken})
  const [partner, trust, revocations] = await Promise.all([
    client.get<ProfileData['partner']>('/v1/partner'),
    client.get<{roots: string[]; updatedAt: string}>('/v1/license/trust'),
    client.get<{licenseIds: string[]; updatedAt: string}>('/v1/license/revocations'),
  ])
  const roots = trust.body.roots ?? []
  try {
    for (const pem of roots) parsePemBundle(pem, `${input.server}/v1/license/trust`)
  } catch {
    throw new CliError('SERVER', 'SERVER_BAD_RESPONSE', messages.auth.badTrustRoots(input.server))
  }

  const store = new ProfileStore(input.profile, env)
  const previous = await store.read()
  const tokenStore = await saveToken(store, token.accessToken, token.expiresAt, env)
  const now = (input.now ?? (() => new Date()))().toISOString()
  const cache: LicenseTrustCache = {
    roots,
    revocations: {licenseIds: revocations.body.licenseIds ?? [], updatedAt: revocations.body.updatedAt},
    fetchedAt: now,
  }
  store.writeTrust(cache)
  const data: ProfileData = {
    server: input.server,
    apiUser: input.credentials.apiUser,
    partner: {
      company: partner.body.company,
      partnerId: partner.body.partnerId,
      edition: partner.body.edition,
    },
    tokenExpiresAt: token.expiresAt,
    tokenStorage: tokenStore.kind,
    loggedInAt: now,
    ...(input.credentialsFile ? {credentialsFile: resolve(input.credentialsFile)} : {}),
  }
  await store.write(data)
  return {
    profile: input.profile,
    server: input.server,
    apiUser: data.apiUser,
    partner: data.partner,
    tokenExpiresAt: data.tokenExpiresAt,
    tokenStorage: tokenStore.kind,
    tokenFile: tokenStore.kind === 'file' ? store.tokenFile : null,
    trustRoots: roots.length,
    revokedLicenses: cache.revocations?.licenseIds.length ?? 0,
    fileStorageNotice: tokenStore.kind === 'file' && previous?.tokenStorage !== 'file',
  }
}

/** Revokes the token on the server when it answers (best effort, short timeout), and forgets it locally always. */
export async function logout(input: {
  profile: string
  env: NodeJS.ProcessEnv
  caFile?: string
  debug?: (line: string) => void
}) {
  const store = new ProfileStore(input.profile, input.env)
  const data = await store.read()
  if (!data) return {profile: input.profile, wasLoggedIn: false, revoked: false}
  const tokens = tokenStoreFor(store, data.tokenStorage)
  const token = await tokens.get().catch(() => undefined)
  let revoked = false
  if (token && Date.parse(data.tokenExpiresAt) > Date.now()) {
    try {
      const client = await apiClient(data.server, {
        ...input,
        getToken: async () => token,
        timeoutMs: 5000,
        maxRetries: 1,
      })
      await client.post('/v1/auth/revoke', undefined, {retryPost: true})
      revoked = true
    } catch {
      // Unreachable or already revoked: the local copy goes anyway.
    }
  }
  await tokens.delete()
  return {profile: input.profile, wasLoggedIn: true, revoked, server: data.server}
}
