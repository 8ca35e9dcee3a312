import {createHash} from 'node:crypto'
import {chmodSync, existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'

import {configDir} from '../config/paths.js'
import {writeFileAtomic} from '../fs/atomic.js'
import type {LicenseTrustCache} from '../license/trust.js'

/** What `tcrmm login` keeps for a profile, without any secret. */
export interface ProfileData {
  server: string
  apiUser: string
  partner: {company: string; partnerId: string; edition: 'standard' | 'premium'}
  tokenExpiresAt: string
  tokenStorage: 'keyring' | 'file'
  loggedInAt: string
  /** Where the API password came from, when it was a credentials file (its path only, for `link`). */
  credentialsFile?: string
}

/**
 * The files of one profile under the config dir (0700): `profile.json` (conf, 0600, no secrets),
 * `license-trust.json` (the roots and revocations for offline `license verify`) and, when no OS keyring is
 * available, `token.json` (0600). Every write is atomic (temp file + rename), so two tcrmm processes at once
 * leave one complete version, never a torn file.
 */
export class ProfileStore {
  readonly dir: string

  constructor(
    readonly profile: string,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.dir = join(configDir(env), 'profiles', profile)
  }

  /** A stable name for this config dir in the OS keyring, so two HOMEs never share an entry. */
  get keyringAccount(): string {
    return `${this.profile}@${createHash('sha256').update(configDir(this.env)).digest('hex').slice(0, 12)}`
  }

  async read(): Promise<ProfileData | undefined> {
    // Reading never creates anything: a failed login or a run on environment credentials leaves no trace.
    if (!existsSync(join(this.dir, 'profile.json'))) return undefined
    const conf = await this.conf()
    const data = conf.store
    return data.server && data.apiUser && data.partner && data.tokenExpiresAt ? data : undefined
  }

  async write(data: ProfileData): Promise<void> {
    const conf = await this.conf()
    conf.store = data
  }

  writeTrust(trust: LicenseTrustCache): void {
    this.ensureDir()
    writeFileAtomic(join(this.dir, 'license-trust.json'), JSON.stringify(trust, null, 2) + '\n', 0o600)
  }

  /** Removes the session (profile data and token file); the public trust roots stay for offline verification. */
  clearSession(): void {
    rmSync(join(this.dir, 'profile.json'), {force: true})
    this.clearTokenFile()
  }

  clearTokenFile(): void {
    rmSync(this.tokenFile, {force: true})
  }

  get tokenFile(): string {
    return join(this.dir, 'token.json')
  }

  readTokenFile(): {token: string; expiresAt: string} | undefined {
    try {
      const value = JSON.parse(readFileSync(this.tokenFile, 'utf8')) as {token?: unknown; expiresAt?: unknown}
      return typeof value.token === 'string' && typeof value.expiresAt === 'string'
        ? {token: value.token, expiresAt: value.expiresAt}
        : undefined
    } catch {
      return undefined
    }
  }

  writeTokenFile(token: string, expiresAt: string): void {
    this.ensureDir()
    writeFileAtomic(this.tokenFile, JSON.stringify({token, expiresAt}) + '\n', 0o600)
  }

  ensureDir(): void {
    const root = configDir(this.env)
    mkdirSync(this.dir, {recursive: true, mode: 0o700})
    // mkdir's mode is masked by the umask and ignored for dirs that exist: make sure, on POSIX.
    if (process.platform !== 'win32') {
      for (const dir of [root, join(root, 'profiles'), this.dir]) chmodSync(dir, 0o700)
    }
  }

  private async conf() {
    this.ensureDir()
    const {default: Conf} = await import('conf')
    return new Conf<ProfileData>({
      cwd: this.dir,
      configName: 'profile',
      configFileMode: 0o600,
      clearInvalidConfig: true,
    })
  }
}
