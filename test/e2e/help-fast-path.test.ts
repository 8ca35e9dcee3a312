import {expect} from 'chai'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {BIN, type ProbedRun, REPO_ROOT, runProbed} from '../support/cli.js'

// bin/run.js answers help from dist/help-cache.json without loading oclif; these tests hold it to printing
// byte for byte what oclif prints, for every command and topic there is, and to leaving to oclif whatever the
// cache cannot answer exactly.

type Run = ProbedRun

/** Runs bin/run.js (or `bin`) with `args`, output piped, at most 4 at a time. */
const run = (args: string[], env: NodeJS.ProcessEnv = {}, bin = BIN): Promise<Run> =>
  runProbed(args, env, bin)

const fast = (args: string[], env: NodeJS.ProcessEnv = {}) => run(args, env)
const viaOclif = (args: string[], env: NodeJS.ProcessEnv = {}) => run(args, {...env, TCRMM_NO_FAST_PATH: '1'})
const printed = ({stdout, stderr, status}: Run) => ({stdout, stderr, status})
const shown = (args: string[]) =>
  ['tcrmm', ...args.map((arg) => (arg.includes(' ') ? `'${arg}'` : arg))].join(' ')

// What there is to ask help for, read independently of scripts/build-help.mjs: the commands of the manifest,
// plugin-help's `help`, the topics of package.json and every prefix of a command id.
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
const commands = Object.keys(manifest.commands).map((id) => id.split(':'))
const topics = [
  ...Object.keys(pkg.oclif.topics).map((id) => id.split(':')),
  ...commands.flatMap((words) => words.slice(1).map((_, end) => words.slice(0, end + 1))),
]
const subjects = [...new Set(['', 'help', ...[...commands, ...topics].map((words) => words.join(' '))])].map(
  (key) => (key === '' ? [] : key.split(' ')),
)

describe('tcrmm help from the build-time cache', () => {
  it('the cache has an entry for the root, every command in oclif.manifest.json and every topic', () => {
    const cache = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'help-cache.json'), 'utf8'))
    expect(Object.keys(cache.entries)).to.include.members(subjects.map((words) => words.join(' ')))
  })

  const shapes = [
    [],
    ['help'],
    ...subjects.flatMap((words) => [
      [...words, '--help'],
      ['help', ...words],
    ]),
  ]
  const unique = [...new Map(shapes.map((args) => [args.join(' '), args])).values()]
  // All started at once (4 processes at a time), each test awaits its own.
  const results = new Map<string, Promise<[Run, Run]>>()
  before(() => {
    for (const args of unique) results.set(args.join(' '), Promise.all([fast(args), viaOclif(args)]))
  })

  for (const args of unique) {
    it(`${shown(args)}: served without oclif, byte for byte what oclif prints`, async () => {
      const [served, expected] = await results.get(args.join(' '))!
      expect(expected.oclif, 'TCRMM_NO_FAST_PATH=1 must go to oclif').to.equal(true)
      expect(served.oclif, 'the fast path did not answer').to.equal(false)
      expect(printed(served)).to.deep.equal(printed(expected))
      expect(served.status).to.equal(0)
    })
  }

  const fallThrough: Array<[string, string[], NodeJS.ProcessEnv]> = [
    ['OCLIF_COLUMNS=120', ['license', 'verify', '--help'], {OCLIF_COLUMNS: '120'}],
    ['FORCE_COLOR=1', ['--help'], {FORCE_COLOR: '1'}],
    ['DEBUG set', ['--help'], {DEBUG: 'nothing-of-oclif'}],
    ['-h', ['license', 'verify', '-h'], {}],
    ['arguments before --help', ['license', 'verify', 'a.xml', '--help'], {}],
    ['--help before the command', ['--help', 'license', 'verify'], {}],
    ['an unknown command', ['no-such-command', '--help'], {}],
    ['a flag after help', ['help', 'license', '--json'], {}],
    ['words in one argument', ['license verify', '--help'], {}],
  ]
  for (const [what, args, env] of fallThrough) {
    it(`leaves ${what} to oclif (${shown(args)})`, async () => {
      const [served, expected] = await Promise.all([fast(args, env), viaOclif(args, env)])
      expect(served.oclif, 'oclif was not loaded').to.equal(true)
      expect(printed(served)).to.deep.equal(printed(expected))
    })
  }

  it('renders at 120 columns when OCLIF_COLUMNS=120, unlike the cache', async () => {
    const [wide, cached] = await Promise.all([
      fast(['license', 'verify', '--help'], {OCLIF_COLUMNS: '120'}),
      fast(['license', 'verify', '--help']),
    ])
    expect(wide.stdout).to.not.equal(cached.stdout)
    expect(Math.max(...wide.stdout.split('\n').map((line) => line.length))).to.be.greaterThan(80)
  })

  describe('a stale or missing cache', () => {
    // A copy of bin/run.js beside its own package.json and cache, with no node_modules: falling through to
    // oclif there fails to import @oclif/core, which is how these tests see that the cache was not used.
    let dir: string
    let bin: string
    const cache = readFileSync(join(REPO_ROOT, 'dist', 'help-cache.json'), 'utf8')
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tcrmm-help-cache-'))
      mkdirSync(join(dir, 'bin'))
      mkdirSync(join(dir, 'dist'))
      bin = join(dir, 'bin', 'run.js')
      copyFileSync(BIN, bin)
      copyFileSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'))
      writeFileSync(join(dir, 'dist', 'help-cache.json'), cache)
    })
    afterEach(() => rmSync(dir, {recursive: true, force: true}))

    const fallsThrough = async () => {
      const result = await run(['--help'], {}, bin)
      expect(result.stdout).to.equal('')
      expect(result.stderr).to.include("Cannot find package '@oclif/core'")
    }

    it('is used when it matches (the control for the cases below)', async () => {
      const result = await run(['--help'], {}, bin)
      expect(result.stdout).to.include('USAGE\n  $ tcrmm [COMMAND]')
      expect(result.status).to.equal(0)
    })

    it('is not used when package.json changed since the build', async () => {
      writeFileSync(join(dir, 'package.json'), readFileSync(join(REPO_ROOT, 'package.json'), 'utf8') + '\n')
      await fallsThrough()
    })

    it('names the platform and Node that run it, whichever Node built it', async () => {
      const runtime = `${process.platform}-${process.arch} node-${process.version}`
      expect(JSON.parse(cache).entries[''].stdout).to.not.include(runtime)
      const result = await run(['--help'], {}, bin)
      expect(result.stdout).to.include(`timecard-rmm/${pkg.version} ${runtime}`)
    })

    it('is not used when it is missing or unreadable', async () => {
      writeFileSync(join(dir, 'dist', 'help-cache.json'), '{"entries": ')
      await fallsThrough()
      rmSync(join(dir, 'dist', 'help-cache.json'))
      await fallsThrough()
    })
  })
})
