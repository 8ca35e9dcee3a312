import {expect} from 'chai'
import {randomUUID} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {parse} from 'yaml'

import {buildLicenseXml} from '../../src/lib/license/document.js'
import {signXml} from '../../src/lib/license/xmldsig.js'
import {loadContract} from '../../src/sandbox/contract.js'
import {NO_FAULTS} from '../../src/sandbox/faults.js'
import {startSandbox} from '../../src/sandbox/start.js'
import {REPO_ROOT} from '../support/cli.js'
import {type SandboxInfo, type SandboxProcess, sandboxToken, startSandboxProcess} from '../support/sandbox.js'

// ---------------------------------------------------------------------------------------------------------------
// Helpers

// Response bodies are whatever the server sent; the assertions say what they must be.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

interface ApiResponse {
  status: number
  headers: Headers
  json: Json
  text: string
}

interface ApiOptions {
  token?: string
  /** An object is sent as JSON; a string is sent as it is (still labelled application/json unless overridden). */
  body?: unknown
  headers?: Record<string, string>
}

type Api = (method: string, path: string, options?: ApiOptions) => Promise<ApiResponse>

/** Plain `fetch` against one sandbox: real HTTP on 127.0.0.1. */
function apiFor(baseUrl: string): Api {
  return async (method, path, {token, body, headers = {}} = {}) => {
    const requestHeaders: Record<string, string> = {}
    if (body !== undefined) requestHeaders['content-type'] = 'application/json'
    if (token !== undefined) requestHeaders.authorization = `Bearer ${token}`
    Object.assign(requestHeaders, headers)
    const response = await fetch(baseUrl + path, {
      method,
      headers: requestHeaders,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await response.text()
    let json: Json
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return {status: response.status, headers: response.headers, json, text}
  }
}

function mediaType(response: ApiResponse): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim()
}

/** Status, `application/problem+json` and the stable `code`, exactly. */
function expectProblem(response: ApiResponse, status: number, code: string): void {
  const where = `${response.status} ${response.text.slice(0, 500)}`
  expect(response.status, where).to.equal(status)
  expect(mediaType(response), where).to.equal('application/problem+json')
  expect(response.json?.code, where).to.equal(code)
  expect(response.json.status, where).to.equal(status)
  expect(response.json.type, where).to.be.a('string')
  expect(response.json.title, where).to.be.a('string')
}

function expectOk(response: ApiResponse, status = 200): void {
  expect(response.status, response.text.slice(0, 500)).to.equal(status)
  if (status !== 204) expect(mediaType(response)).to.equal('application/json')
}

interface Sandbox {
  info: SandboxInfo
  api: Api
  /** A token obtained in `before`. */
  token: string
  premiumXml: string
  standardXml: string
  process: SandboxProcess
}

/**
 * Starts one `tcrmm sandbox start` process for the enclosing `describe` (in `before`) and stops it in `after`,
 * asserting exit code 0. The returned object is filled in once `before` has run.
 */
function useSandbox(args: string[] = []): Sandbox {
  const sandbox = {} as Sandbox
  before(async function () {
    this.timeout(60_000)
    const started = await startSandboxProcess(args)
    sandbox.process = started // first, so that `after` stops it even if the rest fails
    Object.assign(sandbox, {
      info: started.info,
      api: apiFor(started.info.url),
      token: await sandboxToken(started.info),
      premiumXml: readFileSync(started.info.licenses.premium, 'utf8'),
      standardXml: readFileSync(started.info.licenses.standard, 'utf8'),
    })
  })
  after(async function () {
    this.timeout(15_000)
    if (!sandbox.process) return
    const code = await sandbox.process.stop()
    expect(code, sandbox.process.stderr()).to.equal(0)
  })
  return sandbox
}

/**
 * A POST that announces `size` bytes (Content-Length) but sends only the start of the body and waits for the
 * answer: what the server says about an oversized body without racing the upload against its close.
 */
function postAnnounced(sandbox: Sandbox, path: string, size: number): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(sandbox.info.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(size),
        authorization: `Bearer ${sandbox.token}`,
      },
    })
    request.on('error', reject)
    request.on('response', (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('error', reject)
      response.on('end', () => {
        const headers = new Headers()
        for (const [name, value] of Object.entries(response.headers)) {
          if (typeof value === 'string') headers.set(name, value)
        }
        let json: Json
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({status: response.statusCode ?? 0, headers, json, text})
        request.destroy()
      })
    })
    request.write('{"agentId":"Riesig GmbH","tcVersion":"23.04.01","licenseXml":"')
  })
}

async function register(
  sandbox: Sandbox,
  agentId: string,
  options: {tcVersion?: string; licenseXml?: string} = {},
): Promise<ApiResponse> {
  return sandbox.api('POST', '/v1/agents/register', {
    token: sandbox.token,
    body: {
      agentId,
      tcVersion: options.tcVersion ?? '23.04.01',
      licenseXml: options.licenseXml ?? sandbox.premiumXml,
    },
  })
}

async function registerAll(sandbox: Sandbox, agentIds: string[]): Promise<void> {
  const responses = await Promise.all(agentIds.map((id) => register(sandbox, id)))
  for (const response of responses) expect(response.status, response.text).to.be.oneOf([200, 201])
}

function heartbeat(sandbox: Sandbox, agentId: string, warnings: object[], tcVersion?: string) {
  return sandbox.api('POST', `/v1/agents/${encodeURIComponent(agentId)}/heartbeat`, {
    token: sandbox.token,
    body: tcVersion === undefined ? {warnings} : {warnings, tcVersion},
  })
}

function createCustomer(
  sandbox: Sandbox,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return sandbox.api('POST', '/v1/customers', {token: sandbox.token, body, headers})
}

/** Follows `nextCursor` to the end; returns every page. */
async function walkPages(sandbox: Sandbox, path: string, limit: number): Promise<Json[]> {
  const pages: Json[] = []
  let cursor: string | null = null
  const separator = path.includes('?') ? '&' : '?'
  do {
    const query: string = `limit=${limit}` + (cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`)
    const response = await sandbox.api('GET', `${path}${separator}${query}`, {token: sandbox.token})
    expectOk(response)
    pages.push(response.json)
    cursor = response.json.nextCursor
    expect(pages.length, 'pagination does not end').to.be.below(1000)
  } while (cursor !== null)
  return pages
}

type Status = 'ok' | 'warning' | 'critical' | 'offline'

function countStatuses(rows: Array<{status: Status}>): Record<Status, number> {
  const counts = {ok: 0, warning: 0, critical: 0, offline: 0}
  for (const row of rows) counts[row.status]++
  return counts
}

/** The sandbox's partner and CA as it keeps them in its data dir (snapshot, then journal). */
function readSandboxMeta(dataDir: string): Json {
  let meta = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).meta
  let journal = ''
  try {
    journal = readFileSync(join(dataDir, 'state.journal'), 'utf8')
  } catch {
    // no journal: everything is in the snapshot
  }
  for (const line of journal.split('\n')) {
    if (line.trim() === '') continue
    const entry = JSON.parse(line)
    if (entry.meta) meta = entry.meta
  }
  if (!meta?.pki?.signerKeyPem) throw new Error(`no signer key in ${dataDir}`)
  return meta
}

/** A license in the format of license-format.md, signed with the given signer key and certificate. */
function signLicense(
  pki: {signerKeyPem: string; signerCertPem: string},
  licensee: {company: string; partnerId: string},
): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const now = Date.now()
  const xml = buildLicenseXml({
    licenseId: randomUUID(),
    edition: 'premium',
    company: licensee.company,
    partnerId: licensee.partnerId,
    issuedAt: iso(now - 60_000),
    validUntil: iso(now + 365 * 86_400_000),
    maxCustomers: 1000,
    features: ['dashboard', 'warning-details'],
  })
  return signXml(xml, {
    privateKey: pki.signerKeyPem,
    certificatesPem: pki.signerCertPem,
    signatureAlgorithm: 'rsa-sha256',
    digestAlgorithm: 'sha256',
    reference: '',
  })
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch']

/** Every path + method of docs/openapi.yaml, read independently of the sandbox's own loader. */
function contractOperations(): Array<{
  path: string
  method: string
  operationId: string
  responses: string[]
}> {
  const doc = parse(readFileSync(join(REPO_ROOT, 'docs', 'openapi.yaml'), 'utf8'))
  const operations = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue
      operations.push({
        path,
        method: method.toUpperCase(),
        operationId: String(operation.operationId),
        responses: Object.keys(operation.responses ?? {}),
      })
    }
  }
  return operations
}

// ---------------------------------------------------------------------------------------------------------------

describe('sandbox API (real HTTP against `tcrmm sandbox start`)', function () {
  this.timeout(60_000)

  describe('contract coverage', () => {
    const sb = useSandbox()

    it('answers every path and method of docs/openapi.yaml with a documented status, never NOT_FOUND', async () => {
      const operations = contractOperations()
      expect(operations.length).to.be.greaterThan(10)
      for (const operation of operations) {
        const path = operation.path
          .replace('{agentId}', encodeURIComponent('Contract Probe GmbH'))
          .replace('{customerNumber}', 'CONTRACT-0')
        // A fresh token for each call, so that revoking one does not blind the others.
        const token = await sandboxToken(sb.info)
        const withBody = operation.method === 'POST' || operation.method === 'PUT'
        const response = await sb.api(operation.method, path, {token, body: withBody ? {} : undefined})
        const label = `${operation.method} ${operation.path} (${operation.operationId}) → ${response.status} ${response.text.slice(0, 200)}`
        expect(response.json?.code, label).not.to.equal('NOT_FOUND')
        expect(operation.responses, label).to.include(String(response.status))
        if (response.status >= 400) expect(mediaType(response), label).to.equal('application/problem+json')
        else if (response.status !== 204) expect(mediaType(response), label).to.equal('application/json')
      }
    })

    it('answers unknown routes and unknown methods on known paths with 404 NOT_FOUND', async () => {
      const nope = await sb.api('GET', '/v1/nope', {token: sb.token})
      expectProblem(nope, 404, 'NOT_FOUND')
      expect(nope.json.detail).to.contain('/v1/nope')
      expectProblem(await sb.api('DELETE', '/v1/partner', {token: sb.token}), 404, 'NOT_FOUND')
      expectProblem(await sb.api('GET', '/v2/partner'), 404, 'NOT_FOUND')
      expectProblem(await sb.api('GET', '/'), 404, 'NOT_FOUND')
    })

    it('serves exactly the operations of the contract, no more and no fewer', async () => {
      const contract = loadContract()
      const ids = contract.map((op) => op.operationId)
      expect(new Set(ids).size, 'operationIds are unique').to.equal(ids.length)
      expect([...ids].sort()).to.deep.equal(
        contractOperations()
          .map((op) => op.operationId)
          .sort(),
      )
      const sandbox = await startSandbox({
        port: 0,
        offlineAfterMs: 15 * 60_000,
        tokenTtlMs: 3_600_000,
        faults: NO_FAULTS,
      })
      try {
        const served = sandbox.server.routes
        expect(new Set(served).size, 'no route twice').to.equal(served.length)
        const idOf = new Map(contract.map((op) => [`${op.method} ${op.path}`, op.operationId]))
        const servedIds = served.map((route) => idOf.get(route) ?? `unexpected route ${route}`)
        expect([...servedIds].sort()).to.deep.equal([...ids].sort())
        for (const op of contract) {
          expect(sandbox.server.app.hasRoute({method: op.method, url: op.route}), op.operationId).to.equal(
            true,
          )
        }
      } finally {
        await sandbox.close()
      }
    })
  })

  describe('auth', () => {
    const sb = useSandbox()

    it('issues a bearer token that opens the partner resource', async () => {
      const response = await sb.api('POST', '/v1/auth/token', {
        body: {username: sb.info.apiUser, password: sb.info.apiPassword},
      })
      expectOk(response)
      expect(response.json.tokenType).to.equal('Bearer')
      expect(response.json.accessToken).to.be.a('string').with.length.greaterThan(20)
      const expiresIn = Date.parse(response.json.expiresAt) - Date.now()
      expect(expiresIn).to.be.within(59 * 60_000, 61 * 60_000)
      const partner = await sb.api('GET', '/v1/partner', {token: response.json.accessToken})
      expectOk(partner)
      expect(partner.json).to.deep.equal({
        company: sb.info.company,
        partnerId: sb.info.partnerId,
        edition: 'premium',
        limits: {maxCustomers: 1000},
      })
    })

    it('refuses a wrong password or an unknown user with 401 BAD_CREDENTIALS', async () => {
      expectProblem(
        await sb.api('POST', '/v1/auth/token', {body: {username: sb.info.apiUser, password: 'wrong'}}),
        401,
        'BAD_CREDENTIALS',
      )
      expectProblem(
        await sb.api('POST', '/v1/auth/token', {body: {username: 'nobody', password: sb.info.apiPassword}}),
        401,
        'BAD_CREDENTIALS',
      )
    })

    it('refuses a missing, garbage or non-bearer Authorization with 401 UNAUTHORIZED', async () => {
      expectProblem(await sb.api('GET', '/v1/partner'), 401, 'UNAUTHORIZED')
      expectProblem(await sb.api('GET', '/v1/partner', {token: 'garbage'}), 401, 'UNAUTHORIZED')
      expectProblem(
        await sb.api('GET', '/v1/partner', {headers: {authorization: `Basic ${sb.token}`}}),
        401,
        'UNAUTHORIZED',
      )
      expectProblem(
        await sb.api('GET', '/v1/partner', {headers: {authorization: 'Bearer'}}),
        401,
        'UNAUTHORIZED',
      )
    })

    it('checks the token before the body: an anonymous POST with a bad body still gets 401', async () => {
      const response = await sb.api('POST', '/v1/customers', {body: '{not json'})
      expectProblem(response, 401, 'UNAUTHORIZED')
    })

    it('ends a token on revoke (204); reusing it gets 401, other tokens keep working', async () => {
      const token = await sandboxToken(sb.info)
      expectOk(await sb.api('GET', '/v1/partner', {token}))
      const revoked = await sb.api('POST', '/v1/auth/revoke', {token})
      expectOk(revoked, 204)
      expect(revoked.text).to.equal('')
      expectProblem(await sb.api('GET', '/v1/partner', {token}), 401, 'UNAUTHORIZED')
      expectProblem(await sb.api('POST', '/v1/auth/revoke', {token}), 401, 'UNAUTHORIZED')
      expectOk(await sb.api('GET', '/v1/partner', {token: sb.token}))
    })

    describe('failed-login limit (own sandbox)', () => {
      const limited = useSandbox()

      it('answers the 6th attempt within a minute with 429 RATE_LIMITED and Retry-After, even with the right password', async () => {
        for (let i = 0; i < 5; i++) {
          expectProblem(
            await limited.api('POST', '/v1/auth/token', {
              body: {username: limited.info.apiUser, password: `wrong-${i}`},
            }),
            401,
            'BAD_CREDENTIALS',
          )
        }
        const sixth = await limited.api('POST', '/v1/auth/token', {
          body: {username: limited.info.apiUser, password: limited.info.apiPassword},
        })
        expectProblem(sixth, 429, 'RATE_LIMITED')
        const retryAfter = Number(sixth.headers.get('retry-after'))
        expect(Number.isInteger(retryAfter), `Retry-After: ${sixth.headers.get('retry-after')}`).to.equal(
          true,
        )
        expect(retryAfter).to.be.within(1, 60)
        // The existing token is not affected.
        expectOk(await limited.api('GET', '/v1/partner', {token: limited.token}))
      })
    })

    describe('token lifetime (--token-ttl 1s)', () => {
      const shortLived = useSandbox(['--token-ttl', '1s'])

      it('accepts a fresh token and answers 401 TOKEN_EXPIRED once it has expired', async () => {
        const token = await sandboxToken(shortLived.info)
        expectOk(await shortLived.api('GET', '/v1/partner', {token}))
        await sleep(1_500)
        expectProblem(await shortLived.api('GET', '/v1/partner', {token}), 401, 'TOKEN_EXPIRED')
        // Logging in again works.
        expectOk(await shortLived.api('GET', '/v1/partner', {token: await sandboxToken(shortLived.info)}))
      })
    })
  })

  describe('agents', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tcrmm-sandbox-api-'))
    const sb = useSandbox(['--data-dir', dataDir])
    after(() => rmSync(dataDir, {recursive: true, force: true}))

    it('registers an agent with the premium license (201) and updates it on a second registration (200)', async () => {
      const first = await register(sb, 'Bäckerei Schmidt')
      expectOk(first, 201)
      expect(first.json).to.include({
        agentId: 'Bäckerei Schmidt',
        tcVersion: '23.04.01',
        licenseEdition: 'premium',
        status: 'ok',
        warningCount: 0,
        customerNumber: null,
      })
      const second = await register(sb, 'Bäckerei Schmidt', {tcVersion: '24.10.03'})
      expectOk(second, 200)
      expect(second.json.agentId).to.equal('Bäckerei Schmidt')
      expect(second.json.tcVersion).to.equal('24.10.03')
      expect(second.json.registeredAt).to.equal(first.json.registeredAt)
      const standard = await register(sb, 'Metallbau Weber', {licenseXml: sb.standardXml})
      expectOk(standard, 201)
      expect(standard.json.licenseEdition).to.equal('standard')
    })

    it('refuses versions below 23.04.01 (422 VERSION_TOO_OLD) and non-versions (422 VERSION_INVALID)', async () => {
      expectProblem(await register(sb, 'Alt 1', {tcVersion: '22.12.05'}), 422, 'VERSION_TOO_OLD')
      expectProblem(await register(sb, 'Alt 2', {tcVersion: '23.03.99'}), 422, 'VERSION_TOO_OLD')
      expectProblem(await register(sb, 'Alt 3', {tcVersion: 'abc'}), 422, 'VERSION_INVALID')
      const accepted = await register(sb, 'Neu 23.4.1', {tcVersion: '23.4.1'})
      expectOk(accepted, 201)
      // Nothing refused was registered.
      const agents = await sb.api('GET', '/v1/agents?limit=1000', {token: sb.token})
      const ids = agents.json.items.map((a: Json) => a.agentId)
      expect(ids).to.include('Neu 23.4.1')
      expect(ids).not.to.include.members(['Alt 1'])
      expect(ids).not.to.include.members(['Alt 2'])
      expect(ids).not.to.include.members(['Alt 3'])
    })

    it('refuses a tampered license with 422 LICENSE_INVALID (licenseCode DIGEST_MISMATCH)', async () => {
      expect(sb.premiumXml).to.contain('<MaxCustomers>1000</MaxCustomers>')
      const tampered = sb.premiumXml.replace(
        '<MaxCustomers>1000</MaxCustomers>',
        '<MaxCustomers>9000</MaxCustomers>',
      )
      const response = await register(sb, 'Tampered GmbH', {licenseXml: tampered})
      expectProblem(response, 422, 'LICENSE_INVALID')
      expect(response.json.licenseCode).to.equal('DIGEST_MISMATCH')
    })

    it("refuses another partner's license signed by this sandbox's CA with 403 LICENSE_FOREIGN", async () => {
      const meta = readSandboxMeta(dataDir)
      expect(meta.partner.partnerId).to.equal(sb.info.partnerId)
      // Control: a license for this partner signed the same way is accepted, so the refusal below is about
      // the licensee, not about the signature.
      const own = signLicense(meta.pki, {company: sb.info.company, partnerId: sb.info.partnerId})
      expectOk(await register(sb, 'Eigene Lizenz GmbH', {licenseXml: own}), 201)
      const foreign = signLicense(meta.pki, {company: 'Konkurrenz Systemhaus AG', partnerId: 'P-99999'})
      const response = await register(sb, 'Fremde Lizenz GmbH', {licenseXml: foreign})
      expectProblem(response, 403, 'LICENSE_FOREIGN')
      // Same company, other partner id: still foreign.
      const otherId = signLicense(meta.pki, {company: sb.info.company, partnerId: 'P-00001'})
      expectProblem(await register(sb, 'Fremde Lizenz 2', {licenseXml: otherId}), 403, 'LICENSE_FOREIGN')
    })

    it('turns heartbeat warnings into status and warningCount (critical > warning > ok)', async () => {
      expectOk(await register(sb, 'Herzschlag KG'), 201)
      const critical = await heartbeat(sb, 'Herzschlag KG', [
        {code: 'DISK_SPACE_LOW', severity: 'warning'},
        {code: 'BACKUP_FAILED', severity: 'critical', message: 'Sicherung vom Montag fehlgeschlagen'},
      ])
      expectOk(critical)
      expect(critical.json).to.include({agentId: 'Herzschlag KG', status: 'critical', warningCount: 2})
      const warning = await heartbeat(sb, 'Herzschlag KG', [{code: 'TERMINAL_OFFLINE', severity: 'warning'}])
      expectOk(warning)
      expect(warning.json).to.include({status: 'warning', warningCount: 1})
      const ok = await heartbeat(sb, 'Herzschlag KG', [], '25.04.02')
      expectOk(ok)
      expect(ok.json).to.include({status: 'ok', warningCount: 0, tcVersion: '25.04.02'})
      expect(Date.parse(ok.json.lastContactAt)).to.be.at.least(Date.parse(critical.json.lastContactAt))
    })

    it('keeps the `since` of a warning while it is reported, and starts a new one for a new warning', async () => {
      expectOk(await register(sb, 'Seit Wann GmbH'), 201)
      expectOk(await createCustomer(sb, {customerNumber: 'SINCE-1', agentId: 'Seit Wann GmbH'}), 201)
      const warningsOf = async () => {
        const dashboard = await sb.api('GET', '/v1/dashboard?limit=1000', {token: sb.token})
        expectOk(dashboard)
        const row = dashboard.json.customers.find((c: Json) => c.customerNumber === 'SINCE-1')
        return row.warnings as Json[]
      }
      expectOk(await heartbeat(sb, 'Seit Wann GmbH', [{code: 'DISK_SPACE_LOW', severity: 'warning'}]))
      const [first] = await warningsOf()
      expect(first).to.include({
        code: 'DISK_SPACE_LOW',
        severity: 'warning',
        message: 'Wenig freier Speicher',
      })
      await sleep(30)
      expectOk(
        await heartbeat(sb, 'Seit Wann GmbH', [
          {code: 'DISK_SPACE_LOW', severity: 'warning', message: 'Noch 2 GB frei'},
          {code: 'TERMINAL_OFFLINE', severity: 'warning'},
        ]),
      )
      const second = await warningsOf()
      expect(second.map((w) => w.code)).to.deep.equal(['DISK_SPACE_LOW', 'TERMINAL_OFFLINE'])
      expect(second[0].since).to.equal(first.since)
      expect(second[0].message).to.equal('Noch 2 GB frei')
      expect(Date.parse(second[1].since)).to.be.greaterThan(Date.parse(first.since))
      // Once a warning is no longer reported it is gone; reported again later, it starts anew.
      expectOk(await heartbeat(sb, 'Seit Wann GmbH', []))
      expect(await warningsOf()).to.deep.equal([])
      await sleep(30)
      expectOk(await heartbeat(sb, 'Seit Wann GmbH', [{code: 'DISK_SPACE_LOW', severity: 'warning'}]))
      const [again] = await warningsOf()
      expect(Date.parse(again.since)).to.be.greaterThan(Date.parse(first.since))
    })

    it('answers a heartbeat of an unknown agent with 404 AGENT_NOT_FOUND', async () => {
      expectProblem(await heartbeat(sb, 'Niemand GmbH', []), 404, 'AGENT_NOT_FOUND')
      // Case and spaces count: a near miss is a different agent.
      expectProblem(await heartbeat(sb, 'bäckerei schmidt', []), 404, 'AGENT_NOT_FOUND')
      expectProblem(await heartbeat(sb, 'Bäckerei Schmidt ', []), 404, 'AGENT_NOT_FOUND')
    })

    it('takes agent ids with umlauts, &, quotes, a slash and spaces exactly, percent-encoded in paths', async () => {
      const ids = ['Café "Zeit" / Büro', 'Müller & Söhne GmbH', '  Leading Space', 'Ärzte?#Zentrum%20']
      for (const id of ids) {
        const registered = await register(sb, id)
        expectOk(registered, 201)
        expect(registered.json.agentId).to.equal(id)
        const beat = await heartbeat(sb, id, [{code: 'VERSION_OUTDATED', severity: 'warning'}])
        expectOk(beat)
        expect(beat.json.agentId).to.equal(id)
        expect(beat.json.warningCount).to.equal(1)
      }
      expect(encodeURIComponent('Café "Zeit" / Büro')).to.equal('Caf%C3%A9%20%22Zeit%22%20%2F%20B%C3%BCro')
      const listed = await sb.api('GET', '/v1/agents?limit=1000', {token: sb.token})
      const byId = new Map(listed.json.items.map((a: Json) => [a.agentId, a]))
      for (const id of ids) expect(byId.get(id), id).to.include({agentId: id, status: 'warning'})
      // The path with the slash left unencoded is a different (unknown) route, not this agent.
      const raw = await sb.api('POST', '/v1/agents/Caf%C3%A9%20%22Zeit%22%20/%20B%C3%BCro/heartbeat', {
        token: sb.token,
        body: {warnings: []},
      })
      expect(raw.status).to.equal(404)
    })

    it('lists only agents without a customer with ?unassigned=true, ordered by agent id', async () => {
      await registerAll(sb, ['Frei Eins', 'Frei Zwei', 'Vergeben Eins'])
      expectOk(await createCustomer(sb, {customerNumber: 'UNASSIGNED-1', agentId: 'Vergeben Eins'}), 201)
      const all = await sb.api('GET', '/v1/agents?limit=1000', {token: sb.token})
      expectOk(all)
      const unassigned = await sb.api('GET', '/v1/agents?unassigned=true&limit=1000', {token: sb.token})
      expectOk(unassigned)
      const ids = unassigned.json.items.map((a: Json) => a.agentId)
      expect(ids).to.include.members(['Frei Eins', 'Frei Zwei'])
      expect(ids).not.to.include('Vergeben Eins')
      expect(ids).not.to.include('Seit Wann GmbH')
      for (const agent of unassigned.json.items) expect(agent.customerNumber).to.equal(null)
      const allIds = all.json.items.map((a: Json) => a.agentId)
      expect(allIds).to.include('Vergeben Eins')
      expect(all.json.items.find((a: Json) => a.agentId === 'Vergeben Eins').customerNumber).to.equal(
        'UNASSIGNED-1',
      )
      expect(allIds.filter((id: string) => !ids.includes(id)).sort()).to.deep.equal(
        all.json.items
          .filter((a: Json) => a.customerNumber !== null)
          .map((a: Json) => a.agentId)
          .sort(),
      )
      expect(allIds).to.deep.equal([...allIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    })

    describe('licenses from another sandbox', () => {
      const other = useSandbox()

      it('refuses a license signed by another sandbox instance with 422 LICENSE_INVALID (UNTRUSTED_SIGNER)', async () => {
        expect(other.info.rootCertificate).not.to.equal(sb.info.rootCertificate)
        const response = await register(sb, 'Fremde Instanz GmbH', {licenseXml: other.premiumXml})
        expectProblem(response, 422, 'LICENSE_INVALID')
        expect(response.json.licenseCode).to.equal('UNTRUSTED_SIGNER')
        // And the other way round.
        const back = await register(other, 'Fremde Instanz GmbH', {licenseXml: sb.premiumXml})
        expectProblem(back, 422, 'LICENSE_INVALID')
        expect(back.json.licenseCode).to.equal('UNTRUSTED_SIGNER')
      })
    })

    describe('offline agents (--offline-after 1s)', () => {
      const quick = useSandbox(['--offline-after', '1s'])

      it('marks an agent offline after ~1.5 s without heartbeat and shows AGENT_OFFLINE on the dashboard', async () => {
        expectOk(await register(quick, 'Stille Post GmbH'), 201)
        expectOk(await createCustomer(quick, {customerNumber: 'OFF-1', agentId: 'Stille Post GmbH'}), 201)
        const fresh = await quick.api('GET', '/v1/agents', {token: quick.token})
        expect(fresh.json.items[0]).to.include({agentId: 'Stille Post GmbH', status: 'ok'})
        await sleep(1_500)
        const agents = await quick.api('GET', '/v1/agents', {token: quick.token})
        expectOk(agents)
        expect(agents.json.items[0]).to.include({
          agentId: 'Stille Post GmbH',
          status: 'offline',
          warningCount: 1,
        })
        const dashboard = await quick.api('GET', '/v1/dashboard', {token: quick.token})
        expectOk(dashboard)
        expect(dashboard.json.summary).to.deep.equal({
          customers: 1,
          ok: 0,
          warning: 0,
          critical: 0,
          offline: 1,
        })
        const [row] = dashboard.json.customers
        expect(row.status).to.equal('offline')
        expect(row.warnings.map((w: Json) => w.code)).to.deep.equal(['AGENT_OFFLINE'])
        expect(row.warningCount).to.equal(1)
        // A heartbeat brings it back.
        const back = await heartbeat(quick, 'Stille Post GmbH', [])
        expectOk(back)
        expect(back.json.status).to.equal('ok')
      })
    })
  })

  describe('customers', () => {
    const sb = useSandbox()
    const agents = ['Kunde Alpha', 'Kunde Beta', 'Kunde Gamma', 'Kunde Delta', 'Kunde Epsilon', 'Kunde Zeta']

    before(async () => registerAll(sb, agents))

    it('creates a customer (201) and answers the same pair again with 200, unchanged, with or without a new key', async () => {
      const created = await createCustomer(sb, {
        customerNumber: 'K-1001',
        agentId: 'Kunde Alpha',
        name: 'Alpha',
      })
      expectOk(created, 201)
      expect(created.json).to.include({
        customerNumber: 'K-1001',
        agentId: 'Kunde Alpha',
        name: 'Alpha',
        status: 'ok',
        warningCount: 0,
        tcVersion: '23.04.01',
      })
      expect(created.json.createdAt).to.be.a('string')
      const again = await createCustomer(sb, {
        customerNumber: 'K-1001',
        agentId: 'Kunde Alpha',
        name: 'Alpha',
      })
      expectOk(again, 200)
      expect(again.json).to.deep.equal(created.json)
      const keyed = await createCustomer(
        sb,
        {customerNumber: 'K-1001', agentId: 'Kunde Alpha', name: 'Alpha'},
        {'idempotency-key': randomUUID()},
      )
      expectOk(keyed, 200)
      expect(keyed.json).to.deep.equal(created.json)
      expect(keyed.headers.get('idempotent-replayed')).to.equal(null)
      const fetched = await sb.api('GET', '/v1/customers/K-1001', {token: sb.token})
      expectOk(fetched)
      expect(fetched.json).to.deep.equal(created.json)
    })

    it('refuses another number for an assigned agent with 409 AGENT_ALREADY_ASSIGNED and `existing`', async () => {
      const response = await createCustomer(sb, {customerNumber: 'K-2002', agentId: 'Kunde Alpha'})
      expectProblem(response, 409, 'AGENT_ALREADY_ASSIGNED')
      expect(response.json.existing).to.deep.equal({customerNumber: 'K-1001', agentId: 'Kunde Alpha'})
      expectProblem(await sb.api('GET', '/v1/customers/K-2002', {token: sb.token}), 404, 'CUSTOMER_NOT_FOUND')
    })

    it('refuses a taken number for another agent with 409 CUSTOMER_NUMBER_TAKEN and `existing`', async () => {
      const response = await createCustomer(sb, {customerNumber: 'K-1001', agentId: 'Kunde Beta'})
      expectProblem(response, 409, 'CUSTOMER_NUMBER_TAKEN')
      expect(response.json.existing).to.deep.equal({customerNumber: 'K-1001', agentId: 'Kunde Alpha'})
    })

    it('refuses an unknown agent with 404 AGENT_NOT_FOUND', async () => {
      expectProblem(
        await createCustomer(sb, {customerNumber: 'K-3003', agentId: 'Gibt Es Nicht GmbH'}),
        404,
        'AGENT_NOT_FOUND',
      )
    })

    it('requires a customer number: missing or empty → 422 CUSTOMER_NUMBER_REQUIRED', async () => {
      expectProblem(await createCustomer(sb, {agentId: 'Kunde Beta'}), 422, 'CUSTOMER_NUMBER_REQUIRED')
      expectProblem(
        await createCustomer(sb, {customerNumber: '', agentId: 'Kunde Beta'}),
        422,
        'CUSTOMER_NUMBER_REQUIRED',
      )
      const agent = await sb.api('GET', '/v1/agents?unassigned=true', {token: sb.token})
      expect(agent.json.items.map((a: Json) => a.agentId)).to.include('Kunde Beta')
    })

    it('replays the first response for the same Idempotency-Key and body, with Idempotent-Replayed: true', async () => {
      const key = `create-${randomUUID()}`
      const body = {customerNumber: 'K-4004', agentId: 'Kunde Beta', name: 'Beta & Söhne'}
      const first = await createCustomer(sb, body, {'idempotency-key': key})
      expectOk(first, 201)
      expect(first.headers.get('idempotent-replayed')).to.equal(null)
      const retry = await createCustomer(sb, body, {'idempotency-key': key})
      expect(retry.status).to.equal(201)
      expect(mediaType(retry)).to.equal('application/json')
      expect(retry.headers.get('idempotent-replayed')).to.equal('true')
      expect(retry.json).to.deep.equal(first.json)
      const list = await sb.api('GET', '/v1/customers?limit=1000', {token: sb.token})
      expect(list.json.items.filter((c: Json) => c.customerNumber === 'K-4004')).to.have.length(1)
    })

    it('replays an error response for the same Idempotency-Key and body too', async () => {
      const key = `error-${randomUUID()}`
      const body = {customerNumber: 'K-5005', agentId: 'Noch Nicht Da GmbH'}
      const first = await createCustomer(sb, body, {'idempotency-key': key})
      expectProblem(first, 404, 'AGENT_NOT_FOUND')
      expect(first.headers.get('idempotent-replayed')).to.equal(null)
      const retry = await createCustomer(sb, body, {'idempotency-key': key})
      expectProblem(retry, 404, 'AGENT_NOT_FOUND')
      expect(retry.headers.get('idempotent-replayed')).to.equal('true')
      expect(retry.json).to.deep.equal(first.json)
    })

    it('refuses the same Idempotency-Key with another body with 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const key = `reuse-${randomUUID()}`
      expectOk(
        await createCustomer(
          sb,
          {customerNumber: 'K-6006', agentId: 'Kunde Gamma'},
          {'idempotency-key': key},
        ),
        201,
      )
      const reused = await createCustomer(
        sb,
        {customerNumber: 'K-6007', agentId: 'Kunde Delta'},
        {'idempotency-key': key},
      )
      expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED')
      const renamed = await createCustomer(
        sb,
        {customerNumber: 'K-6006', agentId: 'Kunde Gamma', name: 'Anders'},
        {'idempotency-key': key},
      )
      expectProblem(renamed, 422, 'IDEMPOTENCY_KEY_REUSED')
      expectProblem(await sb.api('GET', '/v1/customers/K-6007', {token: sb.token}), 404, 'CUSTOMER_NOT_FOUND')
    })

    it('gets one customer, and answers an unknown number with 404 CUSTOMER_NOT_FOUND', async () => {
      const one = await sb.api('GET', '/v1/customers/K-6006', {token: sb.token})
      expectOk(one)
      expect(one.json).to.include({customerNumber: 'K-6006', agentId: 'Kunde Gamma', name: null})
      expectProblem(await sb.api('GET', '/v1/customers/K-0000', {token: sb.token}), 404, 'CUSTOMER_NOT_FOUND')
    })

    it('deletes a customer (204); its agent is unassigned again and can take a new number', async () => {
      expectOk(await createCustomer(sb, {customerNumber: 'K-7007', agentId: 'Kunde Epsilon'}), 201)
      const deleted = await sb.api('DELETE', '/v1/customers/K-7007', {token: sb.token})
      expectOk(deleted, 204)
      expect(deleted.text).to.equal('')
      expectProblem(await sb.api('GET', '/v1/customers/K-7007', {token: sb.token}), 404, 'CUSTOMER_NOT_FOUND')
      expectProblem(
        await sb.api('DELETE', '/v1/customers/K-7007', {token: sb.token}),
        404,
        'CUSTOMER_NOT_FOUND',
      )
      const unassigned = await sb.api('GET', '/v1/agents?unassigned=true&limit=1000', {token: sb.token})
      const epsilon = unassigned.json.items.find((a: Json) => a.agentId === 'Kunde Epsilon')
      expect(epsilon).to.include({customerNumber: null})
      const renumbered = await createCustomer(sb, {customerNumber: 'K-7008', agentId: 'Kunde Epsilon'})
      expectOk(renumbered, 201)
      // The freed number can go to another agent.
      expectOk(await createCustomer(sb, {customerNumber: 'K-7007', agentId: 'Kunde Zeta'}), 201)
    })

    it('walks all customers with limit=10 via nextCursor: each exactly once, in order, last nextCursor null', async () => {
      const ids = Array.from({length: 25}, (_, i) => `Seiten-Agent ${String(i).padStart(2, '0')}`)
      await registerAll(sb, ids)
      const created = await Promise.all(
        ids.map((agentId, i) =>
          createCustomer(sb, {customerNumber: `P-${String(i).padStart(3, '0')}`, agentId}),
        ),
      )
      for (const response of created) expect(response.status, response.text).to.equal(201)
      const all = await sb.api('GET', '/v1/customers?limit=1000', {token: sb.token})
      expectOk(all)
      expect(all.json.nextCursor).to.equal(null)
      const pages = await walkPages(sb, '/v1/customers', 10)
      const seen = pages.flatMap((page) => page.items.map((c: Json) => c.customerNumber))
      expect(pages.at(-1).nextCursor).to.equal(null)
      for (const page of pages.slice(0, -1)) expect(page.items).to.have.length(10)
      expect(pages.at(-1).items.length).to.be.within(1, 10)
      expect(new Set(seen).size).to.equal(seen.length)
      expect(seen).to.deep.equal(all.json.items.map((c: Json) => c.customerNumber))
      expect(seen).to.include.members(created.map((r) => r.json.customerNumber))
      expect(seen).to.deep.equal([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      // The default limit (100) covers everything here.
      const byDefault = await sb.api('GET', '/v1/customers', {token: sb.token})
      expect(byDefault.json.items).to.have.length(seen.length)
    })

    it('refuses a cursor it did not give out with 400 BAD_CURSOR', async () => {
      expectProblem(
        await sb.api('GET', '/v1/customers?cursor=garbage!!', {token: sb.token}),
        400,
        'BAD_CURSOR',
      )
      const wrongShape = Buffer.from(JSON.stringify({after: 42})).toString('base64url')
      expectProblem(
        await sb.api('GET', `/v1/customers?cursor=${wrongShape}`, {token: sb.token}),
        400,
        'BAD_CURSOR',
      )
      expectProblem(await sb.api('GET', '/v1/agents?cursor=%7B%7D', {token: sb.token}), 400, 'BAD_CURSOR')
      expectProblem(await sb.api('GET', '/v1/dashboard?cursor=bm9wZQ', {token: sb.token}), 400, 'BAD_CURSOR')
    })

    it('refuses limit 0, 1001 or a non-number with 400 VALIDATION_FAILED', async () => {
      for (const limit of ['0', '1001', '-1', 'zehn']) {
        for (const path of ['/v1/customers', '/v1/agents', '/v1/dashboard']) {
          expectProblem(
            await sb.api('GET', `${path}?limit=${limit}`, {token: sb.token}),
            400,
            'VALIDATION_FAILED',
          )
        }
      }
      expectOk(await sb.api('GET', '/v1/customers?limit=1', {token: sb.token}))
      expectOk(await sb.api('GET', '/v1/customers?limit=1000', {token: sb.token}))
    })
  })

  describe('concurrency', () => {
    const sb = useSandbox()
    const agents = Array.from({length: 100}, (_, i) => `Parallel ${String(i).padStart(3, '0')} GmbH`)
    const racers = Array.from({length: 20}, (_, i) => `Wettlauf ${String(i).padStart(2, '0')} KG`)

    before(async () => registerAll(sb, [...agents, ...racers]))

    it('creates 100 customers from 100 concurrent POSTs: all 201, listed exactly once', async () => {
      const responses = await Promise.all(
        agents.map((agentId, i) =>
          createCustomer(sb, {customerNumber: `C-${String(i).padStart(3, '0')}`, agentId}),
        ),
      )
      expect(responses.map((r) => r.status)).to.deep.equal(agents.map(() => 201))
      const list = await sb.api('GET', '/v1/customers?limit=1000', {token: sb.token})
      expectOk(list)
      const numbers = list.json.items.map((c: Json) => c.customerNumber)
      expect(numbers).to.have.length(100)
      expect(new Set(numbers).size).to.equal(100)
      expect(new Set(list.json.items.map((c: Json) => c.agentId))).to.deep.equal(new Set(agents))
      for (const customer of list.json.items) {
        expect(customer.agentId).to.equal(agents[Number(customer.customerNumber.slice(2))])
      }
    })

    it('gives one number raced by 20 agents to exactly one (201); the other 19 get 409', async () => {
      const responses = await Promise.all(
        racers.map((agentId) => createCustomer(sb, {customerNumber: 'RACE-1', agentId})),
      )
      const winners = responses.filter((r) => r.status === 201)
      const losers = responses.filter((r) => r.status === 409)
      expect(winners).to.have.length(1)
      expect(losers).to.have.length(19)
      for (const loser of losers) {
        expectProblem(loser, 409, 'CUSTOMER_NUMBER_TAKEN')
        expect(loser.json.existing).to.deep.equal({
          customerNumber: 'RACE-1',
          agentId: winners[0]!.json.agentId,
        })
      }
      const stored = await sb.api('GET', '/v1/customers/RACE-1', {token: sb.token})
      expect(stored.json.agentId).to.equal(winners[0]!.json.agentId)
      const list = await sb.api('GET', '/v1/customers?limit=1000', {token: sb.token})
      expect(list.json.items).to.have.length(101)
    })
  })

  describe('bad input', () => {
    const sb = useSandbox()

    before(async () => registerAll(sb, ['Eingabe GmbH', 'Typen GmbH', 'Unicode GmbH']))

    it('answers malformed JSON with 400 BAD_REQUEST', async () => {
      expectProblem(
        await sb.api('POST', '/v1/customers', {token: sb.token, body: '{"customerNumber": "X-1",'}),
        400,
        'BAD_REQUEST',
      )
      expectProblem(
        await sb.api('POST', '/v1/agents/register', {token: sb.token, body: '{agentId: nope}'}),
        400,
        'BAD_REQUEST',
      )
    })

    it('answers a non-JSON content type with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      expectProblem(
        await sb.api('POST', '/v1/customers', {
          token: sb.token,
          body: JSON.stringify({customerNumber: 'X-2', agentId: 'Eingabe GmbH'}),
          headers: {'content-type': 'text/plain'},
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      )
      expectProblem(
        await sb.api('POST', '/v1/auth/token', {
          body: 'username=a&password=b',
          headers: {'content-type': 'application/x-www-form-urlencoded'},
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      )
    })

    it('answers a body over 64 KiB on /v1/customers with 413 PAYLOAD_TOO_LARGE', async () => {
      const body = {customerNumber: 'X-3', agentId: 'Eingabe GmbH', name: 'x'.repeat(65 * 1024)}
      expectProblem(await createCustomer(sb, body), 413, 'PAYLOAD_TOO_LARGE')
      expectProblem(await sb.api('GET', '/v1/customers/X-3', {token: sb.token}), 404, 'CUSTOMER_NOT_FOUND')
    })

    it('answers a 4 MiB registration with 413 PAYLOAD_TOO_LARGE as soon as it has the headers', async () => {
      // The body is announced (Content-Length 4 MiB) but held back until the answer is there.
      const response = await postAnnounced(sb, '/v1/agents/register', 4 * 1024 * 1024)
      expect(response.status, response.text).to.equal(413)
      expect(mediaType(response)).to.equal('application/problem+json')
      expect(response.json.code).to.equal('PAYLOAD_TOO_LARGE')
    })

    it('lets a client that sends a whole 4 MiB registration read the 413 PAYLOAD_TOO_LARGE (5 of 5 attempts)', async () => {
      const body = {agentId: 'Riesig GmbH', tcVersion: '23.04.01', licenseXml: 'x'.repeat(4 * 1024 * 1024)}
      const outcomes: string[] = []
      for (let i = 0; i < 5; i++) {
        try {
          const response = await sb.api('POST', '/v1/agents/register', {token: sb.token, body})
          outcomes.push(`${response.status} ${mediaType(response)} ${response.json?.code}`)
        } catch (error) {
          const cause = (error as {cause?: {code?: string}}).cause
          outcomes.push(`fetch failed: ${cause?.code ?? String(error)}`)
        }
      }
      expect(outcomes).to.deep.equal(Array(5).fill('413 application/problem+json PAYLOAD_TOO_LARGE'))
    })

    it('answers an unknown field with 400 VALIDATION_FAILED naming it in `errors`', async () => {
      const response = await createCustomer(sb, {
        customerNumber: 'X-4',
        agentId: 'Eingabe GmbH',
        colour: 'blau',
      })
      expectProblem(response, 400, 'VALIDATION_FAILED')
      expect(response.json.errors).to.be.an('array').with.length.greaterThan(0)
      expect(response.json.errors).to.deep.include({path: 'body', message: 'unknown field "colour"'})
      const beat = await heartbeat(sb, 'Eingabe GmbH', [
        {code: 'DISK_SPACE_LOW', severity: 'warning', extra: 1},
      ])
      expectProblem(beat, 400, 'VALIDATION_FAILED')
      expect(beat.json.errors.map((e: Json) => e.path)).to.include('body/warnings/0')
    })

    it('answers fields of the wrong type with 400 VALIDATION_FAILED (no coercion of JSON bodies)', async () => {
      const heartbeatPath = `/v1/agents/${encodeURIComponent('Typen GmbH')}/heartbeat`
      const cases: Array<[string, object]> = [
        ['/v1/customers', {customerNumber: {nr: 1}, agentId: 'Typen GmbH'}],
        ['/v1/customers', {customerNumber: 'T-1', agentId: ['Typen GmbH', 'Noch eine']}],
        ['/v1/customers', {customerNumber: 4711, agentId: 'Typen GmbH'}],
        ['/v1/customers', {customerNumber: 'T-2', agentId: 'Typen GmbH', name: 42}],
        ['/v1/customers', {customerNumber: 'T-3', agentId: 'Typen GmbH', name: false}],
        ['/v1/customers', {customerNumber: ['T-4'], agentId: 'Typen GmbH'}],
        ['/v1/auth/token', {username: sb.info.apiUser, password: 12345}],
        ['/v1/agents/register', {agentId: 'Typ GmbH', tcVersion: 23.04, licenseXml: sb.premiumXml}],
        ['/v1/agents/register', {agentId: 12345, tcVersion: '23.04.01', licenseXml: sb.premiumXml}],
        [heartbeatPath, {warnings: 'keine'}],
        [heartbeatPath, {warnings: [{code: 'X', severity: 'fatal'}]}],
        [heartbeatPath, {warnings: null}],
        [heartbeatPath, {warnings: [], tcVersion: 25}],
        ['/_sandbox/faults', {errorRate: '0.5'}],
      ]
      const outcomes = []
      for (const [path, body] of cases) {
        const response = await sb.api(path === '/_sandbox/faults' ? 'PUT' : 'POST', path, {
          token: sb.token,
          body,
        })
        outcomes.push({
          request: `${path} ${JSON.stringify(body).slice(0, 90)}`,
          answer: `${response.status} ${mediaType(response)} ${response.json?.code}`,
          errors: Array.isArray(response.json?.errors) && response.json.errors.length > 0,
        })
      }
      expect(outcomes).to.deep.equal(
        outcomes.map(({request}) => ({
          request,
          answer: '400 application/problem+json VALIDATION_FAILED',
          errors: true,
        })),
      )
      // Nothing was created or changed by any of them.
      const list = await sb.api('GET', '/v1/customers?limit=1000', {token: sb.token})
      const ofTypen = list.json.items.filter((c: Json) => c.agentId === 'Typen GmbH')
      expect(ofTypen).to.deep.equal([])
      const faults = await sb.api('GET', '/_sandbox/faults')
      expect(faults.json).to.deep.equal({errorRate: 0, dropRate: 0, latencyMs: 0, rateLimitRate: 0})
    })

    it('answers percent-encoded Unicode in a customer number path with 404 CUSTOMER_NOT_FOUND', async () => {
      for (const encoded of ['K%C3%BCnde-%E2%82%AC-1', '%F0%9F%98%80', 'M%C3%BCller%20%26%20S%C3%B6hne']) {
        for (const method of ['GET', 'DELETE']) {
          expectProblem(
            await sb.api(method, `/v1/customers/${encoded}`, {token: sb.token}),
            404,
            'CUSTOMER_NOT_FOUND',
          )
        }
      }
      // A Unicode customer number round-trips through the path.
      expectOk(await createCustomer(sb, {customerNumber: 'Kündé-€-7', agentId: 'Unicode GmbH'}), 201)
      const found = await sb.api('GET', `/v1/customers/${encodeURIComponent('Kündé-€-7')}`, {token: sb.token})
      expectOk(found)
      expect(found.json).to.include({customerNumber: 'Kündé-€-7', agentId: 'Unicode GmbH'})
      expectOk(
        await sb.api('DELETE', `/v1/customers/${encodeURIComponent('Kündé-€-7')}`, {token: sb.token}),
        204,
      )
    })

    it('answers an encoded %2F (or other impossible number) in a customer number path with 404 CUSTOMER_NOT_FOUND', async () => {
      const outcomes = []
      for (const encoded of ['a%2Fb', '..%2F..%2Fpartner', 'a%5Cb', '%20lead']) {
        for (const method of ['GET', 'DELETE']) {
          const response = await sb.api(method, `/v1/customers/${encoded}`, {token: sb.token})
          outcomes.push(
            `${method} ${encoded} → ${response.status} ${mediaType(response)} ${response.json?.code}`,
          )
        }
      }
      expect(outcomes).to.deep.equal(
        outcomes.map((o) => o.replace(/→ .*/, '→ 404 application/problem+json CUSTOMER_NOT_FOUND')),
      )
    })

    it('still answers normally after all of that', async () => {
      expect(sb.process.child.exitCode).to.equal(null)
      expectOk(await sb.api('GET', '/v1/partner', {token: sb.token}))
      expectOk(await register(sb, 'Normal GmbH'), 201)
      expectOk(await createCustomer(sb, {customerNumber: 'X-OK', agentId: 'Normal GmbH'}), 201)
      const found = await sb.api('GET', '/v1/customers/X-OK', {token: sb.token})
      expectOk(found)
      expect(found.json.agentId).to.equal('Normal GmbH')
      expectOk(await sb.api('GET', '/v1/dashboard', {token: sb.token}))
    })
  })

  describe('dashboard', () => {
    const sb = useSandbox()

    /** Three customers: ok, warning (1 warning), critical (2 warnings). */
    async function populate(sandbox: Sandbox): Promise<void> {
      await registerAll(sandbox, ['Dash Ruhig', 'Dash Warnung', 'Dash Kritisch'])
      expectOk(await createCustomer(sandbox, {customerNumber: 'D-1', agentId: 'Dash Ruhig'}), 201)
      expectOk(await createCustomer(sandbox, {customerNumber: 'D-2', agentId: 'Dash Warnung'}), 201)
      expectOk(await createCustomer(sandbox, {customerNumber: 'D-3', agentId: 'Dash Kritisch'}), 201)
      expectOk(await heartbeat(sandbox, 'Dash Warnung', [{code: 'LICENSE_EXPIRING', severity: 'warning'}]))
      expectOk(
        await heartbeat(sandbox, 'Dash Kritisch', [
          {code: 'BACKUP_FAILED', severity: 'critical'},
          {code: 'TERMINAL_OFFLINE', severity: 'warning', message: 'Terminal "Eingang" antwortet nicht'},
        ]),
      )
    }

    /** Walks every page; the summary is the same on each and equals the rows' statuses. */
    async function walkDashboard(sandbox: Sandbox, limit: number): Promise<{summary: Json; rows: Json[]}> {
      const pages = await walkPages(sandbox, '/v1/dashboard', limit)
      const rows = pages.flatMap((page) => page.customers)
      for (const page of pages) expect(page.summary).to.deep.equal(pages[0].summary)
      const summary = pages[0].summary
      expect(summary.customers).to.equal(rows.length)
      expect(countStatuses(rows)).to.deep.equal({
        ok: summary.ok,
        warning: summary.warning,
        critical: summary.critical,
        offline: summary.offline,
      })
      const numbers = rows.map((row) => row.customerNumber)
      expect(new Set(numbers).size).to.equal(numbers.length)
      return {summary, rows}
    }

    it('premium: lists each warning with code, severity, message and since', async () => {
      await populate(sb)
      const dashboard = await sb.api('GET', '/v1/dashboard', {token: sb.token})
      expectOk(dashboard)
      expect(dashboard.json.edition).to.equal('premium')
      expect(dashboard.json.nextCursor).to.equal(null)
      expect(dashboard.json.summary).to.deep.equal({customers: 3, ok: 1, warning: 1, critical: 1, offline: 0})
      const rows = dashboard.json.customers
      expect(rows.map((r: Json) => [r.customerNumber, r.status, r.warningCount])).to.deep.equal([
        ['D-1', 'ok', 0],
        ['D-2', 'warning', 1],
        ['D-3', 'critical', 2],
      ])
      for (const row of rows) {
        expect(row.warnings).to.be.an('array').with.length(row.warningCount)
        expect(row.tcVersion).to.equal('23.04.01')
      }
      expect(rows[0].warnings).to.deep.equal([])
      expect(rows[1].warnings[0]).to.include({code: 'LICENSE_EXPIRING', severity: 'warning'})
      const [backup, terminal] = rows[2].warnings
      expect(backup).to.include({
        code: 'BACKUP_FAILED',
        severity: 'critical',
        message: 'Datensicherung fehlgeschlagen',
      })
      expect(terminal).to.include({
        code: 'TERMINAL_OFFLINE',
        severity: 'warning',
        message: 'Terminal "Eingang" antwortet nicht',
      })
      for (const warning of rows[2].warnings) expect(Number.isNaN(Date.parse(warning.since))).to.equal(false)
    })

    it('premium: the summary covers all pages and equals the rows walked with limit=1', async () => {
      const {summary, rows} = await walkDashboard(sb, 1)
      expect(summary).to.deep.equal({customers: 3, ok: 1, warning: 1, critical: 1, offline: 0})
      expect(rows.map((r) => r.customerNumber)).to.deep.equal(['D-1', 'D-2', 'D-3'])
    })

    describe('standard edition (--edition standard)', () => {
      const standard = useSandbox(['--edition', 'standard'])

      it('shows status and warningCount, with `warnings` null', async () => {
        const partner = await standard.api('GET', '/v1/partner', {token: standard.token})
        expect(partner.json).to.include({edition: 'standard'})
        expect(partner.json.limits).to.deep.equal({maxCustomers: 25})
        await populate(standard)
        const dashboard = await standard.api('GET', '/v1/dashboard', {token: standard.token})
        expectOk(dashboard)
        expect(dashboard.json.edition).to.equal('standard')
        for (const row of dashboard.json.customers) {
          expect(row).to.have.property('warnings', null)
          expect(row).to.have.property('warningCount').that.is.a('number')
        }
        expect(dashboard.json.customers.map((r: Json) => [r.status, r.warningCount])).to.deep.equal([
          ['ok', 0],
          ['warning', 1],
          ['critical', 2],
        ])
        const {summary} = await walkDashboard(standard, 2)
        expect(summary).to.deep.equal({customers: 3, ok: 1, warning: 1, critical: 1, offline: 0})
      })
    })

    describe('seeded world (--seed 200)', () => {
      const seeded = useSandbox(['--seed', '200'])

      it('has 200 customers in the realistic status mix, summary equal to the rows', async () => {
        const {summary, rows} = await walkDashboard(seeded, 37)
        expect(summary.customers).to.equal(200)
        expect(rows).to.have.length(200)
        expect(summary.ok, 'ok').to.be.within(110, 170)
        expect(summary.warning, 'warning').to.be.within(20, 70)
        expect(summary.critical, 'critical').to.be.within(3, 30)
        expect(summary.offline, 'offline').to.be.within(1, 20)
        for (const row of rows) {
          expect(row.warnings).to.be.an('array').with.length(row.warningCount)
          if (row.status === 'offline') expect(row.warnings[0].code).to.equal('AGENT_OFFLINE')
          if (row.status === 'ok') expect(row.warningCount).to.equal(0)
          if (row.status === 'critical') {
            expect(row.warnings.some((w: Json) => w.severity === 'critical')).to.equal(true)
          }
        }
        const names = rows.map((row) => `${row.agentId} ${row.name ?? ''}`)
        expect(
          names.some((name) => /[äöüÄÖÜß]/.test(name)),
          'company names with umlauts',
        ).to.equal(true)
        expect(rows.map((r) => r.customerNumber)).to.deep.equal([...rows.map((r) => r.customerNumber)].sort())
      })

      it('has 20 unassigned agents, and the customers list agrees with the dashboard', async () => {
        const unassigned = (await walkPages(seeded, '/v1/agents?unassigned=true', 7)).flatMap((p) => p.items)
        expect(unassigned).to.have.length(20)
        for (const agent of unassigned) expect(agent.customerNumber).to.equal(null)
        expect(new Set(unassigned.map((a) => a.agentId)).size).to.equal(20)
        const agents = (await walkPages(seeded, '/v1/agents', 100)).flatMap((p) => p.items)
        expect(agents).to.have.length(220)
        const customers = (await walkPages(seeded, '/v1/customers', 64)).flatMap((p) => p.items)
        expect(customers).to.have.length(200)
        const assigned = new Set(customers.map((c) => c.agentId))
        for (const agent of unassigned) expect(assigned.has(agent.agentId), agent.agentId).to.equal(false)
      })
    })
  })
})
