/**
 * The API client against a real node:http server on 127.0.0.1 (no HTTP mocking): retries, the POST rule,
 * problem+json → exit codes, pagination, percent-encoding, and a debug trace without secrets.
 */
import {expect} from 'chai'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'

import {
  ApiClient,
  type ApiClientOptions,
  ApiError,
  exitKindOfStatus,
  pathOf,
  retryAfterMs,
} from '../../src/lib/api/client.js'
import {CliError} from '../../src/lib/errors.js'
import {issue} from '../support/pki.js'

interface Seen {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen, count: number) => void

let server: Server
let baseUrl: string
let seen: Seen[]
let handler: Handler

function listen(target: Server): Promise<number> {
  return new Promise((resolve) =>
    target.listen(0, '127.0.0.1', () => resolve((target.address() as AddressInfo).port)),
  )
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {'content-type': 'application/json', ...headers})
  res.end(JSON.stringify(body))
}

function problem(res: ServerResponse, status: number, code: string, detail: string, extra: object = {}) {
  res.writeHead(status, {'content-type': 'application/problem+json'})
  res.end(JSON.stringify({type: 'about:blank', title: `HTTP ${status}`, status, code, detail, ...extra}))
}

/** Answers the n-th request (1-based) with the n-th function, repeating the last one. */
function sequence(...steps: Array<(res: ServerResponse, req: IncomingMessage) => void>): Handler {
  return (req, res, _seen, count) => (steps[Math.min(count, steps.length) - 1] as (typeof steps)[0])(res, req)
}

const drop = (_res: ServerResponse, req: IncomingMessage) => req.socket.destroy()

let sleeps: number[]

function client(options: Partial<ApiClientOptions> = {}): ApiClient {
  return new ApiClient({
    baseUrl,
    getToken: async () => 'tok-secret-123',
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    ...options,
  })
}

/** The error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    return error as CliError
  }
  expect.fail('the call succeeded')
}

describe('ApiClient', () => {
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const entry = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }
        seen.push(entry)
        // A fresh connection per request, so a kept-alive socket closed by an earlier test never adds a retry.
        res.setHeader('connection', 'close')
        handler(req, res, entry, seen.length)
      })
    })
    baseUrl = `http://127.0.0.1:${await listen(server)}`
  })

  after(() => {
    server.closeAllConnections()
    server.close()
  })

  beforeEach(() => {
    seen = []
    sleeps = []
    handler = (_req, res) => json(res, 200, {ok: true})
  })

  describe('a successful call', () => {
    it('sends the bearer token and JSON, and returns status, parsed body and headers', async () => {
      handler = (_req, res) => json(res, 201, {customerNumber: '10001'}, {'x-request-id': 'r1'})
      const response = await client().post<{customerNumber: string}>('/v1/customers', {
        customerNumber: '10001',
        agentId: 'A',
      })
      expect(response.status).to.equal(201)
      expect(response.body).to.deep.equal({customerNumber: '10001'})
      expect(response.headers['x-request-id']).to.equal('r1')
      const [request] = seen
      expect(request?.method).to.equal('POST')
      expect(request?.headers.authorization).to.equal('Bearer tok-secret-123')
      expect(request?.headers['content-type']).to.equal('application/json')
      expect(JSON.parse(request?.body ?? '')).to.deep.equal({customerNumber: '10001', agentId: 'A'})
    })

    it('sends no Authorization header without a token', async () => {
      await client({getToken: undefined}).get('/v1/partner')
      expect(seen[0]?.headers.authorization).to.equal(undefined)
    })

    it('builds the query, leaving out undefined values', async () => {
      await client().get('/v1/agents', {unassigned: true, limit: 5, cursor: undefined, q: 'a b&c'})
      expect(seen[0]?.url).to.equal('/v1/agents?unassigned=true&limit=5&q=a+b%26c')
    })

    it('returns an undefined body for 204, and supports PUT and DELETE', async () => {
      handler = (req, res) => {
        res.writeHead(204)
        res.end()
      }
      expect((await client().delete('/v1/customers/1')).body).to.equal(undefined)
      await client().put('/_sandbox/faults', {errorRate: 0})
      expect(seen.map((request) => request.method)).to.deep.equal(['DELETE', 'PUT'])
    })

    it('keeps a path prefix of the server address and ignores a trailing slash', async () => {
      await client({baseUrl: `${baseUrl}/rmm/`}).get('/v1/partner')
      expect(seen[0]?.url).to.equal('/rmm/v1/partner')
    })

    it('asks for the token again on every attempt', async () => {
      let n = 0
      handler = sequence(
        (res) => problem(res, 503, 'UNAVAILABLE', 'busy'),
        (res) => json(res, 200, {}),
      )
      await client({getToken: async () => `token-${++n}`}).get('/v1/partner')
      expect(seen.map((request) => request.headers.authorization)).to.deep.equal([
        'Bearer token-1',
        'Bearer token-2',
      ])
    })
  })

  describe('error answers', () => {
    const cases: Array<[number, string, string]> = [
      [400, 'VALIDATION_FAILED', 'USAGE'],
      [401, 'TOKEN_EXPIRED', 'AUTH'],
      [403, 'LICENSE_FOREIGN', 'CONFLICT'],
      [404, 'AGENT_NOT_FOUND', 'CONFLICT'],
      [409, 'CUSTOMER_NUMBER_TAKEN', 'CONFLICT'],
      [413, 'PAYLOAD_TOO_LARGE', 'USAGE'],
      [415, 'UNSUPPORTED_MEDIA_TYPE', 'USAGE'],
      [422, 'CUSTOMER_NUMBER_REQUIRED', 'CHECK_FAILED'],
    ]
    for (const [status, code, kind] of cases) {
      it(`turns a ${status} problem into ApiError ${kind} with code ${code}, not retried`, async () => {
        handler = (_req, res) => problem(res, status, code, `detail of ${code}`, {existing: {agentId: 'X'}})
        const error = await rejection(client().get('/v1/customers/1'))
        expect(error).to.be.instanceOf(ApiError)
        const apiError = error as ApiError
        expect(apiError.kind).to.equal(kind)
        expect(apiError.code).to.equal(code)
        expect(apiError.problemCode).to.equal(code)
        expect(apiError.status).to.equal(status)
        expect(apiError.message).to.equal(`detail of ${code}`)
        expect(apiError.problem?.existing).to.deep.equal({agentId: 'X'})
        expect(seen).to.have.length(1)
      })
    }

    it('uses the title when the problem has no detail', async () => {
      handler = (_req, res) => json(res, 409, {title: 'Taken', code: 'AGENT_ALREADY_ASSIGNED'})
      const error = await rejection(client().get('/v1/x'))
      expect(error.message).to.equal('Taken')
    })

    it('names the status when the body is not JSON (a proxy page)', async () => {
      handler = (_req, res) => {
        res.writeHead(502, {'content-type': 'text/html'})
        res.end('<html>Bad gateway</html>')
      }
      const error = (await rejection(client({maxRetries: 0}).get('/v1/partner'))) as ApiError
      expect(error.kind).to.equal('SERVER')
      expect(error.code).to.equal('HTTP_502')
      expect(error.problemCode).to.equal(undefined)
      expect(error.message).to.contain('502').and.to.contain('/v1/partner')
    })

    it('refuses a success answer that is not JSON', async () => {
      handler = (_req, res) => {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end('{"half":')
      }
      const error = await rejection(client().get('/v1/partner'))
      expect([error.kind, error.code]).to.deep.equal(['SERVER', 'SERVER_BAD_RESPONSE'])
    })

    it('does not follow a redirect (it would carry the token elsewhere)', async () => {
      handler = (_req, res) => {
        res.writeHead(302, {location: 'http://elsewhere.invalid/'})
        res.end()
      }
      const error = await rejection(client().get('/v1/partner'))
      expect([error.kind, error.code]).to.deep.equal(['SERVER', 'SERVER_REDIRECT'])
      expect(error.message).to.contain('elsewhere.invalid')
      expect(seen).to.have.length(1)
    })
  })

  describe('retries', () => {
    it('waits as long as Retry-After says on 429, then succeeds', async () => {
      handler = sequence(
        (res) => {
          res.setHeader('retry-after', '2')
          problem(res, 429, 'RATE_LIMITED', 'slow down')
        },
        (res) => json(res, 200, {company: 'X'}),
      )
      const response = await client().get<{company: string}>('/v1/partner')
      expect(response.body.company).to.equal('X')
      expect(sleeps).to.deep.equal([2000])
      expect(seen).to.have.length(2)
    })

    it('retries 503 twice with growing backoff, then succeeds', async () => {
      handler = sequence(
        (res) => problem(res, 503, 'UNAVAILABLE', 'busy'),
        (res) => problem(res, 503, 'UNAVAILABLE', 'busy'),
        (res) => json(res, 200, {}),
      )
      await client().get('/v1/partner')
      expect(seen).to.have.length(3)
      // Full jitter with random() = 0.5: half of 200 ms, then half of 400 ms.
      expect(sleeps).to.deep.equal([100, 200])
    })

    it('keeps full-jitter delays within the 5 s cap', async () => {
      handler = (_req, res) => problem(res, 500, 'INTERNAL', 'oops')
      await rejection(client({maxRetries: 8, random: () => 0.999}).get('/v1/partner'))
      expect(sleeps).to.have.length(8)
      expect(Math.max(...sleeps)).to.be.at.most(5000)
      expect(sleeps[7]).to.be.at.least(4990)
    })

    it('retries a dropped connection for GET', async () => {
      handler = sequence(drop, (res) => json(res, 200, {fine: true}))
      const response = await client().get<{fine: boolean}>('/v1/customers')
      expect(response.body.fine).to.equal(true)
      expect(seen).to.have.length(2)
    })

    it('retries a dropped POST that has an idempotency key, with the same key and body', async () => {
      handler = sequence(drop, (res) => json(res, 201, {customerNumber: '7'}))
      const response = await client().post(
        '/v1/customers',
        {customerNumber: '7', agentId: 'A'},
        {idempotencyKey: 'key-abc'},
      )
      expect(response.status).to.equal(201)
      expect(seen).to.have.length(2)
      expect(seen.map((request) => request.headers['idempotency-key'])).to.deep.equal(['key-abc', 'key-abc'])
      expect(seen[0]?.body).to.equal(seen[1]?.body)
    })

    it('never sends a POST without a key twice: a dropped connection fails after one request', async () => {
      handler = sequence(drop, (res) => json(res, 201, {}))
      const error = await rejection(client().post('/v1/customers', {customerNumber: '7', agentId: 'A'}))
      expect(seen).to.have.length(1)
      expect([error.kind, error.code]).to.deep.equal(['SERVER', 'SERVER_UNREACHABLE'])
      expect(error.hints.join(' ')).to.match(/may have carried it out/)
      expect(sleeps).to.deep.equal([])
    })

    it('does not retry a POST without a key on 503 either', async () => {
      handler = sequence(
        (res) => problem(res, 503, 'UNAVAILABLE', 'busy'),
        (res) => json(res, 201, {}),
      )
      const error = await rejection(client().post('/v1/customers', {}))
      expect(seen).to.have.length(1)
      expect(error.kind).to.equal('SERVER')
    })

    it('retries a POST marked retryPost (e.g. the token call)', async () => {
      handler = sequence(drop, (res) => json(res, 200, {accessToken: 't'}))
      await client().post('/v1/auth/token', {username: 'u', password: 'p'}, {retryPost: true})
      expect(seen).to.have.length(2)
    })

    it('gives up on a 5xx after maxRetries with exit kind SERVER and the problem code', async () => {
      handler = (_req, res) => problem(res, 503, 'MAINTENANCE', 'Down for maintenance')
      const error = (await rejection(client({maxRetries: 2}).get('/v1/partner'))) as ApiError
      expect(seen).to.have.length(3)
      expect(sleeps).to.have.length(2)
      expect(error).to.be.instanceOf(ApiError)
      expect([error.kind, error.code, error.status]).to.deep.equal(['SERVER', 'MAINTENANCE', 503])
      expect(error.message).to.equal('Down for maintenance')
      expect(error.hints.join(' ')).to.contain('3 attempts')
    })

    it('gives up on 429 after the retries with exit kind SERVER', async () => {
      handler = (_req, res) => {
        res.setHeader('retry-after', '1')
        problem(res, 429, 'RATE_LIMITED', 'Too many requests')
      }
      const error = await rejection(client({maxRetries: 1}).get('/v1/partner'))
      expect([error.kind, error.code]).to.deep.equal(['SERVER', 'RATE_LIMITED'])
      expect(sleeps).to.deep.equal([1000])
    })

    it('gives up on connections that keep dropping: SERVER_UNREACHABLE naming the server', async () => {
      handler = (req, res) => drop(res, req)
      // The default: 12 retries after the first attempt (the fake sleep keeps the time budget untouched).
      const error = await rejection(client().get('/v1/partner'))
      expect(seen).to.have.length(13)
      expect([error.kind, error.code]).to.deep.equal(['SERVER', 'SERVER_UNREACHABLE'])
      expect(error.message).to.contain(baseUrl).and.to.contain('dropped').and.to.contain('13 attempts')
    })

    it('times out a server that never answers, and retries the timeout', async () => {
      handler = () => undefined
      const error = await rejection(client({timeoutMs: 150, maxRetries: 1}).get('/v1/partner'))
      expect(seen).to.have.length(2)
      expect(error.code).to.equal('SERVER_UNREACHABLE')
      expect(error.message).to.contain('no answer within 150 ms')
    })
  })

  describe('unreachable and untrusted servers', () => {
    it('reports a closed port at once as SERVER_UNREACHABLE, without retrying', async () => {
      const probe = createServer()
      const port = await listen(probe)
      await new Promise((resolve) => probe.close(resolve))
      const url = `http://127.0.0.1:${port}`
      const error = await rejection(client({baseUrl: url}).get('/v1/partner'))
      expect([error.kind, error.code]).to.deep.equal(['SERVER', 'SERVER_UNREACHABLE'])
      expect(error.message).to.contain(url).and.to.contain('refused')
      expect(sleeps).to.deep.equal([])
    })

    it('reports an untrusted certificate as TLS_FAILED and does not retry or bypass it', async () => {
      const certificate = await issue({subject: 'CN=127.0.0.1', key: 'p256'})
      let requests = 0
      const tlsServer = createHttpsServer(
        {key: certificate.privateKey.export({format: 'pem', type: 'pkcs8'}), cert: certificate.pem},
        (_req, res) => {
          requests++
          res.end('{}')
        },
      )
      const url = `https://127.0.0.1:${await listen(tlsServer)}`
      try {
        const error = await rejection(client({baseUrl: url}).get('/v1/partner'))
        expect([error.kind, error.code]).to.deep.equal(['SERVER', 'TLS_FAILED'])
        expect(error.message).to.contain(url)
        expect(error.hints.join(' ')).to.contain('NODE_EXTRA_CA_CERTS')
        expect(requests).to.equal(0)
        expect(sleeps).to.deep.equal([])
      } finally {
        tlsServer.closeAllConnections()
        tlsServer.close()
      }
    })

    it('refuses a server address that is no http(s) URL or carries credentials', () => {
      for (const bad of ['not a url', 'ftp://example.com', 'https://user:pw@example.com']) {
        expect(() => new ApiClient({baseUrl: bad}), bad)
          .to.throw(CliError)
          .with.property('code', 'SERVER_URL_INVALID')
      }
    })
  })

  describe('paginate', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g']

    /** Pages of three items; the cursor is the index of the next item. */
    function pages(key = 'items'): Handler {
      return (req, res) => {
        const query = new URL(req.url ?? '', 'http://x').searchParams
        const start = Number(query.get('cursor') ?? 0)
        const end = Math.min(start + 3, items.length)
        json(res, 200, {[key]: items.slice(start, end), nextCursor: end < items.length ? String(end) : null})
      }
    }

    async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
      const result: T[] = []
      for await (const item of iterable) result.push(item)
      return result
    }

    it('follows nextCursor across three pages until it is null', async () => {
      handler = pages()
      expect(await all(client().paginate<string>('/v1/customers'))).to.deep.equal(items)
      expect(seen.map((request) => request.url)).to.deep.equal([
        '/v1/customers?limit=1000',
        '/v1/customers?limit=1000&cursor=3',
        '/v1/customers?limit=1000&cursor=6',
      ])
    })

    it('stops after limit items, asking for no bigger pages than that', async () => {
      handler = pages()
      expect(await all(client().paginate<string>('/v1/customers', {}, {limit: 4}))).to.deep.equal([
        'a',
        'b',
        'c',
        'd',
      ])
      expect(seen.map((request) => request.url)).to.deep.equal([
        '/v1/customers?limit=4',
        '/v1/customers?limit=4&cursor=3',
      ])
    })

    it('reads the dashboard rows from `customers` and keeps the caller query', async () => {
      handler = pages('customers')
      expect(await all(client().paginate<string>('/v1/dashboard', {limit: 3}))).to.deep.equal(items)
      expect(seen[1]?.url).to.equal('/v1/dashboard?limit=3&cursor=3')
    })

    it('refuses a page without items and a cursor that repeats', async () => {
      handler = (_req, res) => json(res, 200, {nextCursor: null})
      expect((await rejection(all(client().paginate('/v1/agents')))).code).to.equal('SERVER_BAD_RESPONSE')
      handler = (_req, res) => json(res, 200, {items: [1], nextCursor: 'same'})
      expect((await rejection(all(client().paginate('/v1/agents')))).code).to.equal('SERVER_BAD_RESPONSE')
      expect(seen).to.have.length(3)
    })
  })

  describe('paths', () => {
    it('percent-encodes a company name so the server gets it back exactly', async () => {
      const agentId = 'Café "Zeit" / Büro'
      const path = pathOf('/v1/agents/{agentId}/heartbeat', {agentId})
      expect(path).to.equal('/v1/agents/Caf%C3%A9%20%22Zeit%22%20%2F%20B%C3%BCro/heartbeat')
      await client().post(path, {warnings: []}, {retryPost: true})
      const segments = (seen[0]?.url ?? '').split('/')
      expect(segments).to.have.length(5)
      expect(decodeURIComponent(segments[3] ?? '')).to.equal(agentId)
    })

    it('encodes ampersands, percent signs and question marks too', () => {
      expect(pathOf('/v1/customers/{n}', {n: 'Müller & Söhne 100% ?#'})).to.equal(
        '/v1/customers/M%C3%BCller%20%26%20S%C3%B6hne%20100%25%20%3F%23',
      )
    })

    it('refuses values that a URL would resolve to another resource, and missing parameters', () => {
      for (const value of ['', '.', '..']) {
        expect(() => pathOf('/v1/customers/{n}', {n: value}))
          .to.throw(CliError)
          .with.property('code', 'PATH_SEGMENT_INVALID')
      }
      expect(pathOf('/v1/customers/{n}', {n: '...'})).to.equal('/v1/customers/...')
      expect(() => pathOf('/v1/customers/{n}', {})).to.throw(/\{n\}/)
    })
  })

  describe('debug', () => {
    it('writes one line per attempt with method, URL, status, time and attempt, and no secret', async () => {
      handler = sequence(
        drop,
        (res) => problem(res, 503, 'UNAVAILABLE', 'busy'),
        (res) => json(res, 200, {accessToken: 'srv-token-xyz'}),
      )
      const lines: string[] = []
      await client({debug: (line) => lines.push(line)}).post(
        '/v1/auth/token',
        {username: 'api-user', password: 'pw-secret-456'},
        {retryPost: true},
      )
      expect(lines).to.have.length(3)
      expect(lines[0]).to.match(
        new RegExp(
          `^POST ${baseUrl}/v1/auth/token → ECONNRESET in \\d+ ms \\(attempt 1/13\\); retrying in 100 ms$`,
        ),
      )
      expect(lines[1]).to.match(/→ 503 in \d+ ms \(attempt 2\/13\); retrying in 200 ms$/)
      expect(lines[2]).to.match(/→ 200 in \d+ ms \(attempt 3\/13\)$/)
      const all = lines.join('\n')
      for (const secret of ['tok-secret-123', 'pw-secret-456', 'srv-token-xyz', 'Bearer', 'authorization']) {
        expect(all.toLowerCase()).not.to.contain(secret.toLowerCase())
      }
    })

    it('has no secret in the error of a failed call either', async () => {
      handler = (req, res) => drop(res, req)
      const error = await rejection(
        client({maxRetries: 1}).post('/v1/auth/token', {password: 'pw-secret-456'}, {retryPost: true}),
      )
      const text = [error.message, ...error.hints].join('\n')
      expect(text).not.to.contain('pw-secret-456').and.not.to.contain('tok-secret-123')
    })
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-15T09:00:00Z')

  it('reads seconds and HTTP dates, capped at 30 s', () => {
    expect(retryAfterMs('3', now)).to.equal(3000)
    expect(retryAfterMs(' 0 ', now)).to.equal(0)
    expect(retryAfterMs('120', now)).to.equal(30_000)
    expect(retryAfterMs('Thu, 15 Jan 2026 09:00:07 GMT', now)).to.equal(7000)
    expect(retryAfterMs('Thu, 15 Jan 2026 08:00:00 GMT', now)).to.equal(0)
    expect(retryAfterMs('Thu, 15 Jan 2026 10:00:00 GMT', now)).to.equal(30_000)
  })

  it('ignores what it cannot read, so the backoff applies', () => {
    expect(retryAfterMs(undefined, now)).to.equal(undefined)
    expect(retryAfterMs('soon', now)).to.equal(undefined)
    expect(retryAfterMs('-5', now)).to.equal(undefined)
  })
})

describe('exitKindOfStatus', () => {
  it('maps statuses to the exit codes of cli.md', () => {
    const kinds = [400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 502, 503, 504].map(exitKindOfStatus)
    expect(kinds).to.deep.equal([
      'USAGE',
      'AUTH',
      'CONFLICT',
      'CONFLICT',
      'USAGE',
      'CONFLICT',
      'USAGE',
      'USAGE',
      'CHECK_FAILED',
      'SERVER',
      'SERVER',
      'SERVER',
      'SERVER',
      'SERVER',
    ])
  })
})
