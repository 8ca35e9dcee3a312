import type {ProfileStore} from './profile-store.js'

/** Where a profile's token lives: the OS keyring when one answers, else a 0600 file in the profile dir. */
export interface TokenStore {
  kind: 'keyring' | 'file'
  get(): Promise<string | undefined>
  set(token: string, expiresAt: string): Promise<void>
  delete(): Promise<void>
}

const KEYRING_SERVICE = 'tcrmm'
const KEYRING_TIMEOUT_MS = 3000

function fileStore(profile: ProfileStore): TokenStore {
  return {
    kind: 'file',
    get: async () => profile.readTokenFile()?.token,
    set: async (token, expiresAt) => profile.writeTokenFile(token, expiresAt),
    delete: async () => profile.clearSession(),
  }
}

/** Resolves or rejects within `ms`: a keyring that hangs (a locked D-Bus service) must not hang tcrmm. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController()
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      const timer = setTimeout(() => reject(new Error('the OS keyring did not answer')), ms)
      timer.unref()
      controller.signal.addEventListener('abort', () => clearTimeout(timer))
    }),
  ]).finally(() => controller.abort())
}

async function keyringEntry(profile: ProfileStore) {
  // Optional dependency with prebuilt binaries; absent or unloadable means "no keyring".
  const {AsyncEntry} = await import('@napi-rs/keyring')
  return new AsyncEntry(KEYRING_SERVICE, profile.keyringAccount)
}

/** The store a profile's token was written to (as recorded at login). */
export function tokenStoreFor(profile: ProfileStore, kind: 'keyring' | 'file'): TokenStore {
  if (kind === 'file') return fileStore(profile)
  return {
    kind: 'keyring',
    get: async () =>
      (await withTimeout((await keyringEntry(profile)).getPassword(), KEYRING_TIMEOUT_MS)) ?? undefined,
    set: async (token) => withTimeout((await keyringEntry(profile)).setPassword(token), KEYRING_TIMEOUT_MS),
    delete: async () => {
      await withTimeout((await keyringEntry(profile)).deletePassword(), KEYRING_TIMEOUT_MS).catch(() => false)
      profile.clearSession()
    },
  }
}

/**
 * Stores a new token: in the OS keyring when it accepts it within 3 s (and TCRMM_NO_KEYRING is not set), else in
 * the 0600 file. Returns the store that took it.
 */
export async function saveToken(
  profile: ProfileStore,
  token: string,
  expiresAt: string,
  env: NodeJS.ProcessEnv,
): Promise<TokenStore> {
  if (!env.TCRMM_NO_KEYRING) {
    const keyring = tokenStoreFor(profile, 'keyring')
    try {
      await keyring.set(token, expiresAt)
      if ((await keyring.get()) === token) {
        profile.clearTokenFile()
        return keyring
      }
    } catch {
      // No usable keyring here (headless server, container, CI): the file below is the fallback.
    }
  }
  const file = fileStore(profile)
  await file.set(token, expiresAt)
  return file
}
