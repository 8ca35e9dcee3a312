import {ApiClient} from '../api/client.js'
import {transportFor} from '../api/transport.js'
import {profileName} from '../config/paths.js'
import {resolveServerUrl} from '../config/server.js'
import {CliError} from '../errors.js'
import {messages} from '../messages/index.js'
import {type ProfileData, ProfileStore} from './profile-store.js'
import {tokenStoreFor} from './token-store.js'

export interface SessionOptions {
  server?: string
  profile?: string
  caFile?: string
  debug?: (line: string) => void
  env: NodeJS.ProcessEnv
  now?: () => Date
}

export interface Session {
  client: ApiClient
  server: string
  apiUser: string
  profile: string
  /** `environment`: TCRMM_API_USER/TCRMM_API_PASSWORD, token in memory only; `profile`: from `tcrmm login`. */
  source: 'environment' | 'profile'
  data?: ProfileData
}

/** An API client for any user, server and transport: the one way commands build one. */
export async function apiClient(
  server: string,
  options: {
    caFile?: string
    debug?: (line: string) => void
    env: NodeJS.ProcessEnv
    getToken?: () => Promise<string | undefined>
    timeoutMs?: number
    maxRetries?: number
  },
): Promise<ApiClient> {
  const transport = await transportFor(server, {caFile: options.caFile, env: options.env})
  const {getToken, debug, timeoutMs, maxRetries} = options
  return new ApiClient({baseUrl: server, getToken, debug, timeoutMs, maxRetries, ...transport})
}

/**
 * The session of an API command: TCRMM_API_USER + TCRMM_API_PASSWORD when set (a token is fetched on first use and
 * never written anywhere), else the profile that `tcrmm login` stored. Not logged in, or a token past its expiry,
 * is exit 3 with the advice to log in.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const {env} = options
  const profile = profileName(options.profile, env)
  const store = new ProfileStore(profile, env)
  const data = await store.read()
  if (env.TCRMM_API_USER && env.TCRMM_API_PASSWORD) {
    const server = resolveServerUrl(options.server, env, data?.server)
    const credentials = {username: env.TCRMM_API_USER, password: env.TCRMM_API_PASSWORD}
    let token: Promise<string> | undefined
    const login = await apiClient(server, {...options, env})
    const client = await apiClient(server, {
      ...options,
      env,
      getToken: () =>
        (token ??= login
          .post<{accessToken: string}>('/v1/auth/token', credentials, {retryPost: true})
          .then((response) => response.body.accessToken)),
    })
    return {client, server, apiUser: env.TCRMM_API_USER, profile, source: 'environment'}
  }
  const a = messages.auth
  if (!data) throw new CliError('AUTH', 'NOT_LOGGED_IN', a.notLoggedIn(profile), a.loginHints)
  const now = (options.now ?? (() => new Date()))()
  if (Date.parse(data.tokenExpiresAt) <= now.getTime()) {
    throw new CliError('AUTH', 'TOKEN_EXPIRED', a.tokenExpired(profile, data.tokenExpiresAt), a.loginHints)
  }
  const token = await tokenStoreFor(store, data.tokenStorage)
    .get()
    .catch(() => undefined)
  if (!token) throw new CliError('AUTH', 'NOT_LOGGED_IN', a.tokenMissing(profile), a.loginHints)
  const server = resolveServerUrl(options.server, env, data.server)
  const client = await apiClient(server, {...options, env, getToken: async () => token})
  return {client, server, apiUser: data.apiUser, profile, source: 'profile', data}
}
