/**
 * `tcrmm sandbox start` and `tcrmm sandbox installation` as real processes, over real HTTP on 127.0.0.1:
 * the fixed interface of rmm-api.md, the files in the data dir, persistence (also across kill -9), fault
 * injection, the played installation and seeding.
 */
import {expect} from 'chai'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, isAbsolute, join, relative, sep} from 'node:path'

import {BIN, cliEnv, REPO_ROOT, runCli, verifyJson} from '../support/cli.js'
import {type SandboxInfo, type SandboxProcess, sandboxToken, startSandboxProcess} from '../support/sandbox.js'

// ---------------------------------------------------------------------------------------------- helpers

const INFO_KEYS = [
  'url',
  'dataDir',
  'company',
  'partnerId',
  'apiUser',
  'apiPassword',
  'credentialsFile',
  'licenses',
  'rootCertificate',
]
const WINDOWS_RESERVED = /[<>:"/\\|?*\u0000-\u001F]/
const temporaryDirs: string[] = []
const running = new Set<ChildProcess>()

function tempDir(prefix = 'tcrmm-lifecycle-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temporaryDirs.push(dir)
  return dir
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

/** startSandboxProcess, remembered so a failing test never leaves a server behind. */
async function startSandbox(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SandboxProcess> {
  const sandbox = await startSandboxProcess(args, env)
  running.add(sandbox.child)
  return sandbox
}

/** Sends the signal and resolves with the exit code and how long the process took to end. */
async function stopTimed(sandbox: SandboxProcess, signal: NodeJS.Signals = 'SIGTERM') {
  const started = Date.now()
  const code = await sandbox.stop(signal)
  return {code, ms: Date.now() - started}
}

interface Launched {
  child: ChildProcess
  stdout(): string
  stderr(): string
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
  /** Resolves with stdout once `test` holds for it; rejects when the process ends first or time runs out. */
  waitForStdout(test: (stdout: string) => boolean, timeoutMs: number, what: string): Promise<string>
  /** Sends the signal; resolves with the exit code and the time it took to end. */
  stop(signal?: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null; ms: number}>
}

/** Spawns the built `tcrmm` like runCli does, but hands back the live process (for servers and --interval). */
function launch(args: string[], env: NodeJS.ProcessEnv = {}): Launched {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const listener of listeners) listener()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  )
  let ended = false
  void exited.then(() => {
    ended = true
    for (const listener of listeners) listener()
  })
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout(test, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (test(stdout)) done(() => resolve(stdout))
          else if (ended) done(() => reject(new Error(`tcrmm ended before ${what}:\n${stdout}\n${stderr}`)))
        }
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${what} within ${timeoutMs} ms:\n${stdout}\n${stderr}`))),
          timeoutMs,
        )
        const done = (settle: () => void) => {
          clearTimeout(timer)
          listeners.delete(check)
          settle()
        }
        listeners.add(check)
        check()
      })
    },
    async stop(signal = 'SIGTERM') {
      const started = Date.now()
      if (isRunning(child)) child.kill(signal)
      const result = await exited
      return {...result, ms: Date.now() - started}
    },
  }
}

interface HttpResult {
  status: number
  headers: Headers
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

/** One real HTTP call with Node's fetch; the body is parsed when it is JSON. */
async function http(
  base: string,
  method: string,
  path: string,
  options: {token?: string; body?: unknown; headers?: Record<string, string>} = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {...options.headers}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(base + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(20_000),
  })
  const text = await response.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  return {status: response.status, headers: response.headers, text, body}
}

/** Asserts that the call fails on the network level (no HTTP answer at all) and returns the error. */
async function networkFailure(call: Promise<unknown>): Promise<Error> {
  try {
    const result = await call
    throw new Error(`expected a network error, got an answer: ${JSON.stringify(result)}`)
  } catch (error) {
    if ((error as Error).message.startsWith('expected a network error')) throw error
    expect(error).to.be.instanceOf(TypeError) // undici: "fetch failed", the cause is the socket error
    return error as Error
  }
}

async function registerAgent(info: SandboxInfo, token: string, agentId: string, tcVersion = '23.04.01') {
  const response = await http(info.url, 'POST', '/v1/agents/register', {
    token,
    body: {agentId, tcVersion, licenseXml: readFileSync(info.licenses.premium, 'utf8')},
  })
  expect(response.status, response.text).to.be.oneOf([200, 201])
  return response
}

function createCustomer(info: SandboxInfo, token: string, customerNumber: string, agentId: string) {
  return http(info.url, 'POST', '/v1/customers', {token, body: {customerNumber, agentId}})
}

/** Every item of a cursor-paginated list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function listAll(info: SandboxInfo, token: string, path: string, limit = 1000): Promise<any[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const items: any[] = []
  let cursor: string | undefined
  for (let page = 0; page < 1000; page++) {
    const separator = path.includes('?') ? '&' : '?'
    const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const response = await http(info.url, 'GET', `${path}${separator}${query}`, {token})
    expect(response.status, response.text).to.equal(200)
    items.push(...(response.body.items ?? response.body.customers))
    if (!response.body.nextCursor) return items
    cursor = response.body.nextCursor as string
  }
  throw new Error(`${path} kept paging`)
}

function setFaults(info: SandboxInfo, faults: unknown) {
  return http(info.url, 'PUT', '/_sandbox/faults', {body: faults})
}

/** `API-Benutzer: …` / `API-Passwort: …` of a credentials file (CRLF or LF). */
function credentialsOf(file: string): {user: string | undefined; password: string | undefined} {
  const text = readFileSync(file, 'utf8')
  return {
    user: /^API-Benutzer: (.*?)\r?$/m.exec(text)?.[1],
    password: /^API-Passwort: (.*?)\r?$/m.exec(text)?.[1],
  }
}

/** Every file below `dir`, as paths relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? filesBelow(path).map((p) => join(entry.name, p)) : [entry.name]
  })
}

function infoPaths(info: SandboxInfo): string[] {
  return [info.credentialsFile, info.licenses.standard, info.licenses.premium, info.rootCertificate]
}

async function waitUntil(test: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await test()) return
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  throw new Error(`timed out waiting for ${what}`)
}

function hasXmlsec1(): boolean {
  return spawnSync('xmlsec1', ['--version'], {encoding: 'utf8'}).status === 0
}

// ------------------------------------------------------------------------------------------------ tests

describe('tcrmm sandbox lifecycle (real processes, real HTTP)', function () {
  this.timeout(60_000)

  // Tests stop what they start; this only catches what a failing test left behind.
  after(() => {
    for (const child of running) if (isRunning(child)) child.kill('SIGKILL')
    for (const dir of temporaryDirs) rmSync(dir, {recursive: true, force: true})
  })

  describe('the fixed interface of `sandbox start`', () => {
    it('prints exactly one line with exactly the documented JSON object, and nothing else while serving', async () => {
      const dataDir = join(tempDir(), 'data')
      const sandbox = launch(['sandbox', 'start', '--port', '0', '--json', '--data-dir', dataDir])
      const firstOutput = await sandbox.waitForStdout((out) => out.includes('\n'), 30_000, 'the JSON line')
      const [line = '', ...rest] = firstOutput.split('\n')
      expect(rest, 'nothing after the first line').to.deep.equal([''])
      const info = JSON.parse(line) as SandboxInfo
      expect(info).to.be.an('object').and.not.be.an('array')
      expect(Object.keys(info).sort()).to.deep.equal([...INFO_KEYS].sort())
      expect(Object.keys(info.licenses).sort()).to.deep.equal(['premium', 'standard'])
      for (const key of ['company', 'partnerId', 'apiUser', 'apiPassword'] as const) {
        expect(info[key], key).to.be.a('string').and.not.equal('')
      }

      const port = Number(/^http:\/\/127\.0\.0\.1:(\d+)$/.exec(info.url)?.[1])
      expect(port, info.url).to.be.within(1, 65_535)
      expect(dataDir).to.equal(info.dataDir)
      for (const path of [info.dataDir, ...infoPaths(info)]) {
        expect(isAbsolute(path), path).to.equal(true)
        expect(existsSync(path), path).to.equal(true)
      }

      // Some traffic, good and bad: still nothing more on stdout.
      const token = await sandboxToken(info)
      expect((await http(info.url, 'GET', '/v1/partner', {token})).status).to.equal(200)
      expect((await http(info.url, 'GET', '/v1/partner')).status).to.equal(401)
      expect((await http(info.url, 'GET', '/v1/nope', {token})).status).to.equal(404)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(sandbox.stdout()).to.equal(`${line}\n`)

      const stopped = await sandbox.stop('SIGTERM')
      expect(stopped.code, sandbox.stderr()).to.equal(0)
      expect(stopped.ms).to.be.below(5000)
      expect(sandbox.stdout(), 'nothing on stdout when stopping either').to.equal(`${line}\n`)
    })

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      it(`ends with exit code 0 within 5 s on ${signal}`, async () => {
        const sandbox = await startSandbox()
        const token = await sandboxToken(sandbox.info)
        expect((await http(sandbox.info.url, 'GET', '/v1/partner', {token})).status).to.equal(200)
        const {code, ms} = await stopTimed(sandbox, signal)
        expect(code, sandbox.stderr()).to.equal(0)
        expect(ms).to.be.below(5000)
      })
    }

    it('ends within 5 s on SIGTERM even while a client holds a keep-alive connection open', async () => {
      const sandbox = await startSandbox()
      const token = await sandboxToken(sandbox.info)
      // fetch keeps the connection alive after this answer; the server must not wait for it to go idle.
      await http(sandbox.info.url, 'GET', '/v1/partner', {token})
      const {code, ms} = await stopTimed(sandbox, 'SIGTERM')
      expect(code, sandbox.stderr()).to.equal(0)
      expect(ms).to.be.below(5000)
    })

    it('removes its temporary data dir after stopping when no --data-dir is given', async () => {
      const sandbox = await startSandbox()
      const {dataDir} = sandbox.info
      expect(existsSync(dataDir)).to.equal(true)
      expect(existsSync(sandbox.info.credentialsFile)).to.equal(true)
      expect((await http(sandbox.info.url, 'GET', '/_sandbox/faults')).status).to.equal(200)
      expect(await sandbox.stop('SIGTERM')).to.equal(0)
      expect(existsSync(dataDir), dataDir).to.equal(false)
    })

    it('exits 0 and cleans up even when the signal comes right after the JSON line', async function () {
      // A script that reads the line and stops the sandbox at once: the line promises a server that ends
      // cleanly on SIGINT/SIGTERM, so the handlers must already be in place when it is printed.
      this.timeout(90_000)
      const outcomes: string[] = []
      const expected: string[] = []
      for (let run = 0; run < 10; run++) {
        const signal = run % 2 === 0 ? 'SIGTERM' : 'SIGINT'
        const sandbox = await startSandbox()
        const code = await sandbox.stop(signal)
        const left = existsSync(sandbox.info.dataDir)
        if (left) temporaryDirs.push(sandbox.info.dataDir)
        outcomes.push(`${signal}: exit ${code}, temporary data dir ${left ? 'left' : 'removed'}`)
        expected.push(`${signal}: exit 0, temporary data dir removed`)
      }
      expect(outcomes).to.deep.equal(expected)
    })

    it('without --json prints a banner with the URL and next commands, but never the password', async () => {
      const dataDir = join(tempDir(), 'data')
      const sandbox = launch(['sandbox', 'start', '--port', '0', '--data-dir', dataDir])
      const banner = await sandbox.waitForStdout(
        (out) => /tcrmm login/.test(out) && /Ctrl|stop/i.test(out.split('tcrmm login')[1] ?? ''),
        30_000,
        'the banner',
      )
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(banner)?.[0]
      expect(url, banner).to.be.a('string')
      expect((await http(url as string, 'GET', '/_sandbox/faults')).status).to.equal(200)
      expect(banner).to.contain('tcrmm license verify')
      expect(banner).to.contain('tcrmm sandbox installation')
      expect(banner).to.contain(`--server ${url}`)

      const [credentialsFile] = readdirSync(dataDir).filter((name) => name.startsWith('Zugangsdaten für '))
      expect(credentialsFile, 'a credentials file in the data dir').to.be.a('string')
      expect(banner).to.contain(join(dataDir, credentialsFile as string))
      const {password} = credentialsOf(join(dataDir, credentialsFile as string))
      expect(password).to.be.a('string').with.length.above(8)

      const stopped = await sandbox.stop('SIGTERM')
      expect(stopped.code, sandbox.stderr()).to.equal(0)
      expect(stopped.ms).to.be.below(5000)
      expect(sandbox.stdout()).not.to.contain(password as string)
      expect(sandbox.stderr()).not.to.contain(password as string)
    })
  })

  describe('the files in the data dir', () => {
    let sandbox: SandboxProcess
    let info: SandboxInfo

    before(async function () {
      this.timeout(60_000)
      sandbox = await startSandbox(['--data-dir', join(tempDir(), 'data')])
      info = sandbox.info
    })

    after(async () => {
      if (sandbox && isRunning(sandbox.child)) await sandbox.stop()
    })

    it('writes the credentials file "Zugangsdaten für <Company>.txt" with the user and password of the JSON', () => {
      expect(dirname(info.credentialsFile)).to.equal(info.dataDir)
      expect(basename(info.credentialsFile)).to.equal(`Zugangsdaten für ${info.company}.txt`)
      expect(credentialsOf(info.credentialsFile)).to.deep.equal({
        user: info.apiUser,
        password: info.apiPassword,
      })
    })

    it('keeps the credentials file private (mode 0600)', function () {
      if (process.platform === 'win32') this.skip()
      expect((statSync(info.credentialsFile).mode & 0o777).toString(8)).to.equal('600')
    })

    it('names the two licenses license_rma_<Company>_standard/premium_signed.xml', () => {
      expect(info.licenses.standard).to.equal(
        join(info.dataDir, `license_rma_${info.company}_standard_signed.xml`),
      )
      expect(info.licenses.premium).to.equal(
        join(info.dataDir, `license_rma_${info.company}_premium_signed.xml`),
      )
      expect(dirname(info.rootCertificate)).to.equal(info.dataDir)
      expect(readFileSync(info.rootCertificate, 'utf8')).to.match(/^-----BEGIN CERTIFICATE-----/)
    })

    it('issues licenses that `tcrmm license verify --ca <root>` accepts, for this partner and each edition', async () => {
      const result = await verifyJson([
        '--ca',
        info.rootCertificate,
        info.licenses.standard,
        info.licenses.premium,
      ])
      expect(result.code, result.stdout + result.stderr).to.equal(0)
      expect(result.json.summary).to.deep.equal({total: 2, valid: 2, invalid: 0})
      const byFile = new Map(result.json.results.map((r) => [r.file, r]))
      for (const edition of ['standard', 'premium'] as const) {
        const verdict = byFile.get(info.licenses[edition])
        expect(verdict, edition).to.not.equal(undefined)
        expect(verdict?.valid).to.equal(true)
        expect(verdict?.license).to.include({edition, company: info.company, partnerId: info.partnerId})
      }
    })

    it('issues licenses that xmlsec1 verifies against the root certificate', function () {
      if (!hasXmlsec1()) {
        if (process.env.TCRMM_REQUIRE_XMLSEC1)
          expect.fail('xmlsec1 is required (TCRMM_REQUIRE_XMLSEC1) but missing')
        this.skip()
      }
      for (const file of [info.licenses.standard, info.licenses.premium]) {
        const result = spawnSync(
          'xmlsec1',
          ['--verify', '--enabled-key-data', 'x509', '--trusted-pem', info.rootCertificate, file],
          {encoding: 'utf8'},
        )
        expect(result.status, `${file}\n${result.stdout}${result.stderr}`).to.equal(0)
      }
    })
  })

  describe('company names that are no safe file names', () => {
    const hostile = ['../../evil', 'a\\b:c*?"<>|', '.hidden ']

    for (const company of hostile) {
      it(`keeps every file inside the data dir for --company ${JSON.stringify(company)}`, async () => {
        const root = tempDir()
        const parent = join(root, 'p')
        const dataDir = join(parent, 'data')
        mkdirSync(dataDir, {recursive: true})
        const tmpBefore = readdirSync(tmpdir()).filter((name) => name.includes('evil'))

        const sandbox = await startSandbox(['--data-dir', dataDir, '--company', company])
        const {info} = sandbox
        expect(info.company).to.equal(company)
        expect(info.dataDir).to.equal(dataDir)
        for (const path of infoPaths(info)) {
          expect(dirname(path), path).to.equal(dataDir)
          expect(relative(dataDir, path).split(sep), path).to.have.length(1)
          const name = basename(path)
          expect(name, 'no reserved characters').not.to.match(WINDOWS_RESERVED)
          expect(name, 'no leading dot or space').not.to.match(/^[.\s]/)
          expect(existsSync(path), path).to.equal(true)
        }
        // Nothing appeared anywhere but directly in the data dir.
        expect(readdirSync(root)).to.deep.equal(['p'])
        expect(readdirSync(parent)).to.deep.equal(['data'])
        for (const file of filesBelow(root)) expect(dirname(join(root, file)), file).to.equal(dataDir)
        expect(readdirSync(tmpdir()).filter((name) => name.includes('evil'))).to.deep.equal(tmpBefore)

        // The files still work: the credentials log in, and the licenses name the company as given.
        expect(credentialsOf(info.credentialsFile)).to.deep.equal({
          user: info.apiUser,
          password: info.apiPassword,
        })
        await sandboxToken(info)
        const verified = await verifyJson([
          '--ca',
          info.rootCertificate,
          info.licenses.standard,
          info.licenses.premium,
        ])
        expect(verified.code, verified.stdout + verified.stderr).to.equal(0)
        for (const result of verified.json.results) expect(result.license?.company).to.equal(company)

        expect(await sandbox.stop()).to.equal(0)
        expect(readdirSync(parent)).to.deep.equal(['data'])
      })
    }
  })

  describe('persistence with --data-dir', () => {
    it('keeps partner, credentials, CA, licenses, agents, customers and tokens across a restart', async () => {
      const dataDir = join(tempDir(), 'data')
      const first = await startSandbox(['--data-dir', dataDir])
      const token = await sandboxToken(first.info)
      await registerAgent(first.info, token, 'Unassigned Agent GmbH')
      for (const n of [1, 2, 3]) {
        await registerAgent(first.info, token, `Kunde ${n} GmbH`)
        const created = await createCustomer(first.info, token, `K-${n}`, `Kunde ${n} GmbH`)
        expect(created.status, created.text).to.equal(201)
      }
      const rootBefore = readFileSync(first.info.rootCertificate, 'utf8')
      const licensesBefore = [
        readFileSync(first.info.licenses.standard),
        readFileSync(first.info.licenses.premium),
      ]
      expect(await first.stop()).to.equal(0)

      const second = await startSandbox(['--data-dir', dataDir])
      const {info} = second
      expect(info.dataDir).to.equal(first.info.dataDir)
      expect(info.company).to.equal(first.info.company)
      expect(info.partnerId).to.equal(first.info.partnerId)
      expect(info.apiUser).to.equal(first.info.apiUser)
      expect(info.apiPassword).to.equal(first.info.apiPassword)
      expect(info.credentialsFile).to.equal(first.info.credentialsFile)
      expect(readFileSync(info.rootCertificate, 'utf8')).to.equal(rootBefore)
      expect(readFileSync(info.licenses.standard).equals(licensesBefore[0] as Buffer)).to.equal(true)
      expect(readFileSync(info.licenses.premium).equals(licensesBefore[1] as Buffer)).to.equal(true)

      // The old token still works: tokens persist.
      const partner = await http(info.url, 'GET', '/v1/partner', {token})
      expect(partner.status, partner.text).to.equal(200)
      expect(partner.body.partnerId).to.equal(first.info.partnerId)

      const agents = await listAll(info, token, '/v1/agents')
      expect(agents.map((a) => a.agentId).sort()).to.deep.equal([
        'Kunde 1 GmbH',
        'Kunde 2 GmbH',
        'Kunde 3 GmbH',
        'Unassigned Agent GmbH',
      ])
      const customers = await listAll(info, token, '/v1/customers')
      expect(customers.map((c) => [c.customerNumber, c.agentId])).to.deep.equal([
        ['K-1', 'Kunde 1 GmbH'],
        ['K-2', 'Kunde 2 GmbH'],
        ['K-3', 'Kunde 3 GmbH'],
      ])
      // The old licenses still register agents: the CA is the same.
      await registerAgent(info, token, 'Nach Neustart GmbH')
      expect(await second.stop()).to.equal(0)
    })

    it('loses no acknowledged customer and duplicates none when killed with SIGKILL mid-traffic', async function () {
      this.timeout(120_000)
      const dataDir = join(tempDir(), 'data')
      const first = await startSandbox(['--data-dir', dataDir])
      const token = await sandboxToken(first.info)
      const agentOf = (i: number) => `Agent ${String(i).padStart(2, '0')}`
      for (let i = 0; i < 60; i++) await registerAgent(first.info, token, agentOf(i))

      const acknowledged: string[] = []
      let killed = false
      let networkErrors = 0
      for (let i = 0; i < 60; i++) {
        const number = `C-${String(i).padStart(2, '0')}`
        const request = createCustomer(first.info, token, number, agentOf(i))
        // The kill races the request in flight, as a crash would.
        if (acknowledged.length >= 30 && !killed) {
          killed = true
          first.child.kill('SIGKILL')
        }
        try {
          const response = await request
          if (response.status === 201) acknowledged.push(number)
          else expect.fail(`unexpected ${response.status}: ${response.text}`)
        } catch (error) {
          if (!(error instanceof TypeError)) throw error
          networkErrors++
          if (networkErrors >= 3) break
        }
      }
      expect(killed).to.equal(true)
      expect(await first.stop()).to.equal('SIGKILL')
      expect(acknowledged.length).to.be.within(30, 32)

      const second = await startSandbox(['--data-dir', dataDir])
      const customers = await listAll(second.info, token, '/v1/customers')
      const numbers = customers.map((c) => c.customerNumber as string)
      expect(new Set(numbers).size, 'no customer number twice').to.equal(numbers.length)
      const agents = customers.map((c) => c.agentId as string)
      expect(new Set(agents).size, 'no agent in two customers').to.equal(agents.length)
      for (const number of acknowledged) expect(numbers, `acknowledged ${number}`).to.include(number)
      // At most the one request in flight at the kill may have been done without an answer.
      expect(numbers.length).to.be.within(acknowledged.length, acknowledged.length + 1)
      for (const customer of customers) {
        expect(customer.agentId).to.equal(agentOf(Number(String(customer.customerNumber).slice(2))))
      }
      const allAgents = await listAll(second.info, token, '/v1/agents')
      expect(allAgents).to.have.length(60)
      expect(await second.stop()).to.equal(0)
    })

    it('starts after a torn last journal line and keeps everything acknowledged', async () => {
      const dataDir = join(tempDir(), 'data')
      const first = await startSandbox(['--data-dir', dataDir])
      const token = await sandboxToken(first.info)
      for (const n of [1, 2]) {
        await registerAgent(first.info, token, `Torn ${n}`)
        expect((await createCustomer(first.info, token, `T-${n}`, `Torn ${n}`)).status).to.equal(201)
      }
      expect(await first.stop()).to.equal(0)
      const journal = join(dataDir, 'state.journal')
      expect(existsSync(journal), 'state.journal in the data dir').to.equal(true)
      const whole = JSON.stringify({
        c: 'customers',
        k: 'T-torn',
        v: {customerNumber: 'T-torn', agentId: 'Torn 1', name: null, createdAt: new Date().toISOString()},
      })
      appendFileSync(journal, whole.slice(0, Math.floor(whole.length / 2)))

      const second = await startSandbox(['--data-dir', dataDir])
      const numbers = (await listAll(second.info, token, '/v1/customers')).map((c) => c.customerNumber)
      expect(numbers).to.deep.equal(['T-1', 'T-2'])
      // Still writable and durable after the repair.
      await registerAgent(second.info, token, 'Torn 3')
      expect((await createCustomer(second.info, token, 'T-3', 'Torn 3')).status).to.equal(201)
      expect(await second.stop()).to.equal(0)

      const third = await startSandbox(['--data-dir', dataDir])
      const after = (await listAll(third.info, token, '/v1/customers')).map((c) => c.customerNumber)
      expect(after).to.deep.equal(['T-1', 'T-2', 'T-3'])
      expect(await third.stop()).to.equal(0)
    })
  })

  describe('fault injection', () => {
    it('--faults error=1 answers every /v1 call with a 500 problem, but /_sandbox/faults still works', async () => {
      const sandbox = await startSandbox(['--faults', 'error=1'])
      const {info} = sandbox
      const calls: Array<[string, string, unknown]> = [
        ['GET', '/v1/partner', undefined],
        ['GET', '/v1/customers', undefined],
        ['POST', '/v1/auth/token', {username: info.apiUser, password: info.apiPassword}],
        ['POST', '/v1/customers', {customerNumber: 'X', agentId: 'Y'}],
      ]
      for (const [method, path, body] of calls) {
        const response = await http(info.url, method, path, {body})
        expect(response.status, `${method} ${path}`).to.equal(500)
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/)
        expect(response.body).to.include({status: 500, code: 'INTERNAL_ERROR'})
      }
      const faults = await http(info.url, 'GET', '/_sandbox/faults')
      expect(faults.status).to.equal(200)
      expect(faults.body).to.deep.equal({errorRate: 1, dropRate: 0, latencyMs: 0, rateLimitRate: 0})
      expect(await sandbox.stop()).to.equal(0)
    })

    describe('at run time through PUT /_sandbox/faults', () => {
      let sandbox: SandboxProcess
      let info: SandboxInfo
      let token: string

      before(async function () {
        this.timeout(60_000)
        sandbox = await startSandbox()
        info = sandbox.info
        token = await sandboxToken(info)
        await registerAgent(info, token, 'Drop GmbH')
      })

      afterEach(async () => {
        if (sandbox && isRunning(sandbox.child)) await setFaults(info, {})
      })

      after(async () => {
        if (sandbox && isRunning(sandbox.child)) await sandbox.stop()
      })

      it('rateLimitRate 1 answers /v1 calls with 429 and Retry-After', async () => {
        expect((await setFaults(info, {rateLimitRate: 1})).status).to.equal(200)
        const response = await http(info.url, 'GET', '/v1/partner', {token})
        expect(response.status).to.equal(429)
        expect(response.headers.get('retry-after')).to.match(/^\d+$|GMT$/)
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/)
        expect(response.body.status).to.equal(429)
        expect((await http(info.url, 'GET', '/_sandbox/faults')).status).to.equal(200)
      })

      it('dropRate 1 drops the connection, after doing the work: a dropped POST /v1/customers did create it', async () => {
        const put = await setFaults(info, {dropRate: 1})
        expect(put.status).to.equal(200)
        expect(put.body).to.deep.equal({errorRate: 0, dropRate: 1, latencyMs: 0, rateLimitRate: 0})
        await networkFailure(http(info.url, 'GET', '/v1/partner', {token}))
        await networkFailure(createCustomer(info, token, 'D-1', 'Drop GmbH'))
        expect((await setFaults(info, {})).status).to.equal(200)
        const customer = await http(info.url, 'GET', '/v1/customers/D-1', {token})
        expect(customer.status, customer.text).to.equal(200)
        expect(customer.body).to.include({customerNumber: 'D-1', agentId: 'Drop GmbH'})
      })

      it('latencyMs 300 delays /v1 calls', async () => {
        expect((await setFaults(info, {latencyMs: 300})).status).to.equal(200)
        const started = Date.now()
        const response = await http(info.url, 'GET', '/v1/partner', {token})
        expect(response.status).to.equal(200)
        expect(Date.now() - started).to.be.at.least(250)
        // The admin endpoint is not subject to faults, so a test can always switch them off again.
        const adminStarted = Date.now()
        expect((await http(info.url, 'GET', '/_sandbox/faults')).body.latencyMs).to.equal(300)
        expect(Date.now() - adminStarted).to.be.below(250)
      })

      it('{} resets all faults', async () => {
        await setFaults(info, {errorRate: 1, rateLimitRate: 1, latencyMs: 10})
        const reset = await setFaults(info, {})
        expect(reset.status).to.equal(200)
        expect(reset.body).to.deep.equal({errorRate: 0, dropRate: 0, latencyMs: 0, rateLimitRate: 0})
        expect((await http(info.url, 'GET', '/_sandbox/faults')).body).to.deep.equal(reset.body)
        expect((await http(info.url, 'GET', '/v1/partner', {token})).status).to.equal(200)
      })

      it('refuses an invalid faults body with 400 and keeps the faults in force', async () => {
        await setFaults(info, {latencyMs: 5})
        for (const body of [{errorRate: 2}, {bogus: 1}, {errorRate: -0.1}, {latencyMs: 'slow'}]) {
          const response = await setFaults(info, body)
          expect(response.status, JSON.stringify(body)).to.equal(400)
          expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/)
        }
        const current = await http(info.url, 'GET', '/_sandbox/faults')
        expect(current.body).to.deep.equal({errorRate: 0, dropRate: 0, latencyMs: 5, rateLimitRate: 0})
      })
    })

    for (const spec of ['bogus=1', 'error=2']) {
      it(`refuses --faults ${spec} at start with exit 2, fast`, async () => {
        const result = await runCli(['sandbox', 'start', '--port', '0', '--json', '--faults', spec], {
          timeoutMs: 20_000,
        })
        expect(result.code, result.stdout + result.stderr).to.equal(2)
        expect(JSON.parse(result.stdout).error.code).to.equal('BAD_FAULTS')
      })
    }

    it('mixes faults in about the configured shares (error=0.3, drop=0.1, ratelimit=0.1)', async function () {
      this.timeout(120_000)
      const sandbox = await startSandbox(['--faults', 'error=0.3,drop=0.1,ratelimit=0.1'])
      const {info} = sandbox
      let token: string | undefined
      for (let attempt = 0; attempt < 100 && token === undefined; attempt++) {
        try {
          token = await sandboxToken(info)
        } catch {
          // a fault hit the login: try again
        }
      }
      expect(token, 'a login got through').to.be.a('string')

      const counts = {ok: 0, error: 0, rateLimited: 0, dropped: 0, other: 0}
      for (let i = 0; i < 200; i++) {
        try {
          const response = await http(info.url, 'GET', '/v1/partner', {token})
          if (response.status === 200) counts.ok++
          else if (response.status === 500) counts.error++
          else if (response.status === 429 && response.headers.get('retry-after')) counts.rateLimited++
          else counts.other++
        } catch (error) {
          if (!(error instanceof TypeError)) throw error
          counts.dropped++
        }
      }
      const share = (n: number) => n / 200
      const shown = JSON.stringify(counts)
      expect(counts.other, shown).to.equal(0)
      // Expected: 429 10 %, 500 27 % (0.9 × 0.3), dropped 6.3 %, ok 56.7 %.
      expect(share(counts.error), shown).to.be.within(0.15, 0.45)
      expect(share(counts.rateLimited), shown).to.be.within(0.03, 0.2)
      expect(share(counts.dropped), shown).to.be.within(0.01, 0.16)
      expect(share(counts.ok), shown).to.be.within(0.35, 0.8)
      expect(await sandbox.stop()).to.equal(0)
    })
  })

  describe('`tcrmm sandbox installation`', () => {
    let sandbox: SandboxProcess
    let info: SandboxInfo
    let token: string

    const install = (company: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
      runCli(
        [
          'sandbox',
          'installation',
          '--server',
          info.url,
          '--credentials-file',
          info.credentialsFile,
          '--company',
          company,
          '--tc-version',
          '23.04.01',
          '--license',
          info.licenses.premium,
          ...extra,
        ],
        {env, timeoutMs: 30_000},
      )

    before(async function () {
      this.timeout(60_000)
      sandbox = await startSandbox()
      info = sandbox.info
      token = await sandboxToken(info)
    })

    after(async () => {
      if (sandbox && isRunning(sandbox.child)) await sandbox.stop()
    })

    async function agent(agentId: string) {
      const agents = await listAll(info, token, '/v1/agents')
      return agents.find((a) => a.agentId === agentId)
    }

    it('registers the agent, sends a heartbeat and exits 0; the agent is then listed', async () => {
      const result = await install('Bäckerei Schmidt')
      expect(result.code, result.stdout + result.stderr).to.equal(0)
      expect(result.stdout).to.contain('Bäckerei Schmidt')
      expect(result.stdout).to.match(/heartbeat/i)
      const listed = await agent('Bäckerei Schmidt')
      expect(listed, 'in GET /v1/agents').to.not.equal(undefined)
      expect(listed).to.include({
        tcVersion: '23.04.01',
        licenseEdition: 'premium',
        status: 'ok',
        customerNumber: null,
      })
    })

    it('reports --warning CODE:critical and CODE as status critical with 2 warnings', async () => {
      const company = 'Café Warnung'
      const result = await install(company, [
        '--warning',
        'BACKUP_FAILED:critical',
        '--warning',
        'DISK_SPACE_LOW',
      ])
      expect(result.code, result.stdout + result.stderr).to.equal(0)
      expect(await agent(company)).to.include({status: 'critical', warningCount: 2})

      expect((await createCustomer(info, token, 'W-1', company)).status).to.equal(201)
      const dashboard = await http(info.url, 'GET', '/v1/dashboard', {token})
      const row = dashboard.body.customers.find((c: {agentId: string}) => c.agentId === company)
      expect(row).to.include({status: 'critical', warningCount: 2})
      const warnings = (row.warnings as Array<{code: string; severity: string}>).map((w) => [
        w.code,
        w.severity,
      ])
      expect(warnings.sort()).to.deep.equal([
        ['BACKUP_FAILED', 'critical'],
        ['DISK_SPACE_LOW', 'warning'],
      ])
    })

    it('exits 1 with the reason when the version is too old (22.12.05)', async () => {
      const result = await runCli(
        [
          'sandbox',
          'installation',
          '--server',
          info.url,
          '--credentials-file',
          info.credentialsFile,
          '--company',
          'Alte Version GmbH',
          '--tc-version',
          '22.12.05',
          '--license',
          info.licenses.premium,
        ],
        {timeoutMs: 30_000},
      )
      expect(result.code, result.stdout + result.stderr).to.equal(1)
      expect(result.stderr).to.contain('22.12.05')
      expect(result.stderr).to.contain('23.04.01')
      expect(await agent('Alte Version GmbH')).to.equal(undefined)
    })

    it('exits 1 with the reason for a license of another sandbox', async () => {
      const other = await startSandbox()
      const foreign = join(tempDir(), 'foreign_premium_signed.xml')
      copyFileSync(other.info.licenses.premium, foreign)
      expect(await other.stop()).to.equal(0)
      const result = await runCli(
        [
          'sandbox',
          'installation',
          '--server',
          info.url,
          '--credentials-file',
          info.credentialsFile,
          '--company',
          'Fremde Lizenz GmbH',
          '--tc-version',
          '23.04.01',
          '--license',
          foreign,
        ],
        {timeoutMs: 30_000},
      )
      expect(result.code, result.stdout + result.stderr).to.equal(1)
      expect(result.stderr).to.match(/refused|belongs|licen[sc]e/i)
      expect(await agent('Fremde Lizenz GmbH')).to.equal(undefined)
    })

    it('exits 3 with wrong credentials from the environment', async () => {
      const result = await runCli(
        [
          'sandbox',
          'installation',
          '--server',
          info.url,
          '--company',
          'Falsches Passwort GmbH',
          '--tc-version',
          '23.04.01',
          '--license',
          info.licenses.premium,
        ],
        {env: {TCRMM_API_USER: info.apiUser, TCRMM_API_PASSWORD: 'not-the-password'}, timeoutMs: 30_000},
      )
      expect(result.code, result.stdout + result.stderr).to.equal(3)
      expect(result.stdout + result.stderr).not.to.contain(info.apiPassword)
    })

    it('exits 2 without any credentials (no prompt without a TTY)', async () => {
      const result = await runCli(
        [
          'sandbox',
          'installation',
          '--server',
          info.url,
          '--company',
          'Ohne Zugang GmbH',
          '--tc-version',
          '23.04.01',
          '--license',
          info.licenses.premium,
        ],
        {timeoutMs: 30_000},
      )
      expect(result.code, result.stdout + result.stderr).to.equal(2)
    })

    it('refuses a plain-http server that is not loopback (exit 2) without contacting it', async () => {
      const started = Date.now()
      const result = await runCli(
        [
          'sandbox',
          'installation',
          '--server',
          'http://10.0.0.1',
          '--credentials-file',
          info.credentialsFile,
          '--company',
          'Unsicher GmbH',
          '--tc-version',
          '23.04.01',
          '--license',
          info.licenses.premium,
        ],
        {timeoutMs: 15_000},
      )
      expect(result.code, result.stdout + result.stderr).to.equal(2)
      expect(result.stderr).to.match(/http/i)
      expect(Date.now() - started, 'no connection attempt').to.be.below(10_000)
    })

    it('exits 4 when the server is unreachable', async () => {
      const result = await runCli(
        [
          'sandbox',
          'installation',
          '--server',
          'http://127.0.0.1:1',
          '--credentials-file',
          info.credentialsFile,
          '--company',
          'Unerreichbar GmbH',
          '--tc-version',
          '23.04.01',
          '--license',
          info.licenses.premium,
        ],
        {timeoutMs: 30_000},
      )
      expect(result.code, result.stdout + result.stderr).to.equal(4)
    })

    it('prints one JSON document with --json', async () => {
      const result = await install('JSON Installation GmbH', ['--json'])
      expect(result.code, result.stdout + result.stderr).to.equal(0)
      const json = JSON.parse(result.stdout)
      expect(json.agent).to.include({agentId: 'JSON Installation GmbH', tcVersion: '23.04.01'})
    })

    it('keeps reporting with --interval 1s until SIGTERM, then exits 0 within 5 s', async function () {
      this.timeout(60_000)
      const company = 'Intervall GmbH'
      const installation = launch([
        'sandbox',
        'installation',
        '--server',
        info.url,
        '--credentials-file',
        info.credentialsFile,
        '--company',
        company,
        '--tc-version',
        '23.04.01',
        '--license',
        info.licenses.premium,
        '--interval',
        '1s',
      ])
      const seen = new Set<string>()
      await waitUntil(
        async () => {
          const found = await agent(company)
          if (found) seen.add(found.lastContactAt as string)
          const heartbeats = installation.stdout().match(/heartbeat/gi)?.length ?? 0
          return seen.size >= 2 && heartbeats >= 2
        },
        20_000,
        `two heartbeats of ${company}`,
      )
      expect(isRunning(installation.child), 'still reporting').to.equal(true)
      const stopped = await installation.stop('SIGTERM')
      expect(stopped.code, installation.stdout() + installation.stderr()).to.equal(0)
      expect(stopped.ms).to.be.below(5000)
    })
  })

  describe('--seed', () => {
    it('--seed 10000 starts with 10000 customers and 1000 unassigned agents', async function () {
      this.timeout(120_000)
      const sandbox = launch(['sandbox', 'start', '--port', '0', '--json', '--seed', '10000'])
      const output = await sandbox.waitForStdout((out) => out.includes('\n'), 60_000, 'the JSON line')
      const info = JSON.parse(output.split('\n')[0] as string) as SandboxInfo
      const token = await sandboxToken(info)

      const dashboard = await http(info.url, 'GET', '/v1/dashboard?limit=1', {token})
      expect(dashboard.status, dashboard.text).to.equal(200)
      expect(dashboard.body.summary.customers).to.equal(10_000)
      const {ok, warning, critical, offline} = dashboard.body.summary
      expect(ok + warning + critical + offline).to.equal(10_000)
      // About 70 % ok, 20 % warning, 7 % critical, 3 % offline (rmm-api.md); loose bands.
      expect(ok / 10_000, 'ok').to.be.within(0.6, 0.8)
      expect(warning / 10_000, 'warning').to.be.within(0.12, 0.28)
      expect(critical / 10_000, 'critical').to.be.within(0.03, 0.12)
      expect(offline / 10_000, 'offline').to.be.within(0.01, 0.06)

      const unassigned: string[] = []
      let cursor: string | undefined
      for (let page = 0; page < 20; page++) {
        const query = `unassigned=true&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        const response = await http(info.url, 'GET', `/v1/agents?${query}`, {token})
        expect(response.status, response.text).to.equal(200)
        expect(response.body.items.length).to.be.at.most(1000)
        for (const item of response.body.items) {
          expect(item.customerNumber).to.equal(null)
          unassigned.push(item.agentId)
        }
        cursor = response.body.nextCursor ?? undefined
        if (!cursor) break
      }
      expect(cursor, 'the pages end').to.equal(undefined)
      expect(unassigned).to.have.length(1000)
      expect(new Set(unassigned).size).to.equal(1000)

      const stopped = await sandbox.stop('SIGTERM')
      expect(stopped.code, sandbox.stderr()).to.equal(0)
      expect(stopped.ms).to.be.below(5000)
    })
  })
})
