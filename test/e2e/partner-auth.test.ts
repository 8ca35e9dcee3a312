/**
 * `tcrmm login`, `logout` and `whoami` end to end: the built binary as separate processes against a real
 * `tcrmm sandbox start` on 127.0.0.1, each test with its own temporary HOME (XDG config under HOME/.config).
 * Covers credentials files in every encoding the project room and Windows editors produce, --password-stdin,
 * the per-profile cache (files, modes, no password anywhere on disk), failed logins that keep the previous
 * session, environment credentials that write nothing, offline `license verify` from the cached trust roots,
 * concurrent logins, expiry and server-side revocation, logout, the server address rules, --json errors and
 * a --debug trace without secrets.
 */
import {expect} from 'chai'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {type CliResult, runCli} from '../support/cli.js'
import {type SandboxInfo, type SandboxProcess, startSandboxProcess} from '../support/sandbox.js'

// ---------------------------------------------------------------------------------------------- helpers

interface WhoamiJson {
  profile: string
  server: string
  apiUser: string
  company: string
  partnerId: string
  edition: string
  tokenExpiresAt: string | null
  source: 'profile' | 'environment'
}

interface ErrorJson {
  error: {code: string; message: string}
}

const temporaryDirs: string[] = []
const sandboxes = new Set<SandboxProcess>()
/** Every password a test hands to tcrmm: none of them may ever appear in any output of any run. */
const secrets = new Set<string>()
const WRONG_PASSWORD = 'Falsches-Passwort-4711'
secrets.add(WRONG_PASSWORD)

function tempDir(prefix = 'tcrmm-auth-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temporaryDirs.push(dir)
  return dir
}

/** One HOME for the calls of a test, so login state carries from one call to the next. */
interface Home {
  home: string
  env: NodeJS.ProcessEnv
  configDir: string
  profileDir(profile?: string): string
  file(name: 'profile.json' | 'token.json' | 'license-trust.json', profile?: string): string
}

function newHome(extraEnv: NodeJS.ProcessEnv = {}): Home {
  const home = tempDir('tcrmm-auth-home-')
  const configDir = join(home, '.config', 'tcrmm')
  const profileDir = (profile = 'default') => join(configDir, 'profiles', profile)
  return {
    home,
    env: {HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...extraEnv},
    configDir,
    profileDir,
    file: (name, profile) => join(profileDir(profile), name),
  }
}

/** runCli, plus the check that no password ever shows up on stdout or stderr. */
async function tcrmm(
  args: string[],
  options: {env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number} = {},
): Promise<CliResult> {
  const result = await runCli(args, {timeoutMs: 45_000, ...options})
  for (const secret of secrets) {
    expect(result.stdout, `password on stdout of tcrmm ${args.join(' ')}`).not.to.include(secret)
    expect(result.stderr, `password on stderr of tcrmm ${args.join(' ')}`).not.to.include(secret)
  }
  return result
}

function describeRun(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`
}

function expectExit(result: CliResult, code: number): void {
  expect(result.code, describeRun(result)).to.equal(code)
}

function parseJson<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not one JSON document\n${describeRun(result)}`)
  }
}

/** `{"error":{"code","message"}}` and nothing else, with the expected code when given. */
function expectJsonError(result: CliResult, exitCode: number, code?: string): ErrorJson {
  expectExit(result, exitCode)
  const json = parseJson<ErrorJson>(result)
  expect(Object.keys(json), describeRun(result)).to.deep.equal(['error'])
  expect(Object.keys(json.error).sort(), describeRun(result)).to.deep.equal(['code', 'message'])
  expect(json.error.code).to.be.a('string').and.not.equal('')
  expect(json.error.message).to.be.a('string').and.not.equal('')
  if (code !== undefined) expect(json.error.code, describeRun(result)).to.equal(code)
  return json
}

async function startSandbox(args: string[] = []): Promise<SandboxProcess> {
  const sandbox = await startSandboxProcess(args)
  sandboxes.add(sandbox)
  secrets.add(sandbox.info.apiPassword)
  return sandbox
}

async function stopSandbox(sandbox: SandboxProcess): Promise<void> {
  await sandbox.stop()
  sandboxes.delete(sandbox)
}

async function login(info: SandboxInfo, home: Home, extraArgs: string[] = []): Promise<CliResult> {
  const result = await tcrmm(
    ['login', '--server', info.url, '--credentials-file', info.credentialsFile, ...extraArgs],
    {
      env: home.env,
    },
  )
  expectExit(result, 0)
  return result
}

async function whoami(home: Home, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<WhoamiJson> {
  const result = await tcrmm(['whoami', '--json', ...args], {env: {...home.env, ...env}})
  expectExit(result, 0)
  return parseJson<WhoamiJson>(result)
}

function readToken(home: Home, profile?: string): {token: string; expiresAt: string} {
  return JSON.parse(readFileSync(home.file('token.json', profile), 'utf8')) as {
    token: string
    expiresAt: string
  }
}

/** Every regular file below `dir`, recursively. */
function walkFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const files: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...walkFiles(path))
    else if (entry.isFile()) files.push(path)
  }
  return files
}

/** Every entry (files and directories) below `dir`, recursively. */
function walkAll(dir: string): string[] {
  if (!existsSync(dir)) return []
  const entries: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    entries.push(path)
    if (entry.isDirectory()) entries.push(...walkAll(path))
  }
  return entries
}

/** No file below `dir` contains the password's bytes (also not as UTF-16 or base64). */
function expectNoFileContains(dir: string, password: string): void {
  const needles = [
    Buffer.from(password, 'utf8'),
    Buffer.from(password, 'utf16le'),
    Buffer.from(Buffer.from(password, 'utf8').toString('base64').replace(/=+$/, ''), 'utf8'),
  ]
  for (const file of walkFiles(dir)) {
    const bytes = readFileSync(file)
    for (const needle of needles) expect(bytes.includes(needle), `the password is in ${file}`).to.equal(false)
  }
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8)
}

/** Plain HTTP to the sandbox, outside tcrmm. */
async function api(
  url: string,
  method: string,
  path: string,
  token?: string,
): Promise<{status: number; text: string}> {
  const response = await fetch(url + path, {
    method,
    headers: token === undefined ? {} : {authorization: `Bearer ${token}`},
  })
  return {status: response.status, text: await response.text()}
}

function writeCredentials(name: string, content: string | Buffer): string {
  const file = join(tempDir('tcrmm-auth-cred-'), name)
  writeFileSync(file, content)
  return file
}

after(async () => {
  for (const sandbox of sandboxes) await sandbox.stop('SIGKILL')
  for (const dir of temporaryDirs) rmSync(dir, {recursive: true, force: true})
})

// ---------------------------------------------------------------------------------------------- tests

describe('e2e: partner authentication (login, logout, whoami)', () => {
  let sandbox: SandboxProcess
  let info: SandboxInfo

  before(async function () {
    this.timeout(60_000)
    sandbox = await startSandbox(['--edition', 'premium'])
    info = sandbox.info
  })

  describe('login with the sandbox credentials file and whoami', () => {
    it('logs in (exit 0) and whoami --json shows exactly the sandbox partner, server, user and expiry', async function () {
      this.timeout(60_000)
      const home = newHome()
      const before = Date.now()
      const result = await login(info, home)
      expect(result.stdout).to.include(`Logged in as ${info.apiUser} at ${info.url}`)
      expect(result.stdout).to.include(info.company)
      expect(result.stdout).to.include(info.partnerId)

      const token = readToken(home)
      const who = await whoami(home)
      expect(who).to.deep.equal({
        profile: 'default',
        server: info.url,
        apiUser: info.apiUser,
        company: info.company,
        partnerId: info.partnerId,
        edition: 'premium',
        tokenExpiresAt: token.expiresAt,
        source: 'profile',
      })
      // The sandbox's default token lifetime is 1 h.
      const expires = Date.parse(who.tokenExpiresAt as string)
      expect(expires).to.be.within(before + 55 * 60_000, Date.now() + 65 * 60_000)

      // The human form carries the same facts.
      const human = await tcrmm(['whoami'], {env: home.env})
      expectExit(human, 0)
      for (const text of [info.apiUser, info.url, info.company, info.partnerId, 'premium', 'default']) {
        expect(human.stdout).to.include(text)
      }
      expect(human.stdout).not.to.include(token.token)
    })

    it('login --json prints one JSON document with the session facts and no secret', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(
        ['login', '--json', '--server', info.url, '--credentials-file', info.credentialsFile],
        {env: home.env},
      )
      expectExit(result, 0)
      const json = parseJson<Record<string, unknown>>(result)
      const token = readToken(home)
      expect(json).to.include({
        profile: 'default',
        server: info.url,
        apiUser: info.apiUser,
        tokenExpiresAt: token.expiresAt,
        tokenStorage: 'file',
        tokenFile: home.file('token.json'),
        trustRoots: 1,
        revokedLicenses: 0,
      })
      expect(json.partner).to.deep.equal({
        company: info.company,
        partnerId: info.partnerId,
        edition: 'premium',
      })
      expect(result.stdout).not.to.include(token.token)
      expect(result.stderr).not.to.include(token.token)
    })

    it('--profile work keeps a separate profile; TCRMM_PROFILE selects one; --profile beats TCRMM_PROFILE', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home, ['--profile', 'work'])
      expect(existsSync(home.file('profile.json', 'work'))).to.equal(true)
      expect(existsSync(home.file('token.json', 'work'))).to.equal(true)
      expect(existsSync(home.file('profile.json'))).to.equal(false)

      // The default profile is still not logged in.
      const plain = await tcrmm(['whoami'], {env: home.env})
      expectExit(plain, 3)
      expect(plain.stderr).to.include('Not logged in (profile "default")')

      expect((await whoami(home, ['--profile', 'work'])).profile).to.equal('work')
      expect((await whoami(home, [], {TCRMM_PROFILE: 'work'})).profile).to.equal('work')

      // Logging in through TCRMM_PROFILE writes that profile only.
      const viaEnv = await tcrmm(
        ['login', '--server', info.url, '--credentials-file', info.credentialsFile],
        {
          env: {...home.env, TCRMM_PROFILE: 'ci'},
        },
      )
      expectExit(viaEnv, 0)
      expect(existsSync(home.file('profile.json', 'ci'))).to.equal(true)
      expect(existsSync(home.file('profile.json'))).to.equal(false)
      const ci = await whoami(home, [], {TCRMM_PROFILE: 'ci'})
      expect(ci).to.include({profile: 'ci', server: info.url, apiUser: info.apiUser, source: 'profile'})
      expect((await whoami(home, ['--profile', 'work'], {TCRMM_PROFILE: 'ci'})).profile).to.equal('work')

      // Two profiles, two tokens.
      expect(readToken(home, 'ci').token).not.to.equal(readToken(home, 'work').token)
    })

    it('a profile name that is a path is a usage error (exit 2)', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(
        ['login', '--profile', '../evil', '--server', info.url, '--credentials-file', info.credentialsFile],
        {env: home.env},
      )
      expectExit(result, 2)
      expect(existsSync(join(home.configDir, 'evil'))).to.equal(false)
    })

    it('whoami when never logged in: exit 3 advising tcrmm login; --json gives NOT_LOGGED_IN', async function () {
      this.timeout(60_000)
      const home = newHome()
      const human = await tcrmm(['whoami'], {env: home.env})
      expectExit(human, 3)
      expect(human.stderr).to.include('tcrmm login')
      expect(human.stdout).to.equal('')
      expectJsonError(await tcrmm(['whoami', '--json'], {env: home.env}), 3, 'NOT_LOGGED_IN')
    })

    it('without a keyring the token goes to token.json with a one-time notice; TCRMM_NO_KEYRING=1 forces the file', async function () {
      this.timeout(60_000)
      const home = newHome()
      const first = await login(info, home)
      expect(first.stderr).to.include('no OS keyring')
      expect(first.stderr).to.include(home.file('token.json'))
      const second = await login(info, home)
      expect(second.stderr).not.to.include('no OS keyring')
      const profile = JSON.parse(readFileSync(home.file('profile.json'), 'utf8')) as {tokenStorage: string}
      expect(profile.tokenStorage).to.equal('file')

      const forced = newHome({TCRMM_NO_KEYRING: '1'})
      const result = await login(info, forced)
      expect(result.stderr).to.include('no OS keyring')
      expect(readToken(forced).token).to.be.a('string').and.not.equal('')
      expect(
        (JSON.parse(readFileSync(forced.file('profile.json'), 'utf8')) as {tokenStorage: string})
          .tokenStorage,
      ).to.equal('file')
    })
  })

  describe('credentials file variants', () => {
    const variants: Array<{name: string; bytes: () => Buffer}> = [
      {
        name: 'UTF-8, German labels, LF',
        bytes: () =>
          Buffer.from(
            `Zugangsdaten für das timeCard RMM\n\nFirma: Müller & Söhne\nAPI-Benutzer: ${info.apiUser}\nAPI-Passwort: ${info.apiPassword}\n\nMit freundlichen Grüßen\n`,
            'utf8',
          ),
      },
      {
        name: 'UTF-8 with BOM',
        bytes: () =>
          Buffer.concat([
            Buffer.from([0xef, 0xbb, 0xbf]),
            Buffer.from(`API-Benutzer: ${info.apiUser}\nAPI-Passwort: ${info.apiPassword}\n`, 'utf8'),
          ]),
      },
      {
        name: 'UTF-8 with BOM, the label on the very first line',
        bytes: () =>
          Buffer.concat([
            Buffer.from([0xef, 0xbb, 0xbf]),
            Buffer.from(`API-Benutzer: ${info.apiUser}\r\nAPI-Passwort: ${info.apiPassword}`, 'utf8'),
          ]),
      },
      {
        name: 'Windows-1252 (ü as 0xFC in the company line)',
        bytes: () => {
          const bytes = Buffer.from(
            `Firma: Müller & Söhne GmbH\r\nAPI-Benutzer: ${info.apiUser}\r\nAPI-Passwort: ${info.apiPassword}\r\n`,
            'latin1',
          )
          expect(bytes.includes(0xfc)).to.equal(true)
          expect(() => new TextDecoder('utf-8', {fatal: true}).decode(bytes)).to.throw()
          return bytes
        },
      },
      {
        name: 'CRLF line ends',
        bytes: () =>
          Buffer.from(
            `Sehr geehrte Damen und Herren,\r\n\r\nAPI-Benutzer: ${info.apiUser}\r\nAPI-Passwort: ${info.apiPassword}\r\n`,
            'utf8',
          ),
      },
      {
        name: 'English labels',
        bytes: () =>
          Buffer.from(
            `Credentials for the timeCard RMM\r\nCompany: Miller Ltd\r\nAPI user: ${info.apiUser}\r\nAPI password: ${info.apiPassword}\r\n`,
            'utf8',
          ),
      },
    ]

    for (const variant of variants) {
      it(`${variant.name}: exit 0, the right user, the password in no output and no file`, async function () {
        this.timeout(60_000)
        const file = writeCredentials('Zugangsdaten für Müller & Söhne.txt', variant.bytes())
        const home = newHome()
        const result = await tcrmm(['login', '--server', info.url, '--credentials-file', file], {
          env: home.env,
        })
        expectExit(result, 0)
        const who = await whoami(home)
        expect(who).to.include({apiUser: info.apiUser, partnerId: info.partnerId, server: info.url})
        expectNoFileContains(home.home, info.apiPassword)
      })
    }

    const broken: Array<{name: string; content: () => string; line: number | undefined; text: string}> = [
      {
        name: 'a password label followed by "=" instead of a colon',
        content: () => `Firma: X\nAPI-Benutzer: ${info.apiUser}\nAPI-Passwort = ${info.apiPassword}\n`,
        line: 3,
        text: 'not followed by a colon',
      },
      {
        name: 'a user label without colon, the value on the next line',
        content: () =>
          `Hallo,\r\n\r\nAPI-Benutzer\r\n${info.apiUser}\r\nAPI-Passwort: ${info.apiPassword}\r\n`,
        line: 3,
        text: 'not followed by a colon',
      },
      {
        name: 'an empty password',
        content: () => `API-Benutzer: ${info.apiUser}\nAPI-Passwort:   \n`,
        line: 2,
        text: 'has no value',
      },
      {
        name: 'no password line at all',
        content: () => `Firma: X\nAPI-Benutzer: ${info.apiUser}\n`,
        line: undefined,
        text: 'no API password',
      },
      {
        name: 'two different passwords',
        content: () =>
          `API-Benutzer: ${info.apiUser}\nAPI-Passwort: ${info.apiPassword}\nAPI password: ${WRONG_PASSWORD}\n`,
        line: 3,
        text: 'differs from the value already given on line 2',
      },
    ]

    for (const variant of broken) {
      it(`broken file, ${variant.name}: exit 2 naming the file${variant.line ? ' and the line' : ''}, no password shown, nothing stored`, async function () {
        this.timeout(60_000)
        const file = writeCredentials('Zugangsdaten kaputt.txt', variant.content())
        const home = newHome()
        const result = await tcrmm(['login', '--server', info.url, '--credentials-file', file], {
          env: home.env,
        })
        expectExit(result, 2)
        expect(result.stderr).to.include(file)
        expect(result.stderr).to.include(variant.text)
        if (variant.line !== undefined) expect(result.stderr).to.include(`line ${variant.line}`)
        expect(walkFiles(home.home)).to.deep.equal([])

        const json = expectJsonError(
          await tcrmm(['login', '--json', '--server', info.url, '--credentials-file', file], {env: home.env}),
          2,
          'CREDENTIALS_FILE_INVALID',
        )
        expect(json.error.message).to.include(file)
        if (variant.line !== undefined) expect(json.error.message).to.include(`line ${variant.line}`)
      })
    }

    it('a credentials file that does not exist: exit 2 naming it', async function () {
      this.timeout(60_000)
      const file = join(tempDir(), 'Zugangsdaten fehlt.txt')
      const result = await tcrmm(['login', '--server', info.url, '--credentials-file', file])
      expectExit(result, 2)
      expect(result.stderr).to.include(file)
    })
  })

  describe('--user with --password-stdin, and no credentials', () => {
    it('--user U --password-stdin with the password on stdin: exit 0', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(
        ['login', '--server', info.url, '--user', info.apiUser, '--password-stdin'],
        {
          env: home.env,
          input: `${info.apiPassword}\n`,
        },
      )
      expectExit(result, 0)
      expect(await whoami(home)).to.include({apiUser: info.apiUser, server: info.url, source: 'profile'})
      expectNoFileContains(home.home, info.apiPassword)
    })

    it('--password-stdin without --user: exit 2 naming --user, nothing stored', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(['login', '--server', info.url, '--password-stdin'], {
        env: home.env,
        input: `${info.apiPassword}\n`,
      })
      expectExit(result, 2)
      expect(result.stderr).to.include('--user')
      expect(walkFiles(home.home)).to.deep.equal([])
      expectJsonError(
        await tcrmm(['login', '--json', '--server', info.url, '--password-stdin'], {
          env: home.env,
          input: `${info.apiPassword}\n`,
        }),
        2,
        'MISSING_INPUT',
      )
    })

    it('--password-stdin with an empty stdin: exit 2', async function () {
      this.timeout(60_000)
      const result = await tcrmm(
        ['login', '--server', info.url, '--user', info.apiUser, '--password-stdin'],
        {
          input: '',
        },
      )
      expectExit(result, 2)
    })

    it('no credentials at all and no TTY: exit 2 (no prompt, no hang) naming the ways to pass them', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(['login', '--server', info.url], {env: home.env, timeoutMs: 20_000})
      expectExit(result, 2)
      expect(result.stderr).to.include('--credentials-file')
      expect(result.stderr).to.include('--password-stdin')
      expect(walkFiles(home.home)).to.deep.equal([])
      expectJsonError(
        await tcrmm(['login', '--json', '--server', info.url], {env: home.env}),
        2,
        'MISSING_INPUT',
      )
      // --user alone cannot prompt for the password either.
      expectExit(await tcrmm(['login', '--server', info.url, '--user', info.apiUser], {env: home.env}), 2)
    })
  })

  describe('wrong password', () => {
    it('without a session: exit 3 and no file under the config dir', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(
        ['login', '--server', info.url, '--user', info.apiUser, '--password-stdin'],
        {
          env: home.env,
          input: `${WRONG_PASSWORD}\n`,
        },
      )
      expectExit(result, 3)
      expect(walkFiles(home.home)).to.deep.equal([])
      expectExit(await tcrmm(['whoami'], {env: home.env}), 3)
    })

    it('without a session: not even an empty directory is created under the config dir', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(
        ['login', '--server', info.url, '--user', info.apiUser, '--password-stdin'],
        {
          env: home.env,
          input: `${WRONG_PASSWORD}\n`,
        },
      )
      expectExit(result, 3)
      expect(walkAll(home.configDir), 'entries under the config dir after a failed login').to.deep.equal([])
    })

    it('with a previous good session: exit 3 (JSON BAD_CREDENTIALS), the three files byte-identical, whoami still works', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home)
      const names = ['profile.json', 'token.json', 'license-trust.json'] as const
      const snapshot = names.map((name) => readFileSync(home.file(name)))
      const whoBefore = await whoami(home)

      const wrong = await tcrmm(['login', '--server', info.url, '--user', info.apiUser, '--password-stdin'], {
        env: home.env,
        input: `${WRONG_PASSWORD}\n`,
      })
      expectExit(wrong, 3)
      const wrongFile = writeCredentials(
        'Zugangsdaten falsch.txt',
        `API-Benutzer: ${info.apiUser}\r\nAPI-Passwort: ${WRONG_PASSWORD}\r\n`,
      )
      expectJsonError(
        await tcrmm(['login', '--json', '--server', info.url, '--credentials-file', wrongFile], {
          env: home.env,
        }),
        3,
        'BAD_CREDENTIALS',
      )
      // Usage errors on the way in leave it alone as well.
      const broken = writeCredentials(
        'Zugangsdaten kaputt.txt',
        `API-Benutzer: ${info.apiUser}\nAPI-Passwort:\n`,
      )
      expectExit(
        await tcrmm(['login', '--server', info.url, '--credentials-file', broken], {env: home.env}),
        2,
      )
      expectExit(
        await tcrmm(['login', '--server', info.url, '--password-stdin'], {env: home.env, input: 'x\n'}),
        2,
      )

      names.forEach((name, index) => {
        expect(readFileSync(home.file(name)).equals(snapshot[index] as Buffer), `${name} changed`).to.equal(
          true,
        )
      })
      expect(await whoami(home)).to.deep.equal(whoBefore)
      expectExit(await tcrmm(['customer', 'list', '--json'], {env: home.env}), 0)
    })

    it('with a previous good session: an unreachable server (exit 4) leaves the files byte-identical too', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home)
      const names = ['profile.json', 'token.json', 'license-trust.json'] as const
      const snapshot = names.map((name) => readFileSync(home.file(name)))
      const result = await tcrmm(
        ['login', '--server', 'http://127.0.0.1:1', '--credentials-file', info.credentialsFile],
        {env: home.env},
      )
      expectExit(result, 4)
      names.forEach((name, index) => {
        expect(readFileSync(home.file(name)).equals(snapshot[index] as Buffer), `${name} changed`).to.equal(
          true,
        )
      })
      expect((await whoami(home)).server).to.equal(info.url)
    })
  })

  describe('what is on disk', () => {
    it('after login: no file under HOME contains the password; dirs 0700, files 0600', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home)
      expectNoFileContains(home.home, info.apiPassword)
      const files = walkFiles(home.home).sort()
      expect(files).to.deep.equal(
        [home.file('license-trust.json'), home.file('profile.json'), home.file('token.json')].sort(),
      )
      expect(mode(home.configDir), 'config dir').to.equal('700')
      expect(mode(join(home.configDir, 'profiles')), 'profiles dir').to.equal('700')
      expect(mode(home.profileDir()), 'profile dir').to.equal('700')
      for (const name of ['profile.json', 'token.json', 'license-trust.json'] as const) {
        expect(mode(home.file(name)), name).to.equal('600')
      }
      // The profile holds no secret at all, only the facts of the session.
      const profile = readFileSync(home.file('profile.json'), 'utf8')
      expect(profile).not.to.include(readToken(home).token)
    })

    it('a config dir that already existed with mode 0755 is tightened to 0700', async function () {
      this.timeout(60_000)
      const home = newHome()
      // A config dir created by something else, world-readable.
      rmSync(home.configDir, {recursive: true, force: true})
      mkdirSync(home.configDir, {recursive: true, mode: 0o755})
      chmodSync(home.configDir, 0o755)
      await login(info, home)
      expect(mode(home.configDir)).to.equal('700')
      expect(mode(home.profileDir())).to.equal('700')
    })

    it('TCRMM_API_USER/TCRMM_API_PASSWORD/TCRMM_SERVER run whoami and customer list without login, writing nothing of them', async function () {
      this.timeout(60_000)
      const home = newHome()
      const env = {
        ...home.env,
        TCRMM_API_USER: info.apiUser,
        TCRMM_API_PASSWORD: info.apiPassword,
        TCRMM_SERVER: info.url,
      }
      const who = await tcrmm(['whoami', '--json'], {env})
      expectExit(who, 0)
      expect(parseJson<WhoamiJson>(who)).to.deep.equal({
        profile: 'default',
        server: info.url,
        apiUser: info.apiUser,
        company: info.company,
        partnerId: info.partnerId,
        edition: 'premium',
        tokenExpiresAt: null,
        source: 'environment',
      })
      const list = await tcrmm(['customer', 'list', '--json'], {env})
      expectExit(list, 0)
      expect(parseJson<unknown>(list)).to.be.an('array')
      const debug = await tcrmm(['customer', 'list', '--debug'], {env})
      expectExit(debug, 0)
      expect(debug.stderr.toLowerCase()).not.to.include('bearer')

      expectNoFileContains(home.home, info.apiPassword)
      const names = walkFiles(home.home).map((file) => file.split('/').pop())
      expect(names).not.to.include('token.json')
      expect(names).not.to.include('profile.json')
      expect(names).not.to.include('license-trust.json')
      for (const file of walkFiles(home.home)) {
        expect(readFileSync(file).includes(Buffer.from(info.apiUser)), `${file} holds the API user`).to.equal(
          false,
        )
      }
    })

    it('environment credentials with a wrong password: exit 3 and nothing stored', async function () {
      this.timeout(60_000)
      const home = newHome()
      const env = {
        ...home.env,
        TCRMM_API_USER: info.apiUser,
        TCRMM_API_PASSWORD: WRONG_PASSWORD,
        TCRMM_SERVER: info.url,
      }
      expectExit(await tcrmm(['customer', 'list'], {env}), 3)
      expect(walkFiles(home.home)).to.deep.equal([])
    })
  })

  describe('concurrency', () => {
    it('6 logins in parallel on one profile and 3 on others: all exit 0, every JSON file parses, whoami works', async function () {
      this.timeout(120_000)
      const home = newHome()
      const others = ['p1', 'p2', 'p3']
      const runs = [
        ...Array.from({length: 6}, () => [] as string[]),
        ...others.map((profile) => ['--profile', profile]),
      ].map((extra) =>
        tcrmm(['login', '--server', info.url, '--credentials-file', info.credentialsFile, ...extra], {
          env: home.env,
          timeoutMs: 90_000,
        }),
      )
      const results = await Promise.all(runs)
      results.forEach((result) => expectExit(result, 0))

      const files = walkFiles(home.configDir)
      expect(
        files.filter((file) => file.endsWith('.tmp')),
        'temp files left behind',
      ).to.deep.equal([])
      for (const file of files) {
        expect(file.endsWith('.json'), `unexpected file ${file}`).to.equal(true)
        expect(() => JSON.parse(readFileSync(file, 'utf8')), `${file} does not parse`).not.to.throw()
      }
      for (const profile of ['default', ...others]) {
        expect(existsSync(home.file('token.json', profile)), `${profile}/token.json`).to.equal(true)
        expect(
          existsSync(home.file('license-trust.json', profile)),
          `${profile}/license-trust.json`,
        ).to.equal(true)
        const who = await whoami(home, ['--profile', profile])
        expect(who).to.include({profile, server: info.url, apiUser: info.apiUser, partnerId: info.partnerId})
        // The token that won is one the server accepts, and it is the one tcrmm uses.
        const {token} = readToken(home, profile)
        expect((await api(info.url, 'GET', '/v1/partner', token)).status).to.equal(200)
        expectExit(await tcrmm(['customer', 'list', '--json', '--profile', profile], {env: home.env}), 0)
      }
      expectNoFileContains(home.home, info.apiPassword)
    })
  })

  describe('expiry and revocation', () => {
    it('a token past its expiry (--token-ttl 2s): whoami and customer list exit 3 advising tcrmm login', async function () {
      this.timeout(60_000)
      const short = await startSandbox(['--token-ttl', '2s'])
      try {
        const home = newHome()
        const started = Date.now()
        await login(short.info, home)
        const {expiresAt} = readToken(home)
        expect(Date.parse(expiresAt)).to.be.within(started, Date.now() + 2_500)
        await sleep(Math.max(0, Date.parse(expiresAt) - Date.now()) + 500)

        const who = await tcrmm(['whoami'], {env: home.env})
        expectExit(who, 3)
        expect(who.stderr).to.include('tcrmm login')
        expect(who.stderr).to.include('expired')
        expectJsonError(await tcrmm(['whoami', '--json'], {env: home.env}), 3, 'TOKEN_EXPIRED')

        const list = await tcrmm(['customer', 'list'], {env: home.env})
        expectExit(list, 3)
        expect(list.stderr).to.include('tcrmm login')
      } finally {
        await stopSandbox(short)
      }
    })

    it('a token revoked on the server out of band: customer list exits 3', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home)
      const {token} = readToken(home)
      expectExit(await tcrmm(['customer', 'list', '--json'], {env: home.env}), 0)
      const revoke = await api(info.url, 'POST', '/v1/auth/revoke', token)
      expect(revoke.status, revoke.text).to.equal(204)

      const list = await tcrmm(['customer', 'list'], {env: home.env})
      expectExit(list, 3)
      expect(list.stderr).to.include('tcrmm login')
      expectJsonError(await tcrmm(['customer', 'list', '--json'], {env: home.env}), 3)
    })
  })

  describe('logout', () => {
    it('exit 0, the token is revoked on the server, token.json and profile.json gone, license-trust.json kept', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home)
      const {token} = readToken(home)
      expect((await api(info.url, 'GET', '/v1/partner', token)).status).to.equal(200)
      const trust = readFileSync(home.file('license-trust.json'))

      const result = await tcrmm(['logout'], {env: home.env})
      expectExit(result, 0)
      expect(result.stdout).to.include('Logged out of profile "default"')
      expect(result.stdout).to.include('revoked on the server')
      expect(result.stdout + result.stderr).not.to.include(token)

      expect((await api(info.url, 'GET', '/v1/partner', token)).status).to.equal(401)
      expect(existsSync(home.file('token.json'))).to.equal(false)
      expect(existsSync(home.file('profile.json'))).to.equal(false)
      expect(readFileSync(home.file('license-trust.json')).equals(trust)).to.equal(true)
      expectExit(await tcrmm(['whoami'], {env: home.env}), 3)

      // The kept trust roots still verify offline after logout.
      const verify = await tcrmm(['license', 'verify', info.licenses.premium], {env: home.env})
      expectExit(verify, 0)
    })

    it('logout --profile work leaves the default profile logged in', async function () {
      this.timeout(60_000)
      const home = newHome()
      await login(info, home)
      await login(info, home, ['--profile', 'work'])
      expectExit(await tcrmm(['logout', '--profile', 'work'], {env: home.env}), 0)
      expect(existsSync(home.file('token.json', 'work'))).to.equal(false)
      expect((await whoami(home)).profile).to.equal('default')
      expect((await api(info.url, 'GET', '/v1/partner', readToken(home).token)).status).to.equal(200)
    })

    it('when not logged in: exit 0 with a message', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(['logout'], {env: home.env})
      expectExit(result, 0)
      expect(result.stdout).to.include('Profile "default" was not logged in.')
      expect(walkFiles(home.home)).to.deep.equal([])
    })
  })

  describe('with the sandbox stopped after login', () => {
    let stopped: SandboxInfo
    let verifyHome: Home
    let logoutHome: Home

    before(async function () {
      this.timeout(90_000)
      // A data dir of our own: the license files must outlive the sandbox process.
      const own = await startSandbox(['--data-dir', tempDir('tcrmm-auth-data-')])
      stopped = own.info
      verifyHome = newHome()
      logoutHome = newHome()
      await login(stopped, verifyHome)
      await login(stopped, logoutHome)
      await stopSandbox(own)
      // Really gone: nothing answers there any more.
      let refused = false
      try {
        await fetch(`${stopped.url}/v1/partner`)
      } catch {
        refused = true
      }
      expect(refused).to.equal(true)
    })

    it('license verify <premium license> with no --ca works offline from the login cache: exit 0, valid', async function () {
      this.timeout(60_000)
      const result = await tcrmm(['license', 'verify', '--json', stopped.licenses.premium], {
        env: verifyHome.env,
      })
      expectExit(result, 0)
      const json = parseJson<{results: Array<{valid: boolean; status: string}>; summary: {valid: number}}>(
        result,
      )
      expect(json.results).to.have.length(1)
      expect(json.results[0]?.valid).to.equal(true)
      expect(json.summary.valid).to.equal(1)

      const human = await tcrmm(['license', 'verify', stopped.licenses.premium, stopped.licenses.standard], {
        env: verifyHome.env,
      })
      expectExit(human, 0)

      // The same command without the cache has no trusted root: the cache is what made it work.
      expectExit(await tcrmm(['license', 'verify', stopped.licenses.premium]), 2)
    })

    it('logout with the server unreachable: exit 0, local session removed', async function () {
      this.timeout(60_000)
      const result = await tcrmm(['logout'], {env: logoutHome.env, timeoutMs: 45_000})
      expectExit(result, 0)
      expect(result.stdout).to.include('Logged out of profile "default"')
      expect(result.stdout).to.include('could not be reached')
      expect(existsSync(logoutHome.file('token.json'))).to.equal(false)
      expect(existsSync(logoutHome.file('profile.json'))).to.equal(false)
      expect(existsSync(logoutHome.file('license-trust.json'))).to.equal(true)
      expectExit(await tcrmm(['whoami'], {env: logoutHome.env}), 3)
    })
  })

  describe('server address rules and --json errors', () => {
    it('--server http://10.1.2.3 (plain http, not loopback): exit 2 without contacting it', async function () {
      this.timeout(60_000)
      const home = newHome()
      const started = Date.now()
      const result = await tcrmm(
        ['login', '--server', 'http://10.1.2.3', '--credentials-file', info.credentialsFile],
        {
          env: home.env,
        },
      )
      expectExit(result, 2)
      expect(result.stderr).to.include('http://10.1.2.3')
      expect(result.stderr).to.include('plain http')
      expect(result.stderr).not.to.include('Cannot reach')
      expect(Date.now() - started, 'looks like it tried to connect').to.be.below(15_000)
      expect(walkFiles(home.home)).to.deep.equal([])

      expectJsonError(
        await tcrmm(
          ['login', '--json', '--server', 'http://10.1.2.3', '--credentials-file', info.credentialsFile],
          {env: home.env},
        ),
        2,
        'INSECURE_SERVER',
      )
      // The same rule through TCRMM_SERVER, for API commands too.
      expectExit(
        await tcrmm(['login', '--credentials-file', info.credentialsFile], {
          env: {...home.env, TCRMM_SERVER: 'http://10.1.2.3'},
        }),
        2,
      )
      expectExit(
        await tcrmm(['customer', 'list'], {
          env: {
            ...home.env,
            TCRMM_SERVER: 'http://10.1.2.3',
            TCRMM_API_USER: info.apiUser,
            TCRMM_API_PASSWORD: info.apiPassword,
          },
        }),
        2,
      )
    })

    it('--server http://127.0.0.1:1 (nothing listening): exit 4, also as JSON', async function () {
      this.timeout(60_000)
      const home = newHome()
      const result = await tcrmm(
        ['login', '--server', 'http://127.0.0.1:1', '--credentials-file', info.credentialsFile],
        {env: home.env},
      )
      expectExit(result, 4)
      expect(result.stderr).to.include('http://127.0.0.1:1')
      expect(walkFiles(home.home)).to.deep.equal([])
      expectJsonError(
        await tcrmm(
          ['login', '--json', '--server', 'http://127.0.0.1:1', '--credentials-file', info.credentialsFile],
          {
            env: home.env,
          },
        ),
        4,
      )
    })

    it('--json errors on stdout are {"error":{"code","message"}} with the exit code: 2, 3, 4', async function () {
      this.timeout(60_000)
      const home = newHome()
      expectJsonError(
        await tcrmm(
          ['login', '--json', '--server', 'ftp://127.0.0.1', '--credentials-file', info.credentialsFile],
          {
            env: home.env,
          },
        ),
        2,
      )
      expectJsonError(
        await tcrmm(['login', '--json', '--server', info.url, '--user', 'api-nobody', '--password-stdin'], {
          env: home.env,
          input: `${WRONG_PASSWORD}\n`,
        }),
        3,
        'BAD_CREDENTIALS',
      )
      expectJsonError(await tcrmm(['customer', 'list', '--json'], {env: home.env}), 3, 'NOT_LOGGED_IN')
    })
  })

  describe('--debug', () => {
    it('login and customer list print request lines on stderr, never the password or the token', async function () {
      this.timeout(60_000)
      const home = newHome()
      const port = new URL(info.url).port
      const loginRun = await tcrmm(
        ['login', '--debug', '--server', info.url, '--credentials-file', info.credentialsFile],
        {env: home.env},
      )
      expectExit(loginRun, 0)
      const {token} = readToken(home)
      const base = `http://127\\.0\\.0\\.1:${port}`
      for (const [method, path] of [
        ['POST', '/v1/auth/token'],
        ['GET', '/v1/partner'],
        ['GET', '/v1/license/trust'],
        ['GET', '/v1/license/revocations'],
      ]) {
        expect(loginRun.stderr, loginRun.stderr).to.match(
          new RegExp(`^debug ${method} ${base}${path} → 200 `, 'm'),
        )
      }
      expect(loginRun.stderr).not.to.include(token)
      expect(loginRun.stdout).not.to.include(token)
      expect(loginRun.stderr).not.to.include(info.apiPassword)

      const list = await tcrmm(['customer', 'list', '--debug'], {env: home.env})
      expectExit(list, 0)
      expect(list.stderr, list.stderr).to.match(
        new RegExp(`^debug GET ${base}/v1/customers(\\?\\S*)? → 200 `, 'm'),
      )
      expect(list.stderr).not.to.include(token)
      expect(list.stdout).not.to.include(token)
      expect(list.stderr.toLowerCase()).not.to.include('bearer')

      const failed = await tcrmm(
        ['login', '--debug', '--server', info.url, '--user', 'api-nobody', '--password-stdin'],
        {
          env: newHome().env,
          input: `${WRONG_PASSWORD}\n`,
        },
      )
      expectExit(failed, 3)
      expect(failed.stderr).to.match(new RegExp(`^debug POST ${base}/v1/auth/token → 401 `, 'm'))
    })
  })
})
