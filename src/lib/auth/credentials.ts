import {readFile} from 'node:fs/promises'

import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'
import {type ApiCredentials, parseCredentialsFile} from './credentials-file.js'

export interface CredentialSources {
  credentialsFile?: string
  env: NodeJS.ProcessEnv
}

/**
 * The partner's API user and password for a command: `--credentials-file`, else TCRMM_API_USER +
 * TCRMM_API_PASSWORD. Nothing here is ever written anywhere. Without either it is a usage error naming both ways.
 */
export async function resolveCredentials({credentialsFile, env}: CredentialSources): Promise<ApiCredentials> {
  if (credentialsFile) {
    let bytes: Buffer
    try {
      bytes = await readFile(credentialsFile)
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error)
      throw usageError(
        'CREDENTIALS_FILE_UNREADABLE',
        messages.config.credentialsUnreadable(credentialsFile, reason),
      )
    }
    return parseCredentialsFile(bytes, credentialsFile)
  }
  if (env.TCRMM_API_USER && env.TCRMM_API_PASSWORD)
    return {apiUser: env.TCRMM_API_USER, apiPassword: env.TCRMM_API_PASSWORD}
  throw usageError('NO_CREDENTIALS', messages.config.noCredentials, messages.config.noCredentialsHints)
}
