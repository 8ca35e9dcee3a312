import {createHash, randomBytes, timingSafeEqual, X509Certificate} from 'node:crypto'

import {verifyLicenseBytes} from '../lib/license/verify.js'
import {isSupportedTcVersion, MIN_TC_VERSION} from '../lib/version.js'
import {ProblemError} from './problems.js'
import type {AgentRecord, CustomerRecord, SandboxStore, WarningRecord} from './store.js'

export interface ServiceOptions {
  offlineAfterMs: number
  tokenTtlMs: number
  /** The clock, passed in so tests can move time. */
  now: () => Date
}

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

type Status = 'ok' | 'warning' | 'critical' | 'offline'

const FAILED_LOGIN_LIMIT = 5
const FAILED_LOGIN_WINDOW_MS = 60_000
const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000

/**
 * The RMM as the sandbox plays it: every call of docs/openapi.yaml as a plain method over the store. The HTTP
 * layer (server.ts) validates requests against the contract and renders ProblemError as problem+json.
 */
export class SandboxService {
  private readonly failedLogins = new Map<string, number[]>()
  private readonly trustedRoot: X509Certificate

  constructor(
    private readonly store: SandboxStore,
    private readonly options: ServiceOptions,
  ) {
    this.trustedRoot = new X509Certificate(this.meta.pki.rootCertPem)
  }

  private get meta() {
    if (!this.store.meta) throw new Error('the sandbox has no partner yet')
    return this.store.meta
  }

  private iso(offsetMs = 0): string {
    return new Date(this.options.now().getTime() + offsetMs).toISOString()
  }

  // --- auth

  createToken(body: {username: string; password: string}): Reply {
    const now = this.options.now().getTime()
    const failures = (this.failedLogins.get(body.username) ?? []).filter(
      (t) => now - t < FAILED_LOGIN_WINDOW_MS,
    )
    if (failures.length >= FAILED_LOGIN_LIMIT) {
      const retryAfter = Math.max(
        1,
        Math.ceil(((failures[0] as number) + FAILED_LOGIN_WINDOW_MS - now) / 1000),
      )
      throw new ProblemError(
        429,
        'RATE_LIMITED',
        'Too many failed logins; try again later.',
        {},
        {'Retry-After': String(retryAfter)},
      )
    }
    const {partner} = this.meta
    if (!(sameSecret(body.username, partner.apiUser) && sameSecret(body.password, partner.apiPassword))) {
      this.failedLogins.set(body.username, [...failures, now])
      throw new ProblemError(401, 'BAD_CREDENTIALS', 'The API user or password is wrong.')
    }
    this.failedLogins.delete(body.username)
    const accessToken = randomBytes(32).toString('base64url')
    const expiresAt = this.iso(this.options.tokenTtlMs)
    this.store.putToken({hash: tokenHash(accessToken), expiresAt})
    return {status: 200, body: {accessToken, tokenType: 'Bearer', expiresAt}}
  }

  /** Checks `Authorization: Bearer …`; returns the token's hash for revocation. */
  authenticate(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match) throw new ProblemError(401, 'UNAUTHORIZED', 'A bearer token is required.')
    const hash = tokenHash(match[1] as string)
    const token = this.store.tokens.get(hash)
    if (!token) throw new ProblemError(401, 'UNAUTHORIZED', 'The token is unknown or revoked.')
    if (Date.parse(token.expiresAt) <= this.options.now().getTime()) {
      throw new ProblemError(401, 'TOKEN_EXPIRED', 'The token has expired; log in again.')
    }
    return hash
  }

  revokeToken(hash: string): Reply {
    this.store.deleteToken(hash)
    return {status: 204}
  }

  // --- partner and license

  partner(): Reply {
    const {partner} = this.meta
    return {
      status: 200,
      body: {
        company: partner.company,
        partnerId: partner.partnerId,
        edition: partner.edition,
        limits: {maxCustomers: partner.edition === 'premium' ? 1000 : 25},
      },
    }
  }

  licenseTrust(): Reply {
    return {status: 200, body: {roots: [this.meta.pki.rootCertPem], updatedAt: this.meta.partner.createdAt}}
  }

  licenseRevocations(): Reply {
    return {status: 200, body: {licenseIds: [], updatedAt: this.meta.partner.createdAt}}
  }

  // --- agents

  registerAgent(body: {agentId: string; tcVersion: string; licenseXml: string}): Reply {
    const version = isSupportedTcVersion(body.tcVersion)
    if (version === 'invalid') {
      throw new ProblemError(
        422,
        'VERSION_INVALID',
        `"${body.tcVersion}" is not a timeCard version (e.g. 23.04.01).`,
      )
    }
    if (version === 'too-old') {
      throw new ProblemError(
        422,
        'VERSION_TOO_OLD',
        `timeCard ${body.tcVersion} is too old; ${MIN_TC_VERSION} or newer is required.`,
      )
    }
    const now = this.options.now()
    const verdict = verifyLicenseBytes(Buffer.from(body.licenseXml, 'utf8'), 'license', {
      trust: {roots: [this.trustedRoot], revokedLicenseIds: new Set(), source: 'sandbox'},
      at: now,
    })
    const {partner} = this.meta
    if (
      verdict.license &&
      (verdict.license.partnerId !== partner.partnerId || verdict.license.company !== partner.company)
    ) {
      throw new ProblemError(
        403,
        'LICENSE_FOREIGN',
        `The license belongs to ${verdict.license.company} (${verdict.license.partnerId}), not to this partner.`,
      )
    }
    if (!verdict.valid || !verdict.license) {
      const error = verdict.errors[0]
      throw new ProblemError(
        422,
        'LICENSE_INVALID',
        `The license was refused: ${error?.message ?? 'invalid'}`,
        {
          licenseCode: error?.code ?? 'SIGNATURE_INVALID',
        },
      )
    }
    const previous = this.store.agents.get(body.agentId)
    const agent: AgentRecord = {
      agentId: body.agentId,
      tcVersion: body.tcVersion.trim(),
      licenseEdition: verdict.license.edition,
      registeredAt: previous?.registeredAt ?? now.toISOString(),
      lastContactAt: now.toISOString(),
      warnings: previous?.warnings ?? [],
    }
    this.store.putAgent(agent)
    return {status: previous ? 200 : 201, body: this.agentView(agent)}
  }

  heartbeat(
    agentId: string,
    body: {
      tcVersion?: string
      warnings: Array<Omit<WarningRecord, 'since' | 'message'> & {message?: string}>
    },
  ): Reply {
    const agent = this.requireAgent(agentId)
    const now = this.iso()
    const warnings: WarningRecord[] = []
    for (const reported of body.warnings) {
      if (warnings.some((w) => w.code === reported.code)) continue
      const known = agent.warnings.find((w) => w.code === reported.code)
      warnings.push({
        code: reported.code,
        severity: reported.severity,
        message: reported.message ?? defaultWarningMessage(reported.code),
        since: known?.since ?? now,
      })
    }
    const updated: AgentRecord = {
      ...agent,
      tcVersion: body.tcVersion?.trim() || agent.tcVersion,
      lastContactAt: now,
      warnings,
    }
    this.store.putAgent(updated)
    return {status: 200, body: this.agentView(updated)}
  }

  listAgents(query: {unassigned?: boolean; limit: number; cursor?: string}): Reply {
    let agents = [...this.store.agents.values()]
    if (query.unassigned) agents = agents.filter((a) => !this.store.customerByAgent.has(a.agentId))
    const page = paginate(agents, (a) => a.agentId, query)
    return {status: 200, body: {items: page.items.map((a) => this.agentView(a)), nextCursor: page.nextCursor}}
  }

  // --- customers

  listCustomers(query: {limit: number; cursor?: string}): Reply {
    const page = paginate([...this.store.customers.values()], (c) => c.customerNumber, query)
    return {
      status: 200,
      body: {items: page.items.map((c) => this.customerView(c)), nextCursor: page.nextCursor},
    }
  }

  getCustomer(customerNumber: string): Reply {
    return {status: 200, body: this.customerView(this.requireCustomer(customerNumber))}
  }

  /**
   * `Idempotency-Key`: the first response for a key is stored and replayed for every retry with the same body;
   * the same key with another body is refused. Without a key the natural key protects too: the same pair again
   * is "unchanged" (200), never a second customer.
   */
  createCustomer(
    body: {customerNumber: string; agentId: string; name?: string},
    idempotencyKey?: string,
  ): Reply {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([body.customerNumber, body.agentId, body.name ?? null]))
      .digest('hex')
    if (idempotencyKey) {
      const stored = this.store.idempotency.get(idempotencyKey)
      if (stored && Date.parse(stored.createdAt) + IDEMPOTENCY_RETENTION_MS > this.options.now().getTime()) {
        if (stored.fingerprint !== fingerprint) {
          throw new ProblemError(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was used for another request.',
          )
        }
        return {status: stored.status, body: stored.body, headers: {'Idempotent-Replayed': 'true'}}
      }
    }
    const reply = this.createCustomerOnce(body)
    if (idempotencyKey) {
      const stored =
        reply instanceof ProblemError ? {status: reply.status, body: reply.toBody('/v1/customers')} : reply
      this.store.putIdempotency({
        key: idempotencyKey,
        fingerprint,
        status: stored.status,
        body: stored.body,
        createdAt: this.iso(),
      })
    }
    if (reply instanceof ProblemError) throw reply
    return reply
  }

  private createCustomerOnce(body: {
    customerNumber: string
    agentId: string
    name?: string
  }): Reply | ProblemError {
    const customerNumber = body.customerNumber.trim()
    if (customerNumber === '')
      return new ProblemError(422, 'CUSTOMER_NUMBER_REQUIRED', 'A customer number is required.')
    if (!this.store.agents.has(body.agentId)) {
      return new ProblemError(404, 'AGENT_NOT_FOUND', `No agent "${body.agentId}" has connected.`)
    }
    const numberOfAgent = this.store.customerByAgent.get(body.agentId)
    if (numberOfAgent === customerNumber) {
      return {status: 200, body: this.customerView(this.requireCustomer(customerNumber))}
    }
    if (numberOfAgent !== undefined) {
      return new ProblemError(
        409,
        'AGENT_ALREADY_ASSIGNED',
        `Agent "${body.agentId}" already is customer ${numberOfAgent}.`,
        {
          existing: {customerNumber: numberOfAgent, agentId: body.agentId},
        },
      )
    }
    const taken = this.store.customers.get(customerNumber)
    if (taken) {
      return new ProblemError(
        409,
        'CUSTOMER_NUMBER_TAKEN',
        `Customer number ${customerNumber} belongs to agent "${taken.agentId}".`,
        {
          existing: {customerNumber, agentId: taken.agentId},
        },
      )
    }
    const customer: CustomerRecord = {
      customerNumber,
      agentId: body.agentId,
      name: body.name ?? null,
      createdAt: this.iso(),
    }
    this.store.putCustomer(customer)
    return {status: 201, body: this.customerView(customer)}
  }

  deleteCustomer(customerNumber: string): Reply {
    this.requireCustomer(customerNumber)
    this.store.deleteCustomer(customerNumber)
    return {status: 204}
  }

  // --- dashboard

  dashboard(query: {limit: number; cursor?: string}): Reply {
    const customers = [...this.store.customers.values()]
    const summary = {customers: customers.length, ok: 0, warning: 0, critical: 0, offline: 0}
    for (const customer of customers) summary[this.statusOf(this.store.agents.get(customer.agentId))]++
    const page = paginate(customers, (c) => c.customerNumber, query)
    const premium = this.meta.partner.edition === 'premium'
    const rows = page.items.map((customer) => {
      const agent = this.store.agents.get(customer.agentId)
      const warnings = this.warningsOf(agent)
      return {
        customerNumber: customer.customerNumber,
        agentId: customer.agentId,
        name: customer.name,
        status: this.statusOf(agent),
        warnings: premium ? warnings : null,
        warningCount: warnings.length,
        tcVersion: agent?.tcVersion ?? '',
        lastContactAt: agent?.lastContactAt ?? customer.createdAt,
      }
    })
    return {
      status: 200,
      body: {edition: this.meta.partner.edition, summary, customers: rows, nextCursor: page.nextCursor},
    }
  }

  // --- views

  private statusOf(agent: AgentRecord | undefined): Status {
    if (!agent || this.isOffline(agent)) return 'offline'
    if (agent.warnings.some((w) => w.severity === 'critical')) return 'critical'
    return agent.warnings.length > 0 ? 'warning' : 'ok'
  }

  private isOffline(agent: AgentRecord): boolean {
    return this.options.now().getTime() - Date.parse(agent.lastContactAt) > this.options.offlineAfterMs
  }

  /** The reported warnings; an agent that went silent gets AGENT_OFFLINE first. */
  private warningsOf(agent: AgentRecord | undefined): WarningRecord[] {
    if (!agent) return []
    if (!this.isOffline(agent)) return agent.warnings
    const since = new Date(Date.parse(agent.lastContactAt) + this.options.offlineAfterMs).toISOString()
    return [
      {code: 'AGENT_OFFLINE', severity: 'critical', message: defaultWarningMessage('AGENT_OFFLINE'), since},
      ...agent.warnings,
    ]
  }

  private agentView(agent: AgentRecord) {
    return {
      agentId: agent.agentId,
      tcVersion: agent.tcVersion,
      licenseEdition: agent.licenseEdition,
      registeredAt: agent.registeredAt,
      lastContactAt: agent.lastContactAt,
      status: this.statusOf(agent),
      warningCount: this.warningsOf(agent).length,
      customerNumber: this.store.customerByAgent.get(agent.agentId) ?? null,
    }
  }

  private customerView(customer: CustomerRecord) {
    const agent = this.store.agents.get(customer.agentId)
    return {
      customerNumber: customer.customerNumber,
      agentId: customer.agentId,
      name: customer.name,
      status: this.statusOf(agent),
      warningCount: this.warningsOf(agent).length,
      tcVersion: agent?.tcVersion ?? '',
      lastContactAt: agent?.lastContactAt ?? customer.createdAt,
      createdAt: customer.createdAt,
    }
  }

  private requireAgent(agentId: string): AgentRecord {
    const agent = this.store.agents.get(agentId)
    if (!agent) throw new ProblemError(404, 'AGENT_NOT_FOUND', `No agent "${agentId}" has connected.`)
    return agent
  }

  private requireCustomer(customerNumber: string): CustomerRecord {
    const customer = this.store.customers.get(customerNumber)
    if (!customer)
      throw new ProblemError(404, 'CUSTOMER_NOT_FOUND', `No customer with number ${customerNumber}.`)
    return customer
  }
}

/** Key-ordered pages; the cursor is the last key of the previous page, so pages stay stable while data changes. */
function paginate<T>(items: T[], keyOf: (item: T) => string, query: {limit: number; cursor?: string}) {
  let after: string | undefined
  if (query.cursor) {
    try {
      after = (JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as {after: string}).after
    } catch {
      after = undefined
    }
    if (typeof after !== 'string')
      throw new ProblemError(400, 'BAD_CURSOR', 'The cursor is not one this server gave out.')
  }
  const sorted = items
    .map((item) => [keyOf(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const start = after === undefined ? 0 : sorted.findIndex(([key]) => key > (after as string))
  const slice = start === -1 ? [] : sorted.slice(start, start + query.limit)
  const last = slice.at(-1)
  const more = start !== -1 && start + query.limit < sorted.length
  return {
    items: slice.map(([, item]) => item),
    nextCursor: more && last ? Buffer.from(JSON.stringify({after: last[0]})).toString('base64url') : null,
  }
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

const WARNING_MESSAGES: Record<string, string> = {
  AGENT_OFFLINE: 'Keine Verbindung zur Installation',
  VERSION_OUTDATED: 'timeCard-Version veraltet',
  LICENSE_EXPIRING: 'Lizenz läuft bald ab',
  TERMINAL_OFFLINE: 'Ein Terminal antwortet nicht',
  BACKUP_FAILED: 'Datensicherung fehlgeschlagen',
  DISK_SPACE_LOW: 'Wenig freier Speicher',
}

function defaultWarningMessage(code: string): string {
  return WARNING_MESSAGES[code] ?? code
}
