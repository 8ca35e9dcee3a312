import {closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {writeFileAtomic} from '../lib/fs/atomic.js'

/** The sandbox's world, as plain records; everything that must survive a restart lives here. */
export interface PartnerRecord {
  company: string
  partnerId: string
  apiUser: string
  apiPassword: string
  edition: 'standard' | 'premium'
  createdAt: string
}

export interface PkiRecord {
  rootCertPem: string
  signerCertPem: string
  signerKeyPem: string
}

export interface IssuedLicense {
  licenseId: string
  xml: string
}

export interface WarningRecord {
  code: string
  severity: 'warning' | 'critical'
  message: string
  since: string
}

export interface AgentRecord {
  agentId: string
  tcVersion: string
  licenseEdition: 'standard' | 'premium'
  registeredAt: string
  lastContactAt: string
  warnings: WarningRecord[]
}

export interface CustomerRecord {
  customerNumber: string
  agentId: string
  name: string | null
  createdAt: string
}

export interface IdempotencyRecord {
  key: string
  fingerprint: string
  status: number
  body: unknown
  createdAt: string
}

export interface TokenRecord {
  /** SHA-256 of the token: the token itself is never stored. */
  hash: string
  expiresAt: string
}

export interface SandboxMeta {
  partner: PartnerRecord
  pki: PkiRecord
  licenses: {standard: IssuedLicense; premium: IssuedLicense}
}

type Collection = 'agents' | 'customers' | 'idempotency' | 'tokens'
type Entry = {c: Collection; k: string; v?: unknown} | {meta: SandboxMeta}

interface Snapshot {
  version: 1
  meta: SandboxMeta | null
  agents: AgentRecord[]
  customers: CustomerRecord[]
  idempotency: IdempotencyRecord[]
  tokens: TokenRecord[]
}

const SNAPSHOT = 'state.json'
const JOURNAL = 'state.journal'

/**
 * In-memory state with optional durability: with a data dir, every change is appended to a journal and fsynced
 * before the call that made it returns, so an acknowledged write survives kill -9. At open, snapshot + journal
 * are replayed (a torn last line, never acknowledged, is dropped) and compacted into a new snapshot written
 * atomically (temp file, fsync, rename). Node runs handlers one at a time and every check-and-change here is
 * synchronous, so concurrent requests cannot interleave inside one.
 */
export class SandboxStore {
  meta: SandboxMeta | null = null
  readonly agents = new Map<string, AgentRecord>()
  readonly customers = new Map<string, CustomerRecord>()
  readonly customerByAgent = new Map<string, string>()
  readonly idempotency = new Map<string, IdempotencyRecord>()
  readonly tokens = new Map<string, TokenRecord>()
  private journal: number | undefined

  private constructor(readonly dataDir: string | undefined) {}

  static open(dataDir: string | undefined): SandboxStore {
    const store = new SandboxStore(dataDir)
    if (dataDir) {
      mkdirSync(dataDir, {recursive: true, mode: 0o700})
      store.load()
      store.compact()
    }
    return store
  }

  setMeta(meta: SandboxMeta): void {
    this.meta = meta
    this.append({meta})
  }

  putAgent(agent: AgentRecord): void {
    this.agents.set(agent.agentId, agent)
    this.append({c: 'agents', k: agent.agentId, v: agent})
  }

  putCustomer(customer: CustomerRecord): void {
    this.applyCustomer(customer.customerNumber, customer)
    this.append({c: 'customers', k: customer.customerNumber, v: customer})
  }

  deleteCustomer(customerNumber: string): void {
    this.applyCustomer(customerNumber, undefined)
    this.append({c: 'customers', k: customerNumber})
  }

  putIdempotency(record: IdempotencyRecord): void {
    this.idempotency.set(record.key, record)
    this.append({c: 'idempotency', k: record.key, v: record})
  }

  putToken(token: TokenRecord): void {
    this.tokens.set(token.hash, token)
    this.append({c: 'tokens', k: token.hash, v: token})
  }

  deleteToken(hash: string): void {
    this.tokens.delete(hash)
    this.append({c: 'tokens', k: hash})
  }

  /** Many records at once (seeding): applied in memory, then one snapshot instead of one fsync each. */
  bulk(agents: AgentRecord[], customers: CustomerRecord[]): void {
    for (const agent of agents) this.agents.set(agent.agentId, agent)
    for (const customer of customers) this.applyCustomer(customer.customerNumber, customer)
    if (this.dataDir) this.compact()
  }

  close(): void {
    if (this.journal !== undefined) closeSync(this.journal)
    this.journal = undefined
  }

  private applyCustomer(customerNumber: string, customer: CustomerRecord | undefined): void {
    const previous = this.customers.get(customerNumber)
    if (previous) this.customerByAgent.delete(previous.agentId)
    if (customer) {
      this.customers.set(customerNumber, customer)
      this.customerByAgent.set(customer.agentId, customerNumber)
    } else {
      this.customers.delete(customerNumber)
    }
  }

  private apply(entry: Entry): void {
    if ('meta' in entry) {
      this.meta = entry.meta
      return
    }
    const {c, k, v} = entry
    if (c === 'customers') this.applyCustomer(k, v as CustomerRecord | undefined)
    else {
      const map = this[c] as Map<string, unknown>
      if (v === undefined) map.delete(k)
      else map.set(k, v)
    }
  }

  private append(entry: Entry): void {
    if (this.journal === undefined) return
    writeSync(this.journal, JSON.stringify(entry) + '\n')
    fsyncSync(this.journal)
  }

  private load(): void {
    const dir = this.dataDir as string
    const snapshot = readIfExists(join(dir, SNAPSHOT))
    if (snapshot) {
      const state = JSON.parse(snapshot) as Snapshot
      this.meta = state.meta
      for (const agent of state.agents) this.agents.set(agent.agentId, agent)
      for (const customer of state.customers) this.applyCustomer(customer.customerNumber, customer)
      for (const record of state.idempotency) this.idempotency.set(record.key, record)
      for (const token of state.tokens) this.tokens.set(token.hash, token)
    }
    const journal = readIfExists(join(dir, JOURNAL)) ?? ''
    const lines = journal.split('\n')
    // Only newline-terminated lines were acknowledged; a torn last line is dropped.
    for (const line of lines.slice(0, -1)) {
      if (line.trim() !== '') this.apply(JSON.parse(line) as Entry)
    }
  }

  /** Writes the whole state as the new snapshot, atomically, and starts an empty journal. */
  private compact(): void {
    const dir = this.dataDir as string
    const now = Date.now()
    for (const [hash, token] of this.tokens) if (Date.parse(token.expiresAt) < now) this.tokens.delete(hash)
    const snapshot: Snapshot = {
      version: 1,
      meta: this.meta,
      agents: [...this.agents.values()],
      customers: [...this.customers.values()],
      idempotency: [...this.idempotency.values()],
      tokens: [...this.tokens.values()],
    }
    writeFileAtomic(join(dir, SNAPSHOT), JSON.stringify(snapshot))
    this.close()
    writeFileAtomic(join(dir, JOURNAL), '')
    this.journal = openSync(join(dir, JOURNAL), 'a', 0o600)
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
