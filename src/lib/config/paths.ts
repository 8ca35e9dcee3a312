import {homedir} from 'node:os'
import {join} from 'node:path'

import {usageError} from '../errors.js'
import {messages} from '../messages/index.js'

/**
 * Where tcrmm keeps its configuration: TCRMM_CONFIG_DIR if set, else the OS config dir (XDG on Linux,
 * %APPDATA% on Windows, ~/Library/Preferences on macOS).
 */
export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.TCRMM_CONFIG_DIR) return env.TCRMM_CONFIG_DIR
  const home = env.HOME || homedir()
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'tcrmm', 'Config')
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'tcrmm')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'tcrmm')
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

/** `--profile` > TCRMM_PROFILE > `default`; a name is never a path. */
export function profileName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const name = flag ?? env.TCRMM_PROFILE ?? 'default'
  if (!PROFILE_NAME.test(name)) {
    throw usageError('BAD_PROFILE', messages.common.badProfile(name))
  }
  return name
}

/** The license trust cache that `tcrmm login` writes for a profile. */
export function licenseTrustCachePath(profile: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'profiles', profile, 'license-trust.json')
}
