import {randomBytes, randomInt} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve, sep} from 'node:path'

import {formatCredentialsFile} from '../lib/auth/credentials-file.js'
import type {Faults} from './faults.js'
import {createSandboxPki, issueLicense} from './pki.js'
import {seedWorld} from './seed.js'
import {SandboxService} from './service.js'
import {startServer, type SandboxServer} from './server.js'
import {writeFileAtomic} from '../lib/fs/atomic.js'
import {type PartnerRecord, SandboxStore} from './store.js'

export interface SandboxStartOptions {
  port: number
  /** Keeps state across restarts; without it, state lives in memory and the files go to a temporary dir. */
  dataDir?: string
  seed?: number
  edition?: 'standard' | 'premium'
  company?: string
  offlineAfterMs: number
  tokenTtlMs: number
  faults: Faults
}

/** The fixed one-line JSON of `sandbox start --json` (rmm-api.md); paths absolute. */
export interface SandboxInfo {
  url: string
  dataDir: string
  company: string
  partnerId: string
  apiUser: string
  apiPassword: string
  credentialsFile: string
  licenses: {standard: string; premium: string}
  rootCertificate: string
}

export interface RunningSandbox {
  info: SandboxInfo
  server: SandboxServer
  store: SandboxStore
  close(): Promise<void>
}

export const DEFAULT_PARTNER_COMPANY = 'Müller & Söhne Systemhaus GmbH'

export async function startSandbox(options: SandboxStartOptions): Promise<RunningSandbox> {
  const temporary = options.dataDir === undefined
  const dataDir = temporary
    ? mkdtempSync(join(tmpdir(), 'tcrmm-sandbox-'))
    : resolve(options.dataDir as string)
  const store = SandboxStore.open(temporary ? undefined : dataDir)
  const now = new Date()
  if (!store.meta) {
    const partner: PartnerRecord = {
      company: options.company ?? DEFAULT_PARTNER_COMPANY,
      partnerId: `P-${randomInt(10_000, 100_000)}`,
      apiUser: `api-${randomBytes(4).toString('hex')}`,
      apiPassword: randomBytes(18).toString('base64url'),
      edition: options.edition ?? 'premium',
      createdAt: now.toISOString(),
    }
    const pki = createSandboxPki(now)
    store.setMeta({
      partner,
      pki,
      licenses: {
        standard: issueLicense(pki, partner, 'standard', now),
        premium: issueLicense(pki, partner, 'premium', now),
      },
    })
  } else if (options.edition && store.meta.partner.edition !== options.edition) {
    store.setMeta({...store.meta, partner: {...store.meta.partner, edition: options.edition}})
  }
  const meta = store.meta as NonNullable<typeof store.meta>
  if (options.seed && store.agents.size === 0) {
    const world = seedWorld({
      count: options.seed,
      now,
      offlineAfterMs: options.offlineAfterMs,
      licenseEdition: meta.partner.edition,
    })
    store.bulk(world.agents, world.customers)
  }

  const {company} = meta.partner
  const files = {
    credentialsFile: inside(dataDir, `Zugangsdaten für ${safeFileName(company)}.txt`),
    standard: inside(dataDir, `license_rma_${safeFileName(company)}_standard_signed.xml`),
    premium: inside(dataDir, `license_rma_${safeFileName(company)}_premium_signed.xml`),
    rootCertificate: inside(dataDir, 'rmm-license-root.pem'),
  }
  writeFileAtomic(
    files.credentialsFile,
    formatCredentialsFile(company, meta.partner.apiUser, meta.partner.apiPassword),
  )
  writeFileAtomic(files.standard, meta.licenses.standard.xml, 0o644)
  writeFileAtomic(files.premium, meta.licenses.premium.xml, 0o644)
  writeFileAtomic(files.rootCertificate, meta.pki.rootCertPem, 0o644)

  const service = new SandboxService(store, {
    offlineAfterMs: options.offlineAfterMs,
    tokenTtlMs: options.tokenTtlMs,
    now: () => new Date(),
  })
  const server = await startServer({service, faults: options.faults, port: options.port})
  return {
    server,
    store,
    info: {
      url: server.url,
      dataDir,
      company,
      partnerId: meta.partner.partnerId,
      apiUser: meta.partner.apiUser,
      apiPassword: meta.partner.apiPassword,
      credentialsFile: files.credentialsFile,
      licenses: {standard: files.standard, premium: files.premium},
      rootCertificate: files.rootCertificate,
    },
    async close() {
      await server.app.close()
      store.close()
      if (temporary) rmSync(dataDir, {recursive: true, force: true})
    },
  }
}

/**
 * A company name as part of a file name on every OS: no separators, reserved characters, control characters,
 * or leading/trailing dots and spaces. Umlauts and `&` stay.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[<>:"/\\|?*\u0000-\u001F\u007F]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120)
  return cleaned === '' ? '_' : cleaned
}

/** The path of `name` in `dir`, refusing anything that would land outside it. */
function inside(dir: string, name: string): string {
  const path = resolve(dir, name)
  if (!path.startsWith(resolve(dir) + sep)) throw new Error(`refusing to write outside the data dir: ${name}`)
  return path
}
