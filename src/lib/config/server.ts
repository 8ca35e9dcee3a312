import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'

export const DEFAULT_SERVER = 'https://rmm.timecard.de'

/**
 * `--server` > TCRMM_SERVER > profile > the production RMM (cli.md). Plain http is refused except for loopback
 * (the sandbox): TLS is never switched off silently.
 */
export function resolveServerUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  profileServer?: string,
): string {
  const raw = flag ?? env.TCRMM_SERVER ?? profileServer ?? DEFAULT_SERVER
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw usageError('BAD_SERVER', messages.config.badServer(raw))
  }
  if (url.username || url.password) throw usageError('BAD_SERVER', messages.config.serverWithCredentials)
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw usageError('INSECURE_SERVER', messages.config.insecureServer(raw))
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw usageError('BAD_SERVER', messages.config.badServer(raw))
  return url.origin + url.pathname.replace(/\/+$/, '')
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]'
}
