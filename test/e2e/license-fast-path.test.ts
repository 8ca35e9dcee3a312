/**
 * `license verify` answered by the start-up fast path (src/fast/license-verify.ts, bundled into dist/bundle/)
 * against the same invocation through oclif (TCRMM_NO_FAST_PATH=1): the same stdout, stderr, exit code and
 * JUnit file, byte for byte, for results, errors, JSON, colour, German and the trust sources; and every argv or
 * environment it must not answer really goes to oclif.
 */
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {BIN, cliEnv, type ProbedRun, runProbed} from '../support/cli.js'
import {AT, getWorld, type World} from '../support/licenses.js'

type Case = [what: string, args: (w: World) => string[], env?: (w: World) => NodeJS.ProcessEnv]

describe('license verify: the fast path prints what oclif prints', function () {
  this.timeout(60_000)
  let w: World
  let dir: string
  let junitDir: string

  before(async () => {
    w = await getWorld()
    const valid = w.sign()
    w.write('fast-valid.xml', valid)
    w.write('fast-tampered.xml', valid.replace('P-10042', 'P-10043'))
    w.write('fast-standard.xml', w.sign({draft: {edition: 'standard'}}))
    dir = join(w.dir, 'fast-dir')
    mkdirSync(dir)
    writeFileSync(join(dir, 'a.xml'), valid)
    writeFileSync(join(dir, 'b.xml'), valid.replace('premium', 'standard'))
    writeFileSync(join(dir, 'c.xml'), '<License/>')
    mkdirSync(join(w.dir, 'fast-empty'))
    junitDir = join(w.dir, 'fast-junit')
    mkdirSync(junitDir)
  })

  const file = (name: string) => join(w.dir, name)
  const at = ['--at', AT]

  const answered: Case[] = [
    ['one valid file', (w) => ['--ca', w.rootPem, ...at, file('fast-valid.xml')]],
    ['--json', (w) => ['--json', '--ca', w.rootPem, ...at, file('fast-valid.xml')]],
    [
      'a tampered file beside a valid one',
      (w) => ['--ca', w.rootPem, ...at, file('fast-valid.xml'), file('fast-tampered.xml')],
    ],
    ['a directory, flags after it, --ca=', (w) => [dir, `--ca=${w.rootPem}`, `--at=${AT}`, '--json']],
    ['a glob', (w) => ['--ca', w.rootPem, ...at, join(dir, '*.xml')]],
    [
      '--edition and --company',
      (w) => [
        '--ca',
        w.rootPem,
        ...at,
        '--edition',
        'standard',
        '--company',
        'Other GmbH',
        file('fast-valid.xml'),
        file('fast-standard.xml'),
      ],
    ],
    [
      '--color',
      (w) => ['--color', '--ca', w.rootPem, ...at, file('fast-valid.xml'), file('fast-tampered.xml')],
    ],
    [
      '--no-color with FORCE_COLOR',
      (w) => ['--no-color', '--ca', w.rootPem, ...at, file('fast-tampered.xml')],
      () => ({FORCE_COLOR: '1'}),
    ],
    [
      'German',
      (w) => ['--ca', w.rootPem, ...at, file('fast-valid.xml'), file('fast-tampered.xml')],
      () => ({TCRMM_LANG: 'de'}),
    ],
    [
      'roots from TCRMM_LICENSE_CA',
      () => [...at, file('fast-valid.xml')],
      (w) => ({TCRMM_LICENSE_CA: w.rootPem}),
    ],
    ['no trusted root', () => [...at, file('fast-valid.xml')]],
    ['no trusted root, --json', () => ['--json', file('fast-valid.xml')]],
    ['a bad --at', (w) => ['--ca', w.rootPem, '--at', 'soon', file('fast-valid.xml')]],
    ['a bad --at, --json', (w) => ['--json', '--ca', w.rootPem, '--at', 'soon', file('fast-valid.xml')]],
    ['a missing file', (w) => ['--ca', w.rootPem, file('no-such.xml')]],
    ['an empty directory', (w) => ['--ca', w.rootPem, file('fast-empty')]],
    ['an unreadable --ca file', () => ['--ca', file('no-such.pem'), file('fast-valid.xml')]],
    ['an unknown profile', () => ['--profile', 'nobody', file('fast-valid.xml')]],
  ]
  const declined: Case[] = [
    [
      'an edition outside its options',
      (w) => ['--ca', w.rootPem, '--edition', 'gold', file('fast-valid.xml')],
    ],
    ['an unknown flag', (w) => ['--ca', w.rootPem, '--strict', file('fast-valid.xml')]],
    ['a short flag', (w) => ['--ca', w.rootPem, '-j', file('fast-valid.xml')]],
    ['no file', (w) => ['--ca', w.rootPem]],
    ['a file named twice', (w) => ['--ca', w.rootPem, ...at, file('fast-valid.xml'), file('fast-valid.xml')]],
    ['--', (w) => ['--ca', w.rootPem, ...at, '--', file('fast-valid.xml')]],
    ['--help after a file', () => [file('fast-valid.xml'), '--help']],
    [
      'TCRMM_CONTENT_TYPE=json',
      (w) => ['--ca', w.rootPem, ...at, file('fast-valid.xml')],
      () => ({TCRMM_CONTENT_TYPE: 'json'}),
    ],
  ]

  const both = async (args: string[], env: NodeJS.ProcessEnv): Promise<[ProbedRun, ProbedRun]> =>
    Promise.all([
      runProbed(['license', 'verify', ...args], env),
      runProbed(['license', 'verify', ...args], {...env, TCRMM_NO_FAST_PATH: '1'}),
    ])
  const printed = ({stdout, stderr, status}: ProbedRun) => ({stdout, stderr, status})

  for (const [what, args, env] of answered) {
    it(`answers ${what} without oclif, byte for byte`, async () => {
      const [fast, oclif] = await both(args(w), env?.(w) ?? {})
      expect(oclif.oclif, 'TCRMM_NO_FAST_PATH=1 must run oclif').to.equal(true)
      expect(fast.oclif, 'oclif was loaded: the fast path declined').to.equal(false)
      expect(printed(fast)).to.deep.equal(printed(oclif))
    })
  }

  it('writes the same JUnit file', async () => {
    const run = (name: string, env: NodeJS.ProcessEnv) =>
      runProbed(['license', 'verify', '--ca', w.rootPem, ...at, '--junit', join(junitDir, name), dir], env)
    const [fast, oclif] = await Promise.all([
      run('fast.xml', {}),
      run('oclif.xml', {TCRMM_NO_FAST_PATH: '1'}),
    ])
    expect(fast.oclif).to.equal(false)
    expect(printed(fast)).to.deep.equal(printed(oclif))
    const report = readFileSync(join(junitDir, 'fast.xml'), 'utf8')
    expect(report)
      .to.include('<testcase')
      .and.to.equal(readFileSync(join(junitDir, 'oclif.xml'), 'utf8'))
  })

  it('ends as oclif does when the reader stops early (| head -1)', async () => {
    // Enough output that the pipe is closed before it is all written.
    const many = join(w.dir, 'fast-many')
    mkdirSync(many)
    writeFileSync(join(many, 'a.xml'), w.sign())
    for (let i = 0; i < 400; i++)
      writeFileSync(join(many, `b-${String(i).padStart(3, '0')}.xml`), '<License/>')
    const tcrmm = [process.execPath, BIN, 'license', 'verify', '--ca', w.rootPem, '--at', AT, many]
    const stderr = JSON.stringify(join(many, 'stderr.txt'))
    const script =
      `${tcrmm.map((arg) => JSON.stringify(arg)).join(' ')} 2>${stderr} | head -1; ` +
      `echo "exit \${PIPESTATUS[0]}"; cat ${stderr}`
    const run = (env: NodeJS.ProcessEnv) =>
      execFileSync('bash', ['-c', script], {encoding: 'utf8', env: cliEnv(env)})
    const fast = run({})
    expect(fast).to.match(/^✓ .*a\.xml.*\nexit 1\n$/) // and nothing on stderr
    expect(fast).to.equal(run({TCRMM_NO_FAST_PATH: '1'}))
  })

  for (const [what, args, env] of declined) {
    it(`leaves ${what} to oclif`, async () => {
      const [fast, oclif] = await both(args(w), env?.(w) ?? {})
      expect(fast.oclif, 'the fast path answered').to.equal(true)
      expect(printed(fast)).to.deep.equal(printed(oclif))
    })
  }
})
