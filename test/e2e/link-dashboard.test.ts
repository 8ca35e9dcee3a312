/**
 * `tcrmm link` (the on-site wizard) and `tcrmm dashboard` as real processes against real `tcrmm sandbox start`
 * processes (cli.md, "tcrmm link — the help article as a program", exit codes; domain.md): the unattended run
 * end to end while an installation clicks "Übernehmen", every refusal with its exit code, the agent-id traps,
 * Ctrl-C while waiting, the dashboard in JSON and for people (editions, --warnings-only, --fail-on, --watch),
 * and the interactive wizard through a real pseudo-terminal (tmux).
 */
import {expect} from 'chai'

import {de} from '../../src/lib/messages/de.js'
import {en} from '../../src/lib/messages/en.js'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {BIN, cliEnv, type CliResult, REPO_ROOT, runCli} from '../support/cli.js'
import {type SandboxInfo, type SandboxProcess, sandboxToken, startSandboxProcess} from '../support/sandbox.js'

// ---------------------------------------------------------------------------------------------------------------
// Helpers

// Documents are whatever the CLI or the server printed; the assertions say what they must be.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

const STATUSES = ['ok', 'warning', 'critical', 'offline'] as const
/** Worst first (cli.md): critical and offline before warning before ok. */
const SEVERITY_RANK: Record<string, number> = {critical: 0, offline: 0, warning: 1, ok: 2}
const ROW_KEYS = [
  'customerNumber',
  'agentId',
  'name',
  'status',
  'warnings',
  'warningCount',
  'tcVersion',
  'lastContactAt',
]
const WARNING_KEYS = ['code', 'severity', 'message', 'since']
const SUMMARY_LINE = /^\d+ customers?: {2}\d+ ok {2}\d+ warning {2}\d+ critical {2}\d+ offline$/
const ROW_LINE = /^(ok|warning|critical|offline) +(\S+) {2}/
const TRAP_FIX = '    Make the Firmenname in timeCard and --company identical, character for character.'

const running = new Set<ChildProcess>()

function show(result: {code: number | null; stdout: string; stderr: string}): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
}

/** The env credentials every API command accepts without `login` (cli.md, "credentials in CI"). */
function creds(info: SandboxInfo): NodeJS.ProcessEnv {
  return {TCRMM_SERVER: info.url, TCRMM_API_USER: info.apiUser, TCRMM_API_PASSWORD: info.apiPassword}
}

/** runCli with the wall-clock time it took. */
async function timed(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000) {
  const started = Date.now()
  const result = await runCli(args, {env, timeoutMs})
  return {...result, ms: Date.now() - started}
}

function parseJson(result: CliResult): Json {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`stdout is not exactly one JSON document:\n${show(result)}`)
  }
}

interface Running {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves once the process has ended, with the time it ended. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null; at: number}>
}

/** `tcrmm ARGS` as a separate process we control (signals, timing): no TTY, CI=true, a fresh HOME. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env, 'tcrmm-link-'),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null; at: number}>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child)
      resolve({code, signal, at: Date.now()})
    }),
  )
  return {child, stdout: () => stdout, stderr: () => stderr, exited}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The promise's value, or undefined when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, sleep(ms).then(() => undefined)])
}

/** Polls `check` every 100 ms until it holds; fails with `context()` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs: number, context: () => string) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`)
    await sleep(100)
  }
}

/** Plain HTTP against the sandbox, to check what the server really holds. */
async function api(info: SandboxInfo, token: string, path: string): Promise<{status: number; json: Json}> {
  const response = await fetch(info.url + path, {headers: {authorization: `Bearer ${token}`}})
  const text = await response.text()
  return {status: response.status, json: text === '' ? undefined : JSON.parse(text)}
}

async function allCustomers(info: SandboxInfo, token: string): Promise<Json[]> {
  const items: Json[] = []
  let cursor: string | undefined
  for (;;) {
    const query = new URLSearchParams({limit: '1000'})
    if (cursor) query.set('cursor', cursor)
    const page = await api(info, token, `/v1/customers?${query}`)
    expect(page.status).to.equal(200)
    items.push(...page.json.items)
    if (!page.json.nextCursor) return items
    cursor = page.json.nextCursor
  }
}

async function customer(info: SandboxInfo, token: string, number: string) {
  return api(info, token, `/v1/customers/${encodeURIComponent(number)}`)
}

/** `tcrmm sandbox installation`: the customer's timeCard clicking "Übernehmen" (registers, one heartbeat). */
async function install(info: SandboxInfo, company: string, extra: string[] = [], tcVersion = '23.04.01') {
  const result = await runCli(
    [
      'sandbox',
      'installation',
      '--company',
      company,
      '--tc-version',
      tcVersion,
      '--license',
      info.licenses.premium,
      ...extra,
    ],
    {env: creds(info)},
  )
  expect(result.code, show(result)).to.equal(0)
}

/** Creates a customer straight over HTTP (setup only). */
async function addCustomer(info: SandboxInfo, token: string, customerNumber: string, agentId: string) {
  const response = await fetch(`${info.url}/v1/customers`, {
    method: 'POST',
    headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
    body: JSON.stringify({customerNumber, agentId}),
  })
  expect(response.status, await response.text()).to.equal(201)
}

function linkArgs(info: SandboxInfo, company: string, id: string, extra: string[] = []): string[] {
  return [
    'link',
    '--company',
    company,
    '--tc-version',
    '23.04.01',
    '--license',
    info.licenses.premium,
    '--id',
    id,
    ...extra,
  ]
}

/** The lines of each "Step n/5" section of a link run, keyed by n. */
function steps(stdout: string): Map<number, string[]> {
  const sections = new Map<number, string[]>()
  let current: string[] | undefined
  for (const line of stdout.split('\n')) {
    const header = /^Step (\d)\/5: /.exec(line)
    if (header) sections.set(Number(header[1]), (current = []))
    else current?.push(line)
  }
  return sections
}

/** One sandbox process for the enclosing `describe`, with a token for checking what it holds. */
function useSandbox(args: string[] = []): {info: SandboxInfo; token: string; process: SandboxProcess} {
  const sandbox = {} as {info: SandboxInfo; token: string; process: SandboxProcess}
  before(async function () {
    this.timeout(60_000)
    sandbox.process = await startSandboxProcess(args)
    sandbox.info = sandbox.process.info
    sandbox.token = await sandboxToken(sandbox.info)
  })
  after(async function () {
    this.timeout(15_000)
    if (sandbox.process) await sandbox.process.stop()
  })
  return sandbox
}

// ---------------------------------------------------------------------------------------------------------------

describe('link and dashboard (e2e, real sandbox processes)', function () {
  this.timeout(90_000)

  afterEach(function () {
    // Whatever a failing test left running is ended here, by its own process object.
    for (const child of running) child.kill('SIGKILL')
    running.clear()
  })

  describe('link, unattended, end to end', function () {
    const sandbox = useSandbox()

    it('waits for the installation, creates the customer and shows steps 1–5 with ✓; a re-run is "Already linked"', async function () {
      const {info, token} = sandbox
      const company = 'Bäckerei Schmidt'
      const link = spawnCli(linkArgs(info, company, '10042', ['--wait', '1m']), creds(info))
      const context = () => `--- stdout\n${link.stdout()}\n--- stderr\n${link.stderr()}`
      await until('the wait in step 3', () => link.stdout().includes('Waiting for'), 15_000, context)
      // Let it poll at least once in vain before the installation connects.
      await sleep(1500)
      expect(link.child.exitCode, context()).to.equal(null)
      await install(info, company)
      const exit = await within(link.exited, 30_000)
      const result = {code: exit?.code ?? null, stdout: link.stdout(), stderr: link.stderr()}
      expect(exit, `still running 30 s after the installation connected\n${show(result)}`).not.to.equal(
        undefined,
      )
      expect(result.code, show(result)).to.equal(0)
      expect(result.stderr, show(result)).to.equal('')

      const sections = steps(result.stdout)
      expect([...sections.keys()], show(result)).to.deep.equal([1, 2, 3, 4, 5])
      for (const [n, lines] of sections) {
        // Step 2 is checked on its own below (it prints no ✓).
        if (n !== 2)
          expect(
            lines.some((l) => l.includes('✓')),
            `step ${n} has a ✓\n${show(result)}`,
          ).to.equal(true)
        expect(
          lines.some((l) => l.includes('✗')),
          `step ${n} has no ✗\n${show(result)}`,
        ).to.equal(false)
      }
      expect(sections.get(1)).to.include.members([
        `  ✓ Credentials: ${info.apiUser} (${info.company}, ${info.partnerId})`,
        '  ✓ timeCard 23.04.01 (23.04.01 or newer)',
        `  ✓ Premium-Lizenz (premium): ${info.licenses.premium}`,
      ])
      expect(sections.get(2)).to.include.members([
        '  In timeCard, open Allgemein → Einstellungen → Registrierungsdaten and enter:',
        `    Firmenname    "${company}"`,
        `    API-Benutzer  ${info.apiUser}`,
        `    Lizenzdatei   ${info.licenses.premium}`,
      ])
      expect(sections.get(2)!.join('\n')).to.include('"Übernehmen"')
      // No agent-id trap in a clean company name.
      expect(result.stdout, show(result)).not.to.match(/^ {2}! /m)
      expect(sections.get(3)).to.include(`  … Waiting for "${company}" to connect… 0 s of 1 min`)
      expect(sections.get(3)!.join('\n')).to.match(/^ {2}✓ "Bäckerei Schmidt" connected after \d+ s\.$/m)
      expect(sections.get(4)).to.include(`  ✓ Customer 10042 created for agent "${company}".`)
      expect(sections.get(5)!.join('\n')).to.match(
        /^ {2}ok +10042 +Bäckerei Schmidt +0 +23\.04\.01 +(just now|\d+ s ago)$/m,
      )
      expect(result.stdout.trimEnd().split('\n').at(-1)).to.equal(
        '✓ Linked: customer 10042 is now managed in the RMM.',
      )
      // The password is never shown.
      expect(result.stdout).not.to.include(info.apiPassword)

      const created = await customer(info, token, '10042')
      expect(created.status).to.equal(200)
      expect(created.json.customerNumber).to.equal('10042')
      expect(created.json.agentId).to.equal(company)

      // Re-running is a success that changes nothing.
      const again = await timed(linkArgs(info, company, '10042', ['--wait', '1m']), creds(info))
      expect(again.code, show(again)).to.equal(0)
      expect(again.stdout, show(again)).to.include(
        `  ✓ Already linked: agent "${company}" is customer 10042.`,
      )
      expect(again.stdout, show(again)).not.to.include('Step 3/5')
      expect(again.stdout, show(again)).not.to.include('created')
      expect(again.ms, 'an already linked customer does not wait').to.be.below(10_000)
      const mine = (await allCustomers(info, token)).filter((c) => c.agentId === company)
      expect(mine.map((c) => c.customerNumber)).to.deep.equal(['10042'])
    })

    it('every step prints ✓ or a reason (cli.md): also step 2, the registration data, when nothing is wrong', async function () {
      const {info} = sandbox
      const company = 'Schritt Zwei GmbH'
      await install(info, company)
      const result = await timed(linkArgs(info, company, '10044'), creds(info))
      expect(result.code, show(result)).to.equal(0)
      const step2 = steps(result.stdout).get(2) ?? []
      expect(step2.join('\n'), show(result)).not.to.match(/^ {2}[!✗] /m)
      expect(
        step2.some((line) => line.startsWith('  ✓ ')),
        `step 2 prints neither ✓ nor a reason\n${show(result)}`,
      ).to.equal(true)
    })

    it('--json prints exactly one JSON document: linked, customerNumber, agentId, row', async function () {
      const {info, token} = sandbox
      const company = 'Café "Zeit" / Büro'
      const link = spawnCli(linkArgs(info, company, '10043', ['--wait', '1m', '--json']), creds(info))
      // In JSON mode nothing but the document is printed, so give it time to reach the wait instead.
      await sleep(2500)
      expect(link.child.exitCode, link.stdout() + link.stderr()).to.equal(null)
      expect(link.stdout(), 'nothing on stdout before the document').to.equal('')
      await install(info, company)
      const {code} = await link.exited
      const result = {code, stdout: link.stdout(), stderr: link.stderr()}
      expect(result.code, show(result)).to.equal(0)
      expect(result.stderr, show(result)).to.equal('')
      const document = parseJson(result)
      expect(document, show(result)).to.include.all.keys('linked', 'customerNumber', 'agentId', 'row')
      expect(document.linked).to.equal(true)
      expect(document.alreadyLinked).to.equal(false)
      expect(document.customerNumber).to.equal('10043')
      expect(document.agentId).to.equal(company)
      expect(document.edition).to.equal('premium')
      expect(document.agentIdWarnings).to.deep.equal([])
      expect(document.row).to.have.all.keys(...ROW_KEYS)
      expect(document.row).to.include({
        customerNumber: '10043',
        agentId: company,
        status: 'ok',
        warningCount: 0,
      })
      expect(document.row.warnings).to.deep.equal([])
      expect(document.row.tcVersion).to.equal('23.04.01')

      expect((await customer(info, token, '10043')).json.agentId).to.equal(company)

      const again = await timed(linkArgs(info, company, '10043', ['--json']), creds(info))
      expect(again.code, show(again)).to.equal(0)
      const second = parseJson(again)
      expect(second).to.include({
        linked: true,
        alreadyLinked: true,
        customerNumber: '10043',
        agentId: company,
      })
      const mine = (await allCustomers(info, token)).filter((c) => c.agentId === company)
      expect(mine).to.have.length(1)
    })
  })

  describe('link refusals and their exit codes', function () {
    const sandbox = useSandbox()
    const foreign = useSandbox()

    const FLAGS: Array<[string, string]> = [
      ['--company', 'Bäckerei Schmidt'],
      ['--tc-version', '23.04.01'],
      ['--license', 'license.xml'],
      ['--id', '10042'],
    ]
    for (const [missing] of FLAGS) {
      it(`without a TTY, a missing ${missing} is exit 2 naming the flag, before anything else`, async function () {
        const args = ['link', ...FLAGS.filter(([flag]) => flag !== missing).flat()]
        // An unroutable server: touching the network first would hang or fail with exit 4.
        const env = {TCRMM_SERVER: 'https://192.0.2.1', TCRMM_API_USER: 'u', TCRMM_API_PASSWORD: 'p'}
        const human = await timed(args, env)
        expect(human.code, show(human)).to.equal(2)
        expect(human.stdout, show(human)).to.equal('')
        expect(human.stderr, show(human)).to.include(
          `${missing} is required when tcrmm cannot ask (no terminal, or CI is set).`,
        )
        expect(human.ms, show(human)).to.be.below(5000)

        const machine = await timed([...args, '--json'], env)
        expect(machine.code, show(machine)).to.equal(2)
        const document = parseJson(machine)
        expect(document).to.have.all.keys('error')
        expect(document.error.code).to.equal('MISSING_INPUT')
        expect(document.error.message).to.include(missing)
      })
    }

    const BLANKS: Array<[string, string]> = [
      ['--id', ''],
      ['--id', '  '],
      ['--company', ''],
      ['--company', '   '],
    ]
    for (const [flag, blank] of BLANKS) {
      it(`a blank ${flag} ${JSON.stringify(blank)} is missing input: exit 2 at once, not after the wait`, async function () {
        const {info, token} = sandbox
        const company = flag === '--company' ? blank : 'Leer Eingabe'
        const id = flag === '--id' ? blank : '20010'
        // --wait 20s bounds the run when the blank value is taken for a real one.
        const result = await timed(linkArgs(info, company, id, ['--wait', '20s']), creds(info))
        expect(result.code, show(result)).to.equal(2)
        expect(result.stderr, show(result)).to.include(flag)
        expect(result.ms, show(result)).to.be.below(10_000)
        expect((await allCustomers(info, token)).filter((c) => c.agentId === company)).to.deep.equal([])
      })
    }

    it('also without CI set, no TTY means no prompt: exit 2', async function () {
      const args = ['link', ...FLAGS.filter(([flag]) => flag !== '--id').flat()]
      const result = await timed(args, {CI: '', ...creds(sandbox.info)})
      expect(result.code, show(result)).to.equal(2)
      expect(result.stderr, show(result)).to.include('--id is required')
    })

    const VERSIONS: Array<[string, string, string]> = [
      [
        '22.12.05',
        '  ✗ timeCard 22.12.05 is too old: the RMM needs 23.04.01 or newer.',
        '    Update the installation to timeCard 23.04.01 or newer first, then run tcrmm link again.',
      ],
      [
        '23.03.99',
        '  ✗ timeCard 23.03.99 is too old: the RMM needs 23.04.01 or newer.',
        '    Update the installation to timeCard 23.04.01 or newer first, then run tcrmm link again.',
      ],
      [
        'abc',
        '  ✗ "abc" is not a timeCard version (like 23.04.01).',
        '    Look it up in timeCard (Hilfe → Info) and pass it with --tc-version.',
      ],
    ]
    for (const [version, line, fix] of VERSIONS) {
      it(`version ${version}: exit 1 at once with ✗ and the fix`, async function () {
        const {info} = sandbox
        const args = linkArgs(info, 'Versionstest', '20001', ['--wait', '10m']).map((a) =>
          a === '23.04.01' ? version : a,
        )
        const result = await timed(args, creds(info))
        expect(result.code, show(result)).to.equal(1)
        const lines = result.stdout.split('\n')
        expect(lines, show(result)).to.include(line)
        expect(lines[lines.indexOf(line) + 1], show(result)).to.equal(fix)
        expect(result.stdout, show(result)).not.to.include('Step 2/5')
        expect(result.ms, 'a failed prerequisite does not wait').to.be.below(10_000)

        const machine = await timed([...args, '--json'], creds(info))
        expect(machine.code, show(machine)).to.equal(1)
        expect(parseJson(machine).error.code).to.equal('VERSION')
      })
    }

    it('version 23.4.1 is 23.04.01 and passes', async function () {
      const {info, token} = sandbox
      await install(info, 'Version Vier Eins', [], '23.4.1')
      const args = linkArgs(info, 'Version Vier Eins', '20002', ['--wait', '5s']).map((a) =>
        a === '23.04.01' ? '23.4.1' : a,
      )
      const result = await timed(args, creds(info))
      expect(result.code, show(result)).to.equal(0)
      expect(result.stdout, show(result)).to.include('  ✓ timeCard 23.4.1 (23.04.01 or newer)')
      expect((await customer(info, token, '20002')).json.agentId).to.equal('Version Vier Eins')
    })

    it('a license from another sandbox (another CA): exit 1, license invalid, at once', async function () {
      const {info} = sandbox
      const args = linkArgs(info, 'Lizenztest', '20003', ['--wait', '10m']).map((a) =>
        a === info.licenses.premium ? foreign.info.licenses.premium : a,
      )
      const result = await timed(args, creds(info))
      expect(result.code, show(result)).to.equal(1)
      expect(result.stdout, show(result)).to.match(/^ {2}✗ The license file is not valid: .*trusted/m)
      expect(result.stdout, show(result)).to.include(
        '    Download the license file again from your Projektraum in the RMM (Dateien → Projekträume).',
      )
      expect(result.stdout, show(result)).not.to.include('Step 2/5')
      expect(result.ms).to.be.below(10_000)
      const machine = await timed([...args, '--json'], creds(info))
      expect(machine.code, show(machine)).to.equal(1)
      expect(parseJson(machine).error.code).to.equal('LICENSE')
    })

    it('a tampered license: exit 1, license invalid, at once', async function () {
      const {info} = sandbox
      const original = readFileSync(info.licenses.premium, 'utf8')
      expect(original).to.include('<MaxCustomers>')
      const tampered = join(mkdtempSync(join(tmpdir(), 'tcrmm-tampered-')), 'license_tampered.xml')
      writeFileSync(tampered, original.replace(/<MaxCustomers>\d+</, '<MaxCustomers>99999<'))
      const args = linkArgs(info, 'Lizenztest', '20004', ['--wait', '10m']).map((a) =>
        a === info.licenses.premium ? tampered : a,
      )
      const result = await timed(args, creds(info))
      expect(result.code, show(result)).to.equal(1)
      expect(result.stdout, show(result)).to.match(/^ {2}✗ The license file is not valid: /m)
      expect(result.stdout, show(result)).not.to.include('Step 2/5')
      expect(result.ms).to.be.below(10_000)
    })

    it('not logged in and no env credentials: exit 3, at once', async function () {
      const {info} = sandbox
      const args = linkArgs(info, 'Bäckerei Schmidt', '20005', ['--wait', '10m'])
      const result = await timed(args, {TCRMM_SERVER: info.url})
      expect(result.code, show(result)).to.equal(3)
      expect(result.stderr, show(result)).to.include('Not logged in (profile "default").')
      expect(result.stdout, show(result)).not.to.include('Step 2/5')
      expect(result.ms).to.be.below(10_000)
      const machine = await timed([...args, '--json'], {TCRMM_SERVER: info.url})
      expect(machine.code, show(machine)).to.equal(3)
      expect(parseJson(machine).error.code).to.equal('NOT_LOGGED_IN')
    })

    it('the wait times out (--wait 2s): exit 1, the checklist mentions Übernehmen', async function () {
      const {info, token} = sandbox
      const result = await timed(linkArgs(info, 'Niemand Zeitlimit', '20006', ['--wait', '2s']), creds(info))
      expect(result.code, show(result)).to.equal(1)
      const lines = result.stdout.split('\n')
      const failed = lines.indexOf('  ✗ "Niemand Zeitlimit" did not connect within 2 s.')
      expect(failed, show(result)).to.be.above(-1)
      const checklist = lines.slice(failed + 1).join('\n')
      expect(checklist).to.include('Übernehmen')
      expect(checklist).to.include('Allgemein → Einstellungen → Registrierungsdaten')
      expect(result.ms).to.be.at.least(2000).and.below(15_000)
      expect((await customer(info, token, '20006')).status).to.equal(404)

      const machine = await timed(
        linkArgs(info, 'Niemand Zeitlimit', '20006', ['--wait', '2s', '--json']),
        creds(info),
      )
      expect(machine.code, show(machine)).to.equal(1)
      expect(parseJson(machine).error.code).to.equal('WAIT_TIMEOUT')
    })

    it('the agent is already linked to ANOTHER customer number: exit 5, nothing created', async function () {
      const {info, token} = sandbox
      const company = 'Konflikt KG'
      await install(info, company)
      const first = await timed(linkArgs(info, company, '30001'), creds(info))
      expect(first.code, show(first)).to.equal(0)

      const result = await timed(linkArgs(info, company, '30002', ['--wait', '10m']), creds(info))
      expect(result.code, show(result)).to.equal(5)
      expect(result.stdout, show(result)).to.include(
        `  ✗ Agent "${company}" already is customer 30001, not the number you gave.`,
      )
      expect(result.ms).to.be.below(10_000)
      const machine = await timed(linkArgs(info, company, '30002', ['--json']), creds(info))
      expect(machine.code, show(machine)).to.equal(5)
      expect(parseJson(machine).error.code).to.equal('AGENT_ALREADY_ASSIGNED')
      expect((await customer(info, token, '30002')).status).to.equal(404)
      expect((await customer(info, token, '30001')).json.agentId).to.equal(company)
    })

    it('the customer number belongs to another agent: exit 5, nothing changed', async function () {
      const {info, token} = sandbox
      await install(info, 'Konflikt Nummer KG')
      const first = await timed(linkArgs(info, 'Konflikt Nummer KG', '30011'), creds(info))
      expect(first.code, show(first)).to.equal(0)
      await install(info, 'Andere Firma KG')
      const result = await timed(linkArgs(info, 'Andere Firma KG', '30011'), creds(info))
      expect(result.code, show(result)).to.equal(5)
      expect(result.stderr + result.stdout, show(result)).to.include(
        'Customer number 30011 already belongs to agent "Konflikt Nummer KG".',
      )
      expect((await customer(info, token, '30011')).json.agentId).to.equal('Konflikt Nummer KG')
    })

    for (const wait of ['nonsense', '0']) {
      it(`--wait ${wait}: exit 2`, async function () {
        const {info} = sandbox
        const result = await timed(linkArgs(info, 'Bäckerei Schmidt', '20007', ['--wait', wait]), creds(info))
        expect(result.code, show(result)).to.equal(2)
        expect(result.stdout, show(result)).to.equal('')
        expect(result.stderr, show(result)).to.include(
          `--wait expects a duration like 10m or 90s, got "${wait}".`,
        )
      })
    }
  })

  describe('link warns about agent-id traps without changing the exit', function () {
    const sandbox = useSandbox()

    before(async function () {
      this.timeout(30_000)
      await install(sandbox.info, 'Bäckerei Schmidt')
    })

    const TRAPS: Array<{name: string; company: string; id: string; warnings: string[]}> = [
      {
        name: 'a trailing space',
        company: 'Bäckerei Schmidt ',
        id: '40001',
        warnings: [
          '  ! The company name starts or ends with a space: the agent id will too, and nobody sees it.',
        ],
      },
      {
        name: 'a double space',
        company: 'Bäckerei  Schmidt',
        id: '40002',
        warnings: ['  ! The company name contains two spaces in a row.'],
      },
      {
        name: 'an NFD umlaut',
        company: 'Ba\u0308ckerei Schmidt',
        id: '40003',
        warnings: [
          '  ! The umlauts are in decomposed form (NFD, e.g. copied from a Mac): the RMM compares them byte for byte.',
        ],
      },
      {
        name: 'a Cyrillic а for a Latin a',
        company: 'B\u0430ckerei Schmidt',
        id: '40004',
        warnings: ['  ! Characters that only look like ordinary ones: "\\u{430}" (U+0430)'],
      },
      {
        name: 'a non-breaking space',
        company: 'Bäckerei\u00a0Schmidt',
        id: '40005',
        warnings: ['  ! Characters that only look like ordinary ones: "\\u{A0}" (U+00A0)'],
      },
      {
        name: 'typographic quotes',
        company: 'Café \u201eZeit\u201c',
        id: '40006',
        warnings: [
          '  ! Characters that only look like ordinary ones: "\\u{201E}" (U+201E), "\\u{201C}" (U+201C)',
        ],
      },
    ]

    for (const trap of TRAPS) {
      it(`${trap.name}: warned, still exit 0, the agent id kept byte for byte`, async function () {
        const {info, token} = sandbox
        await install(info, trap.company)
        const result = await timed(linkArgs(info, trap.company, trap.id), creds(info))
        expect(result.code, show(result)).to.equal(0)
        const lines = result.stdout.split('\n')
        expect(lines, show(result)).to.include.members([...trap.warnings, TRAP_FIX])
        const created = await customer(info, token, trap.id)
        expect(created.status).to.equal(200)
        expect(created.json.agentId).to.equal(trap.company)
      })
    }

    it('the warnings are in --json too (agentIdWarnings)', async function () {
      const {info} = sandbox
      const result = await timed(linkArgs(info, 'Ba\u0308ckerei Schmidt', '40003', ['--json']), creds(info))
      expect(result.code, show(result)).to.equal(0)
      const codes = parseJson(result).agentIdWarnings.map((w: Json) => w.code)
      expect(codes).to.include('NOT_NFC')
    })

    it('a near-identical existing agent: the warning names it, then the wait times out (exit 1)', async function () {
      const {info, token} = sandbox
      const result = await timed(linkArgs(info, 'Backerei Schmidt', '40010', ['--wait', '2s']), creds(info))
      expect(result.code, show(result)).to.equal(1)
      const lines = result.stdout.split('\n')
      // The other trap agents of this sandbox may be named too; the registered "Bäckerei Schmidt" must be.
      const near = lines.find((line) =>
        line.startsWith('  ! An agent with a near-identical id already exists: '),
      )
      expect(near, show(result)).to.be.a('string')
      expect(near!.slice(near!.indexOf(': ') + 2).split(', '), show(result)).to.include('"Bäckerei Schmidt"')
      expect(lines, show(result)).to.include.members([
        TRAP_FIX,
        '  ✗ "Backerei Schmidt" did not connect within 2 s.',
      ])
      expect((await customer(info, token, '40010')).status).to.equal(404)
    })
  })

  describe('link and Ctrl-C', function () {
    const sandbox = useSandbox()

    for (const json of [false, true]) {
      it(`SIGINT while waiting${json ? ' (--json)' : ''}: exit 130 within 5 s, no customer`, async function () {
        const {info, token} = sandbox
        const company = json ? 'Niemand Abbruch JSON' : 'Niemand Abbruch'
        const id = json ? '60002' : '60001'
        const link = spawnCli(linkArgs(info, company, id, json ? ['--json'] : []), creds(info))
        const started = Date.now()
        if (!json) {
          const context = () => link.stdout() + link.stderr()
          await until('the wait in step 3', () => link.stdout().includes('Waiting for'), 15_000, context)
        }
        await sleep(Math.max(0, 2000 - (Date.now() - started)))
        expect(link.child.exitCode, link.stdout() + link.stderr()).to.equal(null)
        const signalled = Date.now()
        link.child.kill('SIGINT')
        const exit = await within(link.exited, 10_000)
        const result = {code: exit?.code ?? null, stdout: link.stdout(), stderr: link.stderr()}
        expect(exit, `still running 10 s after SIGINT\n${show(result)}`).not.to.equal(undefined)
        expect(result.code, show(result)).to.equal(130)
        expect(exit!.at - signalled, show(result)).to.be.below(5000)
        if (json) expect(parseJson(result).error.code).to.equal('INTERRUPTED')
        expect((await customer(info, token, id)).status).to.equal(404)
        const mine = (await allCustomers(info, token)).filter((c) => c.agentId === company)
        expect(mine).to.deep.equal([])
      })
    }
  })

  describe('dashboard', function () {
    const seeded = useSandbox(['--seed', '200'])
    const standard = useSandbox(['--seed', '50', '--edition', 'standard'])
    const calm = useSandbox()

    function checkReport(report: Json, edition: 'premium' | 'standard'): void {
      expect(report).to.have.all.keys('summary', 'customers')
      expect(report.summary).to.have.all.keys('customers', 'ok', 'warning', 'critical', 'offline')
      expect(report.customers).to.be.an('array').with.length(report.summary.customers)
      const counted: Record<(typeof STATUSES)[number], number> = {ok: 0, warning: 0, critical: 0, offline: 0}
      let previous = -1
      for (const row of report.customers) {
        expect(row, JSON.stringify(row)).to.have.all.keys(...ROW_KEYS)
        expect(STATUSES, JSON.stringify(row)).to.include(row.status)
        counted[row.status as (typeof STATUSES)[number]]++
        expect(SEVERITY_RANK[row.status], 'worst first').to.be.at.least(previous)
        previous = SEVERITY_RANK[row.status] as number
        expect(row.customerNumber).to.be.a('string')
        expect(row.agentId).to.be.a('string').and.not.equal('')
        expect(row.tcVersion).to.be.a('string')
        expect(Number.isNaN(Date.parse(row.lastContactAt)), row.lastContactAt).to.equal(false)
        expect(row.warningCount).to.be.a('number')
        if (row.status === 'ok') expect(row.warningCount, JSON.stringify(row)).to.equal(0)
        else expect(row.warningCount, JSON.stringify(row)).to.be.above(0)
        if (edition === 'standard') {
          expect(row.warnings, JSON.stringify(row)).to.equal(null)
          continue
        }
        expect(row.warnings, JSON.stringify(row)).to.be.an('array').with.length(row.warningCount)
        for (const warning of row.warnings) {
          expect(warning).to.have.all.keys(...WARNING_KEYS)
          expect(warning.code).to.match(/^[A-Z][A-Z0-9_]*$/)
          expect(['warning', 'critical']).to.include(warning.severity)
          expect(warning.message).to.be.a('string').and.not.equal('')
          expect(Number.isNaN(Date.parse(warning.since)), warning.since).to.equal(false)
        }
        const critical = row.warnings.some((w: Json) => w.severity === 'critical')
        if (row.status === 'critical') expect(critical, JSON.stringify(row)).to.equal(true)
        if (row.status === 'warning') expect(critical, JSON.stringify(row)).to.equal(false)
        if (row.status === 'offline') expect(row.warnings[0].code).to.equal('AGENT_OFFLINE')
      }
      expect(counted).to.deep.equal({
        ok: report.summary.ok,
        warning: report.summary.warning,
        critical: report.summary.critical,
        offline: report.summary.offline,
      })
      expect(counted.ok + counted.warning + counted.critical + counted.offline).to.equal(
        report.summary.customers,
      )
    }

    function summaryLine(summary: Json): string {
      const customers = `${summary.customers} ${summary.customers === 1 ? 'customer' : 'customers'}:`
      return `${customers}  ${summary.ok} ok  ${summary.warning} warning  ${summary.critical} critical  ${summary.offline} offline`
    }

    async function dashboardJson(info: SandboxInfo, extra: string[] = []) {
      const result = await timed(['dashboard', '--json', ...extra], creds(info))
      return {...result, json: parseJson(result)}
    }

    it('--json (premium, --seed 200): the exact shape, counts equal the summary, worst first, warning details', async function () {
      const result = await dashboardJson(seeded.info)
      expect(result.code, show(result)).to.equal(0)
      expect(result.stderr).to.equal('')
      checkReport(result.json, 'premium')
      expect(result.json.summary.customers).to.equal(200)
      // The seed's mix (rmm-api.md): every status is there.
      for (const status of STATUSES) expect(result.json.summary[status], status).to.be.above(0)
      expect(result.json.customers.some((r: Json) => r.warnings.length > 0)).to.equal(true)
    })

    it('--json (standard edition): warnings null, warningCount set', async function () {
      const result = await dashboardJson(standard.info)
      expect(result.code, show(result)).to.equal(0)
      checkReport(result.json, 'standard')
      expect(result.json.summary.customers).to.equal(50)
      expect(result.json.customers.some((r: Json) => r.warningCount > 0)).to.equal(true)
    })

    it('human output: the summary line first, then one line per customer in the same order', async function () {
      const {info} = seeded
      const {json} = await dashboardJson(info)
      const result = await timed(['dashboard'], creds(info))
      expect(result.code, show(result)).to.equal(0)
      expect(result.stderr).to.equal('')
      const lines = result.stdout.replace(/\n$/, '').split('\n')
      expect(lines[0]).to.match(SUMMARY_LINE)
      expect(lines[0]).to.equal(summaryLine(json.summary))
      expect(lines[1]).to.equal('')
      expect(lines[2]).to.match(/^Status +Number +Customer +Warnings +Version +Last contact$/)
      const rows = lines.slice(3).filter((line) => ROW_LINE.test(line))
      const details = lines.slice(3).filter((line) => !ROW_LINE.test(line))
      expect(rows.map((line) => ROW_LINE.exec(line)![2])).to.deep.equal(
        json.customers.map((r: Json) => r.customerNumber),
      )
      expect(rows.map((line) => ROW_LINE.exec(line)![1])).to.deep.equal(
        json.customers.map((r: Json) => r.status),
      )
      // Premium: each warning on its own line below its customer.
      for (const line of details) expect(line).to.match(/^ {4}[✗!] [A-Z][A-Z0-9_]* {2}.+ {2}since .+$/)
      const warningTotal = json.customers.reduce((sum: number, r: Json) => sum + r.warningCount, 0)
      expect(details).to.have.length(warningTotal)

      const plain = await timed(['dashboard'], creds(standard.info))
      expect(plain.code, show(plain)).to.equal(0)
      const plainLines = plain.stdout.replace(/\n$/, '').split('\n')
      expect(plainLines[0]).to.match(SUMMARY_LINE)
      expect(plainLines.slice(3).every((line) => ROW_LINE.test(line))).to.equal(true)
      expect(plainLines.slice(3)).to.have.length(50)
    })

    it('--warnings-only leaves out ok rows; the summary still counts all', async function () {
      const {info} = seeded
      const full = await dashboardJson(info)
      const result = await timed(['dashboard', '--warnings-only'], creds(info))
      expect(result.code, show(result)).to.equal(0)
      const lines = result.stdout.replace(/\n$/, '').split('\n')
      expect(lines[0]).to.equal(summaryLine(full.json.summary))
      const rows = lines.filter((line) => ROW_LINE.test(line))
      expect(rows).to.have.length(200 - full.json.summary.ok)
      expect(rows.some((line) => line.startsWith('ok '))).to.equal(false)

      const machine = await dashboardJson(info, ['--warnings-only'])
      expect(machine.code, show(machine)).to.equal(0)
      expect(machine.json.summary).to.deep.equal(full.json.summary)
      expect(machine.json.customers).to.have.length(200 - full.json.summary.ok)
      expect(machine.json.customers.some((r: Json) => r.status === 'ok')).to.equal(false)
    })

    it('--fail-on critical|warning: exit 1 when reached (output still printed), 0 when not', async function () {
      const {info: busy} = seeded
      for (const threshold of ['critical', 'warning']) {
        const human = await timed(['dashboard', '--fail-on', threshold], creds(busy))
        expect(human.code, show(human)).to.equal(1)
        expect(human.stdout.split('\n')[0]).to.match(SUMMARY_LINE)
        const machine = await dashboardJson(busy, ['--fail-on', threshold])
        expect(machine.code, show(machine)).to.equal(1)
        checkReport(machine.json, 'premium')
        expect(machine.json.summary.customers).to.equal(200)
      }

      // A sandbox where all are ok, then one warning, then one critical customer.
      const {info, token} = calm
      await install(info, 'Ruhig GmbH')
      await addCustomer(info, token, '90001', 'Ruhig GmbH')
      const expectExits = async (critical: number, warning: number) => {
        for (const [threshold, code] of [
          ['critical', critical],
          ['warning', warning],
        ] as const) {
          const result = await timed(['dashboard', '--fail-on', threshold], creds(info))
          expect(result.code, `--fail-on ${threshold}\n${show(result)}`).to.equal(code)
          const machine = await dashboardJson(info, ['--fail-on', threshold])
          expect(machine.code, `--json --fail-on ${threshold}\n${show(machine)}`).to.equal(code)
        }
      }
      await expectExits(0, 0)
      await install(info, 'Warnung GmbH', ['--warning', 'DISK_SPACE_LOW'])
      await addCustomer(info, token, '90002', 'Warnung GmbH')
      await expectExits(0, 1)
      await install(info, 'Kritisch GmbH', ['--warning', 'BACKUP_FAILED:critical'])
      await addCustomer(info, token, '90003', 'Kritisch GmbH')
      await expectExits(1, 1)
      const {json} = await dashboardJson(info)
      expect(json.customers.map((r: Json) => [r.customerNumber, r.status])).to.deep.equal([
        ['90003', 'critical'],
        ['90002', 'warning'],
        ['90001', 'ok'],
      ])
    })

    it('--watch 1 without a TTY prints the dashboard repeatedly; SIGINT ends it with exit 0 within 5 s', async function () {
      const {info} = seeded
      const watch = spawnCli(['dashboard', '--watch', '1'], creds(info))
      const started = Date.now()
      const summaries = () =>
        watch
          .stdout()
          .split('\n')
          .filter((line) => SUMMARY_LINE.test(line)).length
      const context = () => watch.stdout() + watch.stderr()
      await until('the first dashboard', () => summaries() >= 1, 10_000, context)
      const first = Date.now()
      await until('the second dashboard', () => summaries() >= 2, 10_000, context)
      // About a second apart; within ~3 s of the start (with slack for node's start-up on a busy machine).
      expect(Date.now() - first, 'the second dashboard about 1 s after the first').to.be.below(2500)
      expect(Date.now() - started, 'two dashboards within ~3 s').to.be.below(5000)
      expect(watch.stdout()).to.include('Refreshing every 1 s')
      const signalled = Date.now()
      watch.child.kill('SIGINT')
      const exit = await within(watch.exited, 10_000)
      expect(exit, 'ended after SIGINT').not.to.equal(undefined)
      expect(exit!.code, watch.stderr()).to.equal(0)
      expect(exit!.at - signalled).to.be.below(5000)
      expect(watch.stderr()).to.equal('')
    })

    for (const args of [['--watch'], ['--watch', '--warnings-only']]) {
      it(`dashboard ${args.join(' ')}: the default interval, SIGINT → exit 0`, async function () {
        const {info} = seeded
        const watch = spawnCli(['dashboard', ...args], creds(info))
        await until(
          'the first dashboard',
          () => watch.stdout().includes('Refreshing every 10 s'),
          10_000,
          () => watch.stdout() + watch.stderr(),
        )
        expect(watch.stdout().split('\n')[0]).to.match(SUMMARY_LINE)
        if (args.includes('--warnings-only'))
          expect(
            watch
              .stdout()
              .split('\n')
              .some((line) => line.startsWith('ok ')),
          ).to.equal(false)
        watch.child.kill('SIGINT')
        const exit = await within(watch.exited, 5000)
        expect(exit, 'ended within 5 s of SIGINT').not.to.equal(undefined)
        expect(exit!.code, watch.stderr()).to.equal(0)
      })
    }

    it('--watch 0: exit 2', async function () {
      const result = await timed(['dashboard', '--watch', '0'], creds(calm.info))
      expect(result.code, show(result)).to.equal(2)
      expect(result.stdout).to.equal('')
      expect(result.stderr).to.include('--watch expects a number of seconds (1 or more), got "0".')
    })
  })

  describe('the link wizard through a real terminal (tmux)', function () {
    const sandbox = useSandbox()

    for (const [language, catalog, company, number] of [
      ['en', en, 'Tischlerei Wizard', '70001'],
      ['de', de, 'Bäckerei Assistent', '70002'],
    ] as const) {
      it(`asks every question, then links (${language === 'en' ? 'English' : 'German'}, logged in, no env credentials)`, async function () {
        const l = catalog.link
        if (spawnSync('tmux', ['-V']).error) {
          if (process.env.TCRMM_REQUIRE_TMUX)
            throw new Error('tmux is not on PATH but TCRMM_REQUIRE_TMUX is set')
          this.skip()
        }
        const {info, token} = sandbox
        const home = mkdtempSync(join(tmpdir(), 'tcrmm-wizard-'))
        const xdg = join(home, '.config')
        const login = await runCli(
          ['login', '--server', info.url, '--credentials-file', info.credentialsFile],
          {
            env: {HOME: home, XDG_CONFIG_HOME: xdg},
          },
        )
        expect(login.code, show(login)).to.equal(0)
        await install(info, company)

        const socket = `tcrmm-e2e-${process.pid}-${Date.now()}`
        const session = 'link'
        const exitFile = join(home, 'exit.txt')
        const q = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`
        const command =
          `env -i PATH=${q(process.env.PATH ?? '')} TERM="$TERM" LANG=C.UTF-8 HOME=${q(home)} ` +
          `XDG_CONFIG_HOME=${q(xdg)} TCRMM_LANG=${language} ${q(process.execPath)} ${q(BIN)} link; ` +
          `echo EXIT=$? > ${q(exitFile)}; sleep 5`
        // CI must not reach the wizard: with it set, tcrmm never prompts.
        const parentEnv: NodeJS.ProcessEnv = {...process.env}
        delete parentEnv.CI
        const tmux = (...args: string[]) => {
          const result = spawnSync('tmux', ['-u', '-L', socket, ...args], {
            encoding: 'utf8',
            env: {...parentEnv, LANG: 'C.UTF-8'},
          })
          if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
          return result.stdout
        }
        const screen = () => tmux('capture-pane', '-p', '-t', session)
        const waitForScreen = async (text: string) => {
          const deadline = Date.now() + 15_000
          let last = ''
          for (;;) {
            try {
              last = screen()
            } catch (error) {
              last = String(error)
            }
            if (last.includes(text)) return last
            if (Date.now() > deadline)
              throw new Error(`"${text}" did not appear within 15 s; screen:\n${last}`)
            await sleep(200)
          }
        }
        const answer = async (prompt: string, text: string) => {
          await waitForScreen(prompt)
          tmux('send-keys', '-t', session, '-l', text)
          tmux('send-keys', '-t', session, 'Enter')
        }

        try {
          tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', '-c', REPO_ROOT, command)
          await answer(l.promptCompany, company)
          await answer(l.promptTcVersion, '23.04.01')
          await answer(l.promptLicense, info.licenses.premium)
          await answer(l.promptId, number)
          await answer(l.promptCreate(number, company), 'y')
          const final = await waitForScreen(l.done(number))
          expect(final).to.include(`✓ ${l.created(number, company)}`)
          expect(final).to.include(l.step(1, l.titles.prerequisites))
          expect(final).to.include(
            `${l.fieldApiPassword.padEnd(13)} ${l.passwordWhere(info.credentialsFile)}`,
          )
          expect(final).not.to.include(info.apiPassword)
          await until(
            'the exit file',
            () => existsSync(exitFile),
            15_000,
            () => final,
          )
          await until(
            'the exit code',
            () => readFileSync(exitFile, 'utf8').includes('\n'),
            5000,
            () => final,
          )
          expect(readFileSync(exitFile, 'utf8').trim(), final).to.equal('EXIT=0')
        } finally {
          try {
            tmux('kill-server')
          } catch {
            // already gone: the session ended by itself
          }
        }
        const created = await customer(info, token, number)
        expect(created.status).to.equal(200)
        expect(created.json.agentId).to.equal(company)
      })
    }
  })
})
