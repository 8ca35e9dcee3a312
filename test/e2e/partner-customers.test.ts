/**
 * The partner's day-to-day commands against a real `tcrmm sandbox start` process: `agent list`, `customer add`,
 * `customer list/show/remove`, with exact output, exit codes and `--json` errors (cli.md); then the same commands
 * over a flaky network (fault injection), through an HTTP forward proxy, and over TLS with a test CA.
 */
import {expect} from 'chai'
import {createPrivateKey, randomBytes, webcrypto} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {type AddressInfo, connect, type Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type CliResult, runCli} from '../support/cli.js'
import {issue, type Issued, x509} from '../support/pki.js'
import {type SandboxInfo, type SandboxProcess, sandboxToken, startSandboxProcess} from '../support/sandbox.js'

// ---------------------------------------------------------------------------------------------------------------
// Helpers

// Documents are whatever the CLI or the server printed; the assertions say what they must be.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

const AGENT_KEYS = ['agentId', 'customerNumber', 'lastContactAt', 'tcVersion']
const CUSTOMER_KEYS = [
  'agentId',
  'customerNumber',
  'lastContactAt',
  'name',
  'status',
  'tcVersion',
  'warningCount',
]

/** The env credentials every API command accepts without `login` (cli.md, "credentials in CI"). */
function credentials(info: SandboxInfo, server: string = info.url): NodeJS.ProcessEnv {
  return {TCRMM_SERVER: server, TCRMM_API_USER: info.apiUser, TCRMM_API_PASSWORD: info.apiPassword}
}

function show(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
}

/** Runs the command and parses stdout as one JSON document, failing loudly when it is not. */
async function json(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000) {
  const result = await runCli([...args, '--json'], {env, timeoutMs})
  let document: Json
  try {
    document = JSON.parse(result.stdout)
  } catch {
    throw new Error(`stdout is not one JSON document:\n${show(result)}`)
  }
  return {...result, json: document}
}

async function ok(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliResult> {
  const result = await runCli(args, {env, timeoutMs})
  expect(result.code, show(result)).to.equal(0)
  return result
}

async function okJson(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Json> {
  const result = await json(args, env, timeoutMs)
  expect(result.code, show(result)).to.equal(0)
  return result.json
}

interface Failure {
  exit: number
  /** The stable code of the `--json` error document. */
  code: string
  /** Each must appear in stderr (human mode); `message` ones also in the JSON error's message. */
  stderr?: Array<string | RegExp>
  message?: Array<string | RegExp>
}

function expectIncludes(text: string, needles: Array<string | RegExp>, where: string): void {
  for (const needle of needles) {
    if (typeof needle === 'string') expect(text, where).to.include(needle)
    else expect(text, where).to.match(needle)
  }
}

/**
 * The same failing command twice: in human mode (exit code, nothing on stdout, the reason on stderr) and with
 * `--json` (same exit code, stdout exactly `{"error":{"code","message"}}`). Returns both runs.
 */
async function expectFailure(args: string[], env: NodeJS.ProcessEnv, failure: Failure, timeoutMs = 30_000) {
  const human = await runCli(args, {env, timeoutMs})
  expect(human.code, show(human)).to.equal(failure.exit)
  expect(human.stdout, show(human)).to.equal('')
  expectIncludes(human.stderr, [...(failure.stderr ?? []), ...(failure.message ?? [])], show(human))

  const machine = await json(args, env, timeoutMs)
  expect(machine.code, show(machine)).to.equal(failure.exit)
  expect(machine.json, show(machine)).to.have.all.keys('error')
  expect(machine.json.error, show(machine)).to.have.all.keys('code', 'message')
  expect(machine.json.error.code, show(machine)).to.equal(failure.code)
  expect(machine.json.error.message, show(machine)).to.be.a('string').and.not.equal('')
  expectIncludes(machine.json.error.message, failure.message ?? [], show(machine))
  return {human, machine}
}

/** Plain HTTP against the sandbox, for setup and for checking what the server really holds. */
async function api(
  info: SandboxInfo,
  method: string,
  path: string,
  options: {token?: string; body?: unknown} = {},
): Promise<{status: number; json: Json; text: string}> {
  const headers: Record<string, string> = {}
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const response = await fetch(info.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  let body: Json
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  return {status: response.status, json: body, text}
}

/** `POST /v1/agents/register` with the sandbox's premium license: the installation clicking "Übernehmen". */
async function registerAgent(info: SandboxInfo, token: string, agentId: string, tcVersion = '23.04.01') {
  const licenseXml = readFileSync(info.licenses.premium, 'utf8')
  const response = await api(info, 'POST', '/v1/agents/register', {
    token,
    body: {agentId, tcVersion, licenseXml},
  })
  expect(response.status, response.text).to.equal(201)
  return response.json
}

/** Every item of a paginated list, straight from the API. */
async function listAll(info: SandboxInfo, token: string, path: string): Promise<Json[]> {
  const items: Json[] = []
  let cursor: string | undefined
  for (;;) {
    const query = new URLSearchParams({limit: '1000'})
    if (cursor) query.set('cursor', cursor)
    const response = await api(info, 'GET', `${path}?${query}`, {token})
    expect(response.status, response.text).to.equal(200)
    items.push(...response.json.items)
    if (response.json.nextCursor === null) return items
    cursor = response.json.nextCursor
  }
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of the results. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>) {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

/** One sandbox process for the enclosing `describe`, stopped (exit 0) afterwards. */
function useSandbox(args: string[] = []): {info: SandboxInfo; token: string; process: SandboxProcess} {
  const sandbox = {} as {info: SandboxInfo; token: string; process: SandboxProcess}
  before(async function () {
    this.timeout(60_000)
    sandbox.process = await startSandboxProcess(args)
    sandbox.info = sandbox.process.info
    // The token for setup calls is fetched without faults: flaky sandboxes turn them on afterwards.
    if (args.some((a) => a.startsWith('--faults'))) {
      await api(sandbox.info, 'PUT', '/_sandbox/faults', {body: {}})
    }
    sandbox.token = await sandboxToken(sandbox.info)
  })
  after(async function () {
    this.timeout(15_000)
    if (!sandbox.process) return
    const code = await sandbox.process.stop()
    expect(code, sandbox.process.stderr()).to.equal(0)
  })
  return sandbox
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

function close(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** A port on 127.0.0.1 where nothing listens (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = createHttpServer()
  const port = await listen(server)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Forwards one request to `target` (origin such as `http://127.0.0.1:1234`) and streams the answer back. */
function forward(request: IncomingMessage, response: ServerResponse, target: URL): void {
  const headers: Record<string, string | string[] | undefined> = {...request.headers, host: target.host}
  delete headers['proxy-connection']
  delete headers['proxy-authorization']
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: target.pathname + target.search,
      headers,
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    },
  )
  upstream.on('error', () => response.destroy())
  request.pipe(upstream)
}

interface ForwardProxy {
  port: number
  url: string
  /** Absolute-form requests (`GET http://host/path`), as the proxy saw them. */
  requests: string[]
  /** CONNECT targets (`host:port`). */
  connects: string[]
  reset(): void
  close(): Promise<void>
}

/** A small forward proxy: absolute-form HTTP requests are forwarded, CONNECT is tunnelled with net.connect. */
async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: string[] = []
  const connects: string[] = []
  const tunnels = new Set<Socket>()
  const server = createHttpServer((request, response) => {
    requests.push(`${request.method} ${request.url}`)
    let target: URL
    try {
      target = new URL(request.url ?? '')
    } catch {
      response.writeHead(400).end('absolute-form requests only')
      return
    }
    forward(request, response, target)
  })
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push(request.url ?? '')
    tunnels.add(client)
    const [host = '', port = ''] = (request.url ?? '').split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    tunnels.add(upstream)
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    upstream.on('error', end).on('close', end)
    client.on('error', end).on('close', end)
  })
  const port = await listen(server)
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    connects,
    reset() {
      requests.length = 0
      connects.length = 0
    },
    close: () => close(server, tunnels),
  }
}

/**
 * The proxy carried the traffic to `origin`: either as absolute-form requests (a classic HTTP proxy request, where
 * the proxy sees each call) or tunnelled with CONNECT to the origin's host:port (what hpagent does for http:// too;
 * then the calls themselves are inside the tunnel).
 */
function expectProxied(proxy: ForwardProxy, origin: string, calls: string[]): void {
  const where = `requests: ${JSON.stringify(proxy.requests)}, connects: ${JSON.stringify(proxy.connects)}`
  expect(proxy.requests.length + proxy.connects.length, where).to.be.greaterThan(0)
  for (const target of proxy.connects) expect(target, where).to.equal(new URL(origin).host)
  for (const request of proxy.requests) expect(request, where).to.match(/^[A-Z]+ http:\/\/127\.0\.0\.1:\d+\//)
  if (proxy.connects.length === 0) {
    for (const call of calls) {
      const [method, path] = call.split(' ')
      expect(
        proxy.requests.some((r) => r.startsWith(`${method} ${origin}${path}`)),
        where,
      ).to.equal(true)
    }
  }
}

interface TlsServer {
  port: number
  url: string
  requests: string[]
  close(): Promise<void>
}

/** An HTTPS reverse proxy in front of the sandbox, with the given certificate and key. */
async function startTlsReverseProxy(target: string, certPem: string, keyPem: string): Promise<TlsServer> {
  const requests: string[] = []
  const origin = new URL(target)
  const server = createHttpsServer({cert: certPem, key: keyPem}, (request, response) => {
    requests.push(`${request.method} ${request.url}`)
    forward(request, response, new URL(request.url ?? '/', origin))
  })
  const port = await listen(server as unknown as Server)
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () => close(server as unknown as Server, new Set()),
  }
}

/** A TLS server certificate issued by `ca`, with the subjectAltNames given (none when empty). */
async function serverCertificate(
  ca: Issued,
  altNames: Array<{type: 'ip' | 'dns'; value: string}>,
): Promise<{certPem: string; keyPem: string}> {
  const keys = (await webcrypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: 2048,
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ]
  if (altNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(altNames))
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: '01' + randomBytes(8).toString('hex'),
    subject: 'CN=127.0.0.1',
    issuer: ca.certificate.subject,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2099-12-31T23:59:59Z'),
    signingAlgorithm: {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'},
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const keyPem = createPrivateKey({key: pkcs8, format: 'der', type: 'pkcs8'})
    .export({format: 'pem', type: 'pkcs8'})
    .toString()
  return {certPem: certificate.toString('pem') + '\n', keyPem}
}

// ---------------------------------------------------------------------------------------------------------------

describe('partner commands: agent list, customer add/list/show/remove (e2e)', function () {
  this.timeout(120_000)

  describe('one sandbox, step by step (the tests build on each other)', () => {
    const sandbox = useSandbox()
    const env = () => credentials(sandbox.info)
    const MUELLER = 'Mueller GmbH'
    const OTHER = 'Other AG'
    // Registered in NFD, as a Mac might send it: the hint must make the combining umlaut visible.
    const BAECKEREI_NFD = 'Ba\u0308ckerei Schmidt'

    describe('before any agent has connected', () => {
      it('agent list and customer list say so, and --json gives []', async () => {
        expect((await ok(['agent', 'list'], env())).stdout).to.equal('No agents.\n')
        expect(await okJson(['agent', 'list'], env())).to.deep.equal([])
        expect(await okJson(['agent', 'list', '--unassigned'], env())).to.deep.equal([])
        expect((await ok(['customer', 'list'], env())).stdout).to.equal('No customers.\n')
        expect(await okJson(['customer', 'list'], env())).to.deep.equal([])
      })

      it('customer add for an unknown agent: exit 5 with the hint that no agent has connected yet', async () => {
        const {human} = await expectFailure(
          ['customer', 'add', '--id', '4711', '--agent', 'Müller GmbH'],
          env(),
          {
            exit: 5,
            code: 'AGENT_NOT_FOUND',
            message: ['No agent "Müller GmbH" has connected to the RMM.'],
            stderr: ['No agent has connected yet'],
          },
        )
        expect(human.stderr).to.equal(
          'Error: No agent "Müller GmbH" has connected to the RMM.\n' +
            '  No agent has connected yet: configure the installation first (tcrmm link shows how).\n',
        )
        expect(human.stderr).not.to.include('Closest')
      })
    })

    describe('agent list', () => {
      let registered: Record<string, Json>

      before(async function () {
        this.timeout(30_000)
        const {info, token} = sandbox
        registered = {
          [MUELLER]: await registerAgent(info, token, MUELLER, '23.04.01'),
          [OTHER]: await registerAgent(info, token, OTHER, '23.10.02'),
          [BAECKEREI_NFD]: await registerAgent(info, token, BAECKEREI_NFD, '24.01.03'),
        }
      })

      it('--json: an array of exactly {agentId, tcVersion, lastContactAt, customerNumber}, null when unassigned', async () => {
        const agents = await okJson(['agent', 'list'], env())
        expect(agents).to.be.an('array').with.lengthOf(3)
        for (const agent of agents) expect(agent).to.have.all.keys(...AGENT_KEYS)
        const fromApi = await listAll(sandbox.info, sandbox.token, '/v1/agents')
        const expected = fromApi.map((a) => ({
          agentId: a.agentId,
          tcVersion: a.tcVersion,
          lastContactAt: a.lastContactAt,
          customerNumber: null,
        }))
        expect(agents).to.deep.equal(expected)
        expect(agents.map((a: Json) => a.agentId)).to.have.members([MUELLER, OTHER, BAECKEREI_NFD])
        expect(agents.find((a: Json) => a.agentId === OTHER)).to.deep.equal({
          agentId: OTHER,
          tcVersion: '23.10.02',
          lastContactAt: registered[OTHER].lastContactAt,
          customerNumber: null,
        })
      })

      it('table: one row per agent, "(none)" when unassigned', async () => {
        const {stdout, stderr} = await ok(['agent', 'list'], env())
        expect(stderr).to.equal('')
        const lines = stdout.trimEnd().split('\n')
        expect(lines).to.have.lengthOf(4)
        expect(lines[0]).to.match(/^Agent id\s+Version\s+Last contact\s+Customer$/)
        expect(stdout).to.match(/^Mueller GmbH\s+23\.04\.01\s+just now\s+\(none\)$/m)
        expect(stdout).to.match(/^Other AG\s+23\.10\.02\s+just now\s+\(none\)$/m)
        expect(stdout).to.match(/^Ba\u0308ckerei Schmidt\s+24\.01\.03\s+just now\s+\(none\)$/m)
      })

      it('--limit N gives the first N; --limit 0 is a usage error', async () => {
        const all = await okJson(['agent', 'list'], env())
        expect(await okJson(['agent', 'list', '--limit', '1'], env())).to.deep.equal(all.slice(0, 1))
        expect(await okJson(['agent', 'list', '--limit', '2'], env())).to.deep.equal(all.slice(0, 2))
        expect(await okJson(['agent', 'list', '--limit', '50'], env())).to.deep.equal(all)
        const table = (await ok(['agent', 'list', '--limit', '1'], env())).stdout
        expect(table.trimEnd().split('\n')).to.have.lengthOf(2)
        await expectFailure(['agent', 'list', '--limit', '0'], env(), {exit: 2, code: 'USAGE'})
      })
    })

    describe('customer add', () => {
      let created: Json

      it('creates the customer: exit 0, --json {result: "created", customer}', async () => {
        const result = await json(['customer', 'add', '--id', '10042', '--agent', MUELLER], env())
        expect(result.code, show(result)).to.equal(0)
        expect(result.json).to.have.all.keys('result', 'customer')
        expect(result.json.result).to.equal('created')
        created = result.json.customer
        expect(created).to.include({
          customerNumber: '10042',
          agentId: MUELLER,
          name: null,
          tcVersion: '23.04.01',
        })
        const stored = await api(sandbox.info, 'GET', '/v1/customers/10042', {token: sandbox.token})
        expect(stored.status).to.equal(200)
        expect(created).to.deep.equal(stored.json)
      })

      it('the same pair again is a success: "unchanged", exit 0 (human and --json)', async () => {
        const human = await ok(['customer', 'add', '--id', '10042', '--agent', MUELLER], env())
        expect(human.stdout).to.equal('✓ Unchanged: agent "Mueller GmbH" already is customer 10042.\n')
        expect(human.stderr).to.equal('')
        expect(await okJson(['customer', 'add', '--id', '10042', '--agent', MUELLER], env())).to.deep.equal({
          result: 'unchanged',
          customer: created,
        })
        expect(await listAll(sandbox.info, sandbox.token, '/v1/customers')).to.have.lengthOf(1)
      })

      it('creates in human mode with a name: one line on stdout', async () => {
        const result = await ok(
          ['customer', 'add', '--id', 'K-2024-17', '--agent', OTHER, '--name', 'Other Bad Tölz'],
          env(),
        )
        expect(result.stdout).to.equal('✓ Created customer K-2024-17 for agent "Other AG".\n')
        expect(result.stderr).to.equal('')
        const stored = await api(sandbox.info, 'GET', '/v1/customers/K-2024-17', {token: sandbox.token})
        expect(stored.json).to.include({customerNumber: 'K-2024-17', agentId: OTHER, name: 'Other Bad Tölz'})
      })

      it('the same agent with another number: exit 5 naming the existing pairing', async () => {
        await expectFailure(['customer', 'add', '--id', '777', '--agent', MUELLER], env(), {
          exit: 5,
          code: 'AGENT_ALREADY_ASSIGNED',
          message: ['Agent "Mueller GmbH" already is customer 10042.'],
        })
        const gone = await api(sandbox.info, 'GET', '/v1/customers/777', {token: sandbox.token})
        expect(gone.status).to.equal(404)
      })

      it('a number taken by another agent: exit 5 naming that agent', async () => {
        await expectFailure(['customer', 'add', '--id', '10042', '--agent', BAECKEREI_NFD], env(), {
          exit: 5,
          code: 'CUSTOMER_NUMBER_TAKEN',
          message: ['Customer number 10042 already belongs to agent "Mueller GmbH".'],
        })
        const agents = await okJson(['agent', 'list', '--unassigned'], env())
        expect(agents.map((a: Json) => a.agentId)).to.deep.equal([BAECKEREI_NFD])
      })

      const lookAlikes: Array<[string, string, string]> = [
        ['the umlaut for its transcription', 'Müller GmbH', '"Mueller GmbH"'],
        ['another case', 'müller gmbh', '"Mueller GmbH"'],
        ['a trailing space', 'Müller GmbH ', '"Mueller GmbH"'],
        ['NFD (a combining umlaut)', 'Mu\u0308ller GmbH', '"Mueller GmbH"'],
        ['a one-letter typo', 'Muellr GmbH', '"Mueller GmbH"'],
        ['a one-letter typo in a short id', 'Othr AG', '"Other AG"'],
        ['an NFD agent id, shown exactly', 'Bäckerei Schmidt', '"Ba\\u{308}ckerei Schmidt"'],
        ['the transcription of an NFD agent id', 'Baeckerei Schmidt', '"Ba\\u{308}ckerei Schmidt"'],
      ]
      for (const [what, typed, closest] of lookAlikes) {
        it(`an unknown agent (${what}): exit 5 with the closest agent id ${closest}`, async () => {
          const {human} = await expectFailure(['customer', 'add', '--id', '5000', '--agent', typed], env(), {
            exit: 5,
            code: 'AGENT_NOT_FOUND',
            message: [`No agent "${typed}" has connected to the RMM.`],
          })
          expect(human.stderr).to.equal(
            `Error: No agent "${typed}" has connected to the RMM.\n  Closest agent ids: ${closest}\n`,
          )
          const nothing = await api(sandbox.info, 'GET', '/v1/customers/5000', {token: sandbox.token})
          expect(nothing.status).to.equal(404)
        })
      }

      it('an unknown agent unlike any other: exit 5 without a list of closest ids', async () => {
        const {human} = await expectFailure(
          ['customer', 'add', '--id', '5000', '--agent', 'Zuse Werkzeugbau KG'],
          env(),
          {
            exit: 5,
            code: 'AGENT_NOT_FOUND',
            message: ['No agent "Zuse Werkzeugbau KG" has connected to the RMM.'],
          },
        )
        expect(human.stderr).to.equal('Error: No agent "Zuse Werkzeugbau KG" has connected to the RMM.\n')
      })

      it('--id missing without a TTY: exit 2 naming --id, nothing created', async () => {
        const {human} = await expectFailure(['customer', 'add', '--agent', BAECKEREI_NFD], env(), {
          exit: 2,
          code: 'MISSING_INPUT',
          message: ['--id'],
        })
        expect(human.stderr).to.equal(
          'Error: --id is required when tcrmm cannot ask (no terminal, or CI is set).\n',
        )
        expect(await listAll(sandbox.info, sandbox.token, '/v1/customers')).to.have.lengthOf(2)
      })

      it('--agent missing: exit 2 naming the flag', async () => {
        await expectFailure(['customer', 'add', '--id', '5001'], env(), {
          exit: 2,
          code: 'USAGE',
          message: [/Missing required flag (--)?agent/],
        })
      })

      it('a blank --id is a usage error: exit 2, nothing created', async () => {
        for (const blank of ['', '  ']) {
          await expectFailure(['customer', 'add', '--id', blank, '--agent', BAECKEREI_NFD], env(), {
            exit: 2,
            code: 'MISSING_INPUT',
            message: ['--id'],
          })
        }
        expect(await listAll(sandbox.info, sandbox.token, '/v1/customers')).to.have.lengthOf(2)
      })

      it('without credentials or login: exit 3 (human and --json)', async () => {
        await expectFailure(
          ['customer', 'add', '--id', '5002', '--agent', BAECKEREI_NFD],
          {TCRMM_SERVER: sandbox.info.url},
          {exit: 3, code: 'NOT_LOGGED_IN'},
        )
      })

      it('with a wrong API password: exit 3 (human and --json)', async () => {
        await expectFailure(
          ['customer', 'list'],
          {...env(), TCRMM_API_PASSWORD: 'wrong-password'},
          {exit: 3, code: 'BAD_CREDENTIALS'},
        )
      })
    })

    describe('customer list, show and remove', () => {
      it('list --json: an array of exactly the fixed fields, as the API has them', async () => {
        const customers = await okJson(['customer', 'list'], env())
        expect(customers).to.be.an('array').with.lengthOf(2)
        for (const customer of customers) expect(customer).to.have.all.keys(...CUSTOMER_KEYS)
        const fromApi = await listAll(sandbox.info, sandbox.token, '/v1/customers')
        expect(customers).to.deep.equal(
          fromApi.map((c) => ({
            customerNumber: c.customerNumber,
            agentId: c.agentId,
            name: c.name,
            status: c.status,
            warningCount: c.warningCount,
            tcVersion: c.tcVersion,
            lastContactAt: c.lastContactAt,
          })),
        )
        expect(customers.find((c: Json) => c.customerNumber === '10042')).to.deep.include({
          customerNumber: '10042',
          agentId: MUELLER,
          name: null,
          status: 'ok',
          warningCount: 0,
          tcVersion: '23.04.01',
        })
      })

      it('list: a table with one row per customer and a count', async () => {
        const {stdout, stderr} = await ok(['customer', 'list'], env())
        expect(stderr).to.equal('')
        const lines = stdout.trimEnd().split('\n')
        expect(lines).to.have.lengthOf(4)
        expect(lines[0]).to.match(/^Number\s+Agent id\s+Name\s+Status\s+Warnings\s+Version\s+Last contact$/)
        expect(stdout).to.match(/^10042\s+Mueller GmbH\s+ok\s+0\s+23\.04\.01\s+just now$/m)
        expect(stdout).to.match(/^K-2024-17\s+Other AG\s+Other Bad Tölz\s+ok\s+0\s+23\.10\.02\s+just now$/m)
        expect(lines[3]).to.equal('2 customers')
        expect(await okJson(['customer', 'list', '--limit', '1'], env())).to.have.lengthOf(1)
      })

      it('agent list shows the customer numbers; --unassigned only the rest', async () => {
        const agents = await okJson(['agent', 'list'], env())
        const numbers = Object.fromEntries(agents.map((a: Json) => [a.agentId, a.customerNumber]))
        expect(numbers).to.deep.equal({[MUELLER]: '10042', [OTHER]: 'K-2024-17', [BAECKEREI_NFD]: null})
        const unassigned = await okJson(['agent', 'list', '--unassigned'], env())
        expect(unassigned).to.have.lengthOf(1)
        expect(unassigned[0]).to.have.all.keys(...AGENT_KEYS)
        expect(unassigned[0]).to.include({
          agentId: BAECKEREI_NFD,
          tcVersion: '24.01.03',
          customerNumber: null,
        })
        const table = (await ok(['agent', 'list'], env())).stdout
        expect(table).to.match(/^Mueller GmbH\s+23\.04\.01\s+just now\s+10042$/m)
        expect(table).to.match(/^Other AG\s+23\.10\.02\s+just now\s+K-2024-17$/m)
        const unassignedTable = (await ok(['agent', 'list', '--unassigned'], env())).stdout
        expect(unassignedTable.trimEnd().split('\n')).to.have.lengthOf(2)
        expect(unassignedTable).to.match(/^Ba\u0308ckerei Schmidt\s+24\.01\.03\s+just now\s+\(none\)$/m)
      })

      it('show N: exit 0, the fields; --json the customer', async () => {
        const stored = (await api(sandbox.info, 'GET', '/v1/customers/10042', {token: sandbox.token})).json
        expect(await okJson(['customer', 'show', '10042'], env())).to.deep.equal(stored)
        const {stdout} = await ok(['customer', 'show', '10042'], env())
        expect(stdout).to.match(/^Customer number\s+10042$/m)
        expect(stdout).to.match(/^Agent id\s+Mueller GmbH$/m)
        expect(stdout).to.match(/^Name\s+—$/m)
        expect(stdout).to.match(/^Status\s+ok$/m)
        expect(stdout).to.match(/^Warnings\s+0$/m)
        expect(stdout).to.include(stored.createdAt)
      })

      it('show of an unknown customer: exit 5', async () => {
        await expectFailure(['customer', 'show', '99999'], env(), {exit: 5, code: 'CUSTOMER_NOT_FOUND'})
      })

      it('remove without --yes and without a TTY: exit 2 naming --yes, nothing removed', async () => {
        await expectFailure(['customer', 'remove', '10042'], env(), {
          exit: 2,
          code: 'CONFIRMATION_REQUIRED',
          message: ['--yes'],
        })
        const still = await api(sandbox.info, 'GET', '/v1/customers/10042', {token: sandbox.token})
        expect(still.status).to.equal(200)
      })

      it('remove of an unknown customer: exit 5 (also with --yes)', async () => {
        await expectFailure(['customer', 'remove', '99999', '--yes'], env(), {
          exit: 5,
          code: 'CUSTOMER_NOT_FOUND',
        })
        await expectFailure(['customer', 'remove', '99999'], env(), {exit: 5, code: 'CUSTOMER_NOT_FOUND'})
      })

      it('remove N --yes: exit 0, the agent is unassigned again', async () => {
        const result = await ok(['customer', 'remove', '10042', '--yes'], env())
        expect(result.stdout).to.equal(
          '✓ Removed customer 10042; agent "Mueller GmbH" is unassigned again.\n',
        )
        expect(
          (await api(sandbox.info, 'GET', '/v1/customers/10042', {token: sandbox.token})).status,
        ).to.equal(404)
        const unassigned = await okJson(['agent', 'list', '--unassigned'], env())
        expect(unassigned.map((a: Json) => a.agentId)).to.have.members([MUELLER, BAECKEREI_NFD])
        expect(unassigned.find((a: Json) => a.agentId === MUELLER).customerNumber).to.equal(null)
        expect((await okJson(['customer', 'list'], env())).map((c: Json) => c.customerNumber)).to.deep.equal([
          'K-2024-17',
        ])
        await expectFailure(['customer', 'show', '10042'], env(), {exit: 5, code: 'CUSTOMER_NOT_FOUND'})
      })

      it('remove --yes --json: {removed: true, customerNumber, agentId}; the number is free again', async () => {
        expect(await okJson(['customer', 'remove', 'K-2024-17', '--yes'], env())).to.deep.equal({
          removed: true,
          customerNumber: 'K-2024-17',
          agentId: OTHER,
        })
        expect(await okJson(['customer', 'list'], env())).to.deep.equal([])
        const again = await okJson(['customer', 'add', '--id', 'K-2024-17', '--agent', MUELLER], env())
        expect(again.result).to.equal('created')
        expect(again.customer).to.include({customerNumber: 'K-2024-17', agentId: MUELLER})
      })
    })
  })

  describe('pagination: a sandbox with --seed 250', () => {
    const sandbox = useSandbox(['--seed', '250'])
    const env = () => credentials(sandbox.info)

    it('customer list --json returns all 250 (follows the pages past 100)', async () => {
      const customers = await okJson(['customer', 'list'], env())
      expect(customers).to.have.lengthOf(250)
      for (const customer of customers) expect(customer).to.have.all.keys(...CUSTOMER_KEYS)
      expect(new Set(customers.map((c: Json) => c.customerNumber)).size).to.equal(250)
      expect(new Set(customers.map((c: Json) => c.agentId)).size).to.equal(250)
      const fromApi = await listAll(sandbox.info, sandbox.token, '/v1/customers')
      expect(customers.map((c: Json) => c.customerNumber)).to.deep.equal(fromApi.map((c) => c.customerNumber))
    })

    it('customer list (table) has 250 rows and says "250 customers"', async () => {
      const {stdout} = await ok(['customer', 'list'], env())
      const lines = stdout.trimEnd().split('\n')
      expect(lines).to.have.lengthOf(1 + 250 + 1)
      expect(lines.at(-1)).to.equal('250 customers')
    })

    it('customer list --limit 7 gives the first 7', async () => {
      const all = await okJson(['customer', 'list'], env())
      const seven = await okJson(['customer', 'list', '--limit', '7'], env())
      expect(seven).to.have.lengthOf(7)
      expect(seven).to.deep.equal(all.slice(0, 7))
      const table = (await ok(['customer', 'list', '--limit', '7'], env())).stdout.trimEnd().split('\n')
      expect(table).to.have.lengthOf(1 + 7 + 1)
      expect(table.at(-1)).to.equal('7 customers')
    })

    it('agent list: all 275 agents (250 + 25 unassigned), --unassigned 25, --limit 150 and 101', async () => {
      const agents = await okJson(['agent', 'list'], env())
      expect(agents).to.have.lengthOf(275)
      expect(new Set(agents.map((a: Json) => a.agentId)).size).to.equal(275)
      expect(agents.filter((a: Json) => a.customerNumber === null)).to.have.lengthOf(25)
      const unassigned = await okJson(['agent', 'list', '--unassigned'], env())
      expect(unassigned).to.have.lengthOf(25)
      expect(unassigned).to.deep.equal(agents.filter((a: Json) => a.customerNumber === null))
      expect(await okJson(['agent', 'list', '--limit', '150'], env())).to.deep.equal(agents.slice(0, 150))
      expect(await okJson(['agent', 'list', '--limit', '101'], env())).to.deep.equal(agents.slice(0, 101))
    })

    it('customer show of a seeded customer matches the list', async () => {
      const [first] = await okJson(['customer', 'list', '--limit', '1'], env())
      const shown = await okJson(['customer', 'show', first.customerNumber], env())
      expect(shown).to.deep.include(first)
    })
  })

  describe('a flaky network: --faults error=0.3,drop=0.1,ratelimit=0.1', () => {
    const sandbox = useSandbox(['--faults', 'error=0.3,drop=0.1,ratelimit=0.1'])
    const agentIds = Array.from({length: 30}, (_, i) => `Flaky Kunde ${String(i + 1).padStart(2, '0')} GmbH`)
    const numberOf = (i: number) => String(20_000 + i)

    before(async function () {
      this.timeout(60_000)
      // Faults are off since useSandbox's before: register without them, then turn them on.
      for (const agentId of agentIds) await registerAgent(sandbox.info, sandbox.token, agentId)
      const on = await api(sandbox.info, 'PUT', '/_sandbox/faults', {
        body: {errorRate: 0.3, dropRate: 0.1, rateLimitRate: 0.1},
      })
      expect(on.status, on.text).to.equal(200)
      expect(on.json).to.deep.include({errorRate: 0.3, dropRate: 0.1, rateLimitRate: 0.1})
    })

    it('customer add for 30 agents (4 at a time): every run exits 0 and reports "created"', async function () {
      this.timeout(600_000)
      const results = await mapLimit(agentIds, 4, (agentId, i) =>
        json(
          ['customer', 'add', '--id', numberOf(i), '--agent', agentId],
          credentials(sandbox.info),
          180_000,
        ),
      )
      const failed = results
        .map((result, i) => ({i, result}))
        .filter(({result}) => result.code !== 0 || result.json?.result !== 'created')
        .map(({i, result}) => `${agentIds[i]} → ${show(result)}`)
      expect(failed, `${failed.length} of 30 runs failed:\n${failed.join('\n\n')}`).to.deep.equal([])
      for (const [i, result] of results.entries()) {
        expect(result.json.customer).to.include({customerNumber: numberOf(i), agentId: agentIds[i]})
      }
    })

    it('with the faults reset, the API lists exactly 30 customers: each agent once, no duplicate numbers', async () => {
      const off = await api(sandbox.info, 'PUT', '/_sandbox/faults', {body: {}})
      expect(off.status, off.text).to.equal(200)
      const customers = await listAll(sandbox.info, sandbox.token, '/v1/customers')
      // No duplicates first, so that a failure says which guarantee broke.
      const numbers = customers.map((c) => c.customerNumber)
      const agents = customers.map((c) => c.agentId)
      expect(new Set(numbers).size, 'duplicate customer numbers').to.equal(numbers.length)
      expect(new Set(agents).size, 'an agent with two customers').to.equal(agents.length)
      for (const customer of customers) {
        expect(agentIds).to.include(customer.agentId)
        expect(customer.customerNumber).to.equal(numberOf(agentIds.indexOf(customer.agentId)))
      }
      const missing = agentIds.filter((id) => !agents.includes(id))
      expect(missing, 'agents without their customer').to.deep.equal([])
      expect(customers).to.have.lengthOf(30)
      expect(await okJson(['customer', 'list'], credentials(sandbox.info))).to.have.lengthOf(30)
    })
  })

  describe('through an HTTP forward proxy', () => {
    const sandbox = useSandbox()
    let proxy: ForwardProxy

    before(async () => {
      proxy = await startForwardProxy()
      await registerAgent(sandbox.info, sandbox.token, 'Proxy Kunde GmbH')
      const added = await api(sandbox.info, 'POST', '/v1/customers', {
        token: sandbox.token,
        body: {customerNumber: '300', agentId: 'Proxy Kunde GmbH'},
      })
      expect(added.status, added.text).to.equal(201)
    })
    after(() => proxy?.close())
    beforeEach(() => proxy.reset())

    it('HTTP_PROXY: customer list succeeds and the proxy carried the traffic', async () => {
      const customers = await okJson(['customer', 'list'], {
        ...credentials(sandbox.info),
        HTTP_PROXY: proxy.url,
      })
      expect(customers.map((c: Json) => c.customerNumber)).to.deep.equal(['300'])
      expectProxied(proxy, sandbox.info.url, ['POST /v1/auth/token', 'GET /v1/customers'])
    })

    it('HTTP_PROXY: customer add goes through the proxy as well', async () => {
      const again = await okJson(['customer', 'add', '--id', '300', '--agent', 'Proxy Kunde GmbH'], {
        ...credentials(sandbox.info),
        HTTP_PROXY: proxy.url,
      })
      expect(again.result).to.equal('unchanged')
      expectProxied(proxy, sandbox.info.url, ['POST /v1/auth/token', 'POST /v1/customers'])
    })

    it('HTTP_PROXY with NO_PROXY=127.0.0.1: succeeds and the proxy sees nothing', async () => {
      const customers = await okJson(['customer', 'list'], {
        ...credentials(sandbox.info),
        HTTP_PROXY: proxy.url,
        NO_PROXY: '127.0.0.1',
      })
      expect(customers).to.have.lengthOf(1)
      expect(proxy.requests).to.deep.equal([])
      expect(proxy.connects).to.deep.equal([])
    })

    it('HTTP_PROXY pointing at a closed port: exit 4 (human and --json)', async () => {
      const port = await closedPort()
      await expectFailure(
        ['customer', 'list'],
        {...credentials(sandbox.info), HTTP_PROXY: `http://127.0.0.1:${port}`},
        {exit: 4, code: 'SERVER_UNREACHABLE'},
      )
    })

    it('the server itself unreachable: exit 4 (human and --json)', async () => {
      const port = await closedPort()
      await expectFailure(['customer', 'list'], credentials(sandbox.info, `http://127.0.0.1:${port}`), {
        exit: 4,
        code: 'SERVER_UNREACHABLE',
        message: ['Cannot reach the RMM server'],
      })
    })
  })

  describe('TLS: an HTTPS reverse proxy with a test CA in front of the sandbox', () => {
    const sandbox = useSandbox()
    let dir: string
    let caFile: string
    let otherCaFile: string
    let tls: TlsServer
    let noSan: TlsServer
    let proxy: ForwardProxy

    before(async function () {
      this.timeout(60_000)
      dir = mkdtempSync(join(tmpdir(), 'tcrmm-tls-'))
      const ca = await issue({subject: 'CN=tcrmm test TLS CA', ca: true})
      const otherCa = await issue({subject: 'CN=tcrmm some other CA', ca: true})
      caFile = join(dir, 'ca.pem')
      otherCaFile = join(dir, 'other-ca.pem')
      writeFileSync(caFile, ca.pem)
      writeFileSync(otherCaFile, otherCa.pem)
      const good = await serverCertificate(ca, [
        {type: 'ip', value: '127.0.0.1'},
        {type: 'dns', value: 'localhost'},
      ])
      tls = await startTlsReverseProxy(sandbox.info.url, good.certPem, good.keyPem)
      const bare = await serverCertificate(ca, [{type: 'dns', value: 'rmm.example.test'}])
      noSan = await startTlsReverseProxy(sandbox.info.url, bare.certPem, bare.keyPem)
      proxy = await startForwardProxy()
      await registerAgent(sandbox.info, sandbox.token, 'TLS Kunde GmbH')
      const added = await api(sandbox.info, 'POST', '/v1/customers', {
        token: sandbox.token,
        body: {customerNumber: '443', agentId: 'TLS Kunde GmbH'},
      })
      expect(added.status, added.text).to.equal(201)
    })
    after(async () => {
      await tls?.close()
      await noSan?.close()
      await proxy?.close()
    })

    const env = () => credentials(sandbox.info, tls.url)
    const expected = [{customerNumber: '443', agentId: 'TLS Kunde GmbH'}]
    const numbers = (customers: Json[]) =>
      customers.map((c) => ({customerNumber: c.customerNumber, agentId: c.agentId}))

    it('without trusting the CA: exit 4, the message names the certificate/TLS failure', async () => {
      const {human} = await expectFailure(['customer', 'list', '--server', tls.url], env(), {
        exit: 4,
        code: 'TLS_FAILED',
        message: [/certificate/i],
      })
      expect(human.stderr).to.include(`The secure connection to ${tls.url} failed`)
      expect(tls.requests).to.deep.equal([])
    })

    it('with --ca-file of another CA: still exit 4 (TLS_FAILED)', async () => {
      await expectFailure(['customer', 'list', '--server', tls.url, '--ca-file', otherCaFile], env(), {
        exit: 4,
        code: 'TLS_FAILED',
        message: [/certificate/i],
      })
    })

    it('with --ca-file ca.pem: exit 0', async () => {
      const customers = await okJson(['customer', 'list', '--server', tls.url, '--ca-file', caFile], env())
      expect(numbers(customers)).to.deep.equal(expected)
      expect(tls.requests.some((r) => r.startsWith('GET /v1/customers'))).to.equal(true)
    })

    it('with NODE_EXTRA_CA_CERTS=ca.pem: exit 0', async () => {
      const customers = await okJson(['customer', 'list', '--server', tls.url], {
        ...env(),
        NODE_EXTRA_CA_CERTS: caFile,
      })
      expect(numbers(customers)).to.deep.equal(expected)
    })

    it('with NODE_EXTRA_CA_CERTS=ca.pem and --ca-file of another CA: both are trusted, exit 0', async () => {
      const customers = await okJson(['customer', 'list', '--server', tls.url, '--ca-file', otherCaFile], {
        ...env(),
        NODE_EXTRA_CA_CERTS: caFile,
      })
      expect(numbers(customers)).to.deep.equal(expected)
    })

    it('a trusted certificate for another host name: exit 4 (verification stays on)', async () => {
      await expectFailure(
        ['customer', 'list', '--server', noSan.url, '--ca-file', caFile],
        credentials(sandbox.info, noSan.url),
        {exit: 4, code: 'TLS_FAILED'},
      )
      expect(noSan.requests).to.deep.equal([])
    })

    it('an unreadable --ca-file: exit 2', async () => {
      await expectFailure(
        ['customer', 'list', '--server', tls.url, '--ca-file', join(dir, 'missing.pem')],
        env(),
        {
          exit: 2,
          code: 'CA_FILE_UNREADABLE',
          message: ['missing.pem'],
        },
      )
    })

    it('HTTPS through the CONNECT proxy (HTTPS_PROXY) with --ca-file: exit 0, the proxy saw a CONNECT', async () => {
      proxy.reset()
      const customers = await okJson(['customer', 'list', '--server', tls.url, '--ca-file', caFile], {
        ...env(),
        HTTPS_PROXY: proxy.url,
      })
      expect(numbers(customers)).to.deep.equal(expected)
      expect(proxy.connects.length).to.be.greaterThan(0)
      expect(new Set(proxy.connects)).to.deep.equal(new Set([`127.0.0.1:${tls.port}`]))
      expect(proxy.requests).to.deep.equal([])
    })

    it('HTTPS through the CONNECT proxy with NODE_EXTRA_CA_CERTS: exit 0', async () => {
      proxy.reset()
      const customers = await okJson(['customer', 'list', '--server', tls.url], {
        ...env(),
        HTTPS_PROXY: proxy.url,
        NODE_EXTRA_CA_CERTS: caFile,
      })
      expect(numbers(customers)).to.deep.equal(expected)
      expect(proxy.connects.length).to.be.greaterThan(0)
    })

    it('HTTPS through the CONNECT proxy without trusting the CA: exit 4 TLS_FAILED', async () => {
      proxy.reset()
      await expectFailure(
        ['customer', 'list', '--server', tls.url],
        {...env(), HTTPS_PROXY: proxy.url},
        {
          exit: 4,
          code: 'TLS_FAILED',
          message: [/certificate/i],
        },
      )
      expect(proxy.connects.length).to.be.greaterThan(0)
    })
  })
})
