import type {Agents} from 'got'
import {readFileSync} from 'node:fs'
import {rootCertificates} from 'node:tls'

import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'

export interface Transport {
  agent?: Agents
  certificateAuthority?: string[]
}

/**
 * How to reach the server: through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY exempts it (proxy-from-env, the
 * rules curl uses), and with `--ca-file` trusted in addition to Node's roots and NODE_EXTRA_CA_CERTS.
 * TLS verification stays on in every case.
 */
export async function transportFor(
  baseUrl: string,
  options: {caFile?: string; env: NodeJS.ProcessEnv},
): Promise<Transport> {
  const transport: Transport = {}
  if (options.caFile) {
    // Passing `ca` replaces Node's store, so the defaults and NODE_EXTRA_CA_CERTS are added back explicitly.
    const extra = options.env.NODE_EXTRA_CA_CERTS ? [readPem(options.env.NODE_EXTRA_CA_CERTS)] : []
    transport.certificateAuthority = [...rootCertificates, ...extra, readPem(options.caFile)]
  }
  // proxy-from-env reads the variables from process.env itself.
  const {getProxyForUrl} = await import('proxy-from-env')
  const proxy = getProxyForUrl(baseUrl)
  if (proxy) {
    const {HttpProxyAgent, HttpsProxyAgent} = await import('hpagent')
    const agentOptions = {proxy, keepAlive: true, ca: transport.certificateAuthority}
    transport.agent = baseUrl.startsWith('https:')
      ? {https: new HttpsProxyAgent(agentOptions)}
      : {http: new HttpProxyAgent(agentOptions)}
  }
  return transport
}

function readPem(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw usageError(
      'CA_FILE_UNREADABLE',
      messages.config.caFileUnreadable(path, (error as NodeJS.ErrnoException).code ?? String(error)),
    )
  }
}
