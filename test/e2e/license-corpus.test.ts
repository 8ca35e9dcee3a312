/**
 * Robustness against real-world signed XML (../shared/corpora/xmldsig-public, see its README): none of it is a
 * license of ours under a root we trust, so every file must be refused with a defined code, in one batch that
 * neither crashes nor hangs, with valid JSON. And paths that must never be read: devices, FIFOs, huge files.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'

import {REPO_ROOT, verifyJson, type VerifyJson} from '../support/cli.js'
import {CORPUS_DIR, xmlFilesBelow} from '../support/corpus.js'
import {AT, getWorld, type World} from '../support/licenses.js'

/** The codes license-format.md defines for `errors[].code`, and no others. */
const SPEC_CODES = new Set([
  'FILE_TOO_LARGE',
  'DTD_FORBIDDEN',
  'MALFORMED_XML',
  'SIGNATURE_MISSING',
  'PROFILE_VIOLATION',
  'UNSUPPORTED_ALGORITHM',
  'UNTRUSTED_SIGNER',
  'CERT_INVALID',
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'FIELD_INVALID',
  'NOT_YET_VALID',
  'EXPIRED',
  'EDITION_MISMATCH',
  'COMPANY_MISMATCH',
  'FILE_UNREADABLE',
  'REVOKED',
])

/**
 * No corpus file is signed under our root, so no file can get past step 3 (chain): a later code (a digest or
 * signature check, fields, validity) would mean an untrusted signature was checked, or worse, accepted.
 */
const CODES_BEFORE_TRUST = new Set([
  'FILE_TOO_LARGE',
  'FILE_UNREADABLE',
  'DTD_FORBIDDEN',
  'MALFORMED_XML',
  'SIGNATURE_MISSING',
  'PROFILE_VIOLATION',
  'UNSUPPORTED_ALGORITHM',
  'UNTRUSTED_SIGNER',
  'CERT_INVALID',
])

type Result = VerifyJson['results'][number]

/**
 * The corpus file with its root element renamed to `License` in the license namespace (bytes kept as they are),
 * so that the signatures in it reach the profile and chain checks instead of stopping at "not a License".
 * Returns undefined when the root cannot be found by a simple scan.
 */
function asLicenseRoot(bytes: Buffer): Buffer | undefined {
  const text = bytes.toString('latin1')
  const blanked = text.replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) =>
    ' '.repeat(m.length),
  )
  const start = /<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(\s[^>]*?)?(\/?)>/.exec(blanked)
  if (!start) return undefined
  const [tag, name = '', attributes = '', selfClosing] = start
  const ownAttributes = attributes.replace(/\sxmlns\s*=\s*("[^"]*"|'[^']*')/, '')
  const open = `<License xmlns="urn:timecard:rmm:license:1"${ownAttributes}${selfClosing}>`
  let result = text.slice(0, start.index) + open + text.slice(start.index + tag.length)
  if (!selfClosing) {
    const end = result.lastIndexOf(`</${name}`)
    if (end < 0) return undefined
    result =
      result.slice(0, end) +
      result.slice(end).replace(new RegExp(`^</${name.replace(/\./g, '\\.')}\\s*>`), '</License>')
  }
  return Buffer.from(result, 'latin1')
}

/** The per-result checks both corpus runs share; returns what is wrong, one line per problem. */
function problemsOf(results: Result[]): string[] {
  const problems: string[] = []
  for (const result of results) {
    const first = result.errors[0]
    const fail = (why: string) =>
      problems.push(`${result.file}: ${why} ${JSON.stringify(result).slice(0, 300)}`)
    if (result.valid !== false) fail('valid is not false')
    if (result.status !== 'invalid') fail(`status ${result.status}`)
    if (!first) fail('no error')
    else if (!CODES_BEFORE_TRUST.has(first.code)) fail(`code ${first.code} comes after the trust check`)
    for (const error of result.errors) {
      if (!SPEC_CODES.has(error.code)) fail(`code ${error.code} is not defined in license-format.md`)
      if (typeof error.message !== 'string' || error.message.length === 0) fail('an error without a message')
    }
    if (result.license !== null) fail('license is not null')
    if (result.signer !== null) fail('signer is not null')
    if (!Array.isArray(result.warnings) || result.warnings.length !== 0) fail('warnings')
  }
  return problems
}

function printHistogram(title: string, results: Result[]): Record<string, number> {
  const counts = histogram(results)
  console.log(`    ${title} (${results.length} files), first error code:`)
  for (const [name, count] of Object.entries(counts)) console.log(`      ${name.padEnd(22)} ${count}`)
  return counts
}

function histogram(results: Result[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const result of results) {
    const code = result.errors[0]?.code ?? '(none)'
    counts[code] = (counts[code] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)))
}

describe('license verify over the public XML-DSig corpus', function () {
  let world: World

  before(async function () {
    world = await getWorld()
  })

  it('refuses every corpus file with a defined code in ONE batch run, with valid JSON', async function () {
    if (!existsSync(CORPUS_DIR)) {
      if (process.env.CI)
        expect.fail(`the corpus directory ${CORPUS_DIR} is missing (CI is set, so this is a failure)`)
      console.log(`    corpus not found at ${CORPUS_DIR}: skipped`)
      this.skip()
    }
    this.timeout(90_000)
    const expected = xmlFilesBelow(CORPUS_DIR).sort()
    expect(expected.length, 'the corpus has at least 290 *.xml files').to.be.at.least(290)

    // As documented: `tcrmm license verify --json --ca ROOT DIR` (verifyJson puts --json first).
    const {code, stdout, stderr, json} = await verifyJson(['--ca', world.rootPem, CORPUS_DIR], {
      timeoutMs: 60_000,
    })

    expect(
      stdout.trim().startsWith('{') && stdout.trim().endsWith('}'),
      'stdout is exactly one JSON document',
    ).to.equal(true)
    expect(json.error, `a usage error instead of results: ${stdout}`).to.equal(undefined)
    expect(code, stderr).to.equal(1)
    expect(json.results).to.be.an('array')
    expect(json.results.length).to.equal(expected.length)
    expect(
      json.results.map((r) => resolve(REPO_ROOT, r.file)).sort(),
      'one result per corpus file',
    ).to.deep.equal(expected)

    const problems = problemsOf(json.results)
    expect(problems, problems.join('\n')).to.deep.equal([])

    const valid = json.results.filter((r) => r.valid).length
    expect(json.summary).to.deep.equal({
      total: json.results.length,
      valid,
      invalid: json.results.length - valid,
    })
    expect(json.summary).to.deep.equal({total: expected.length, valid: 0, invalid: expected.length})

    const counts = printHistogram('corpus', json.results)
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(expected.length)
  })

  it('refuses every corpus file with its root renamed to License (the signatures reach the profile check)', async function () {
    if (!existsSync(CORPUS_DIR)) {
      if (process.env.CI)
        expect.fail(`the corpus directory ${CORPUS_DIR} is missing (CI is set, so this is a failure)`)
      this.skip()
    }
    this.timeout(90_000)
    const dir = mkdtempSync(join(tmpdir(), 'tcrmm-corpus-as-license-'))
    try {
      let renamed = 0
      const written: string[] = []
      for (const file of xmlFilesBelow(CORPUS_DIR)) {
        const bytes = readFileSync(file)
        const license = asLicenseRoot(bytes)
        if (license) renamed++
        const target = join(dir, relative(CORPUS_DIR, file))
        mkdirSync(dirname(target), {recursive: true})
        writeFileSync(target, license ?? bytes)
        written.push(target)
      }
      expect(renamed, 'most roots could be renamed').to.be.at.least(written.length - 10)

      const {code, stdout, json} = await verifyJson(['--ca', world.rootPem, dir], {timeoutMs: 60_000})
      expect(json.error, stdout.slice(0, 500)).to.equal(undefined)
      expect(code).to.equal(1)
      expect(json.results.map((r) => resolve(REPO_ROOT, r.file)).sort()).to.deep.equal(written.sort())
      const problems = problemsOf(json.results)
      expect(problems, problems.join('\n')).to.deep.equal([])
      expect(json.summary).to.deep.equal({total: written.length, valid: 0, invalid: written.length})
      const counts = printHistogram('corpus with License roots', json.results)
      expect(counts['PROFILE_VIOLATION'] ?? 0, 'the profile check saw real signatures').to.be.greaterThan(0)
      expect(
        counts['UNSUPPORTED_ALGORITHM'] ?? 0,
        'the algorithm allow-list saw real signatures',
      ).to.be.greaterThan(0)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('license verify never reads what is not a regular file of at most 1 MiB', function () {
  let world: World
  let dir: string

  before(async function () {
    world = await getWorld()
    dir = mkdtempSync(join(tmpdir(), 'tcrmm-corpus-special-'))
  })

  after(function () {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  async function verifySingle(path: string) {
    const {code, json, stdout} = await verifyJson(['--ca', world.rootPem, '--at', AT, path], {
      timeoutMs: 20_000,
    })
    expect(json.results, stdout).to.have.length(1)
    const result = json.results[0] as Result
    expect(result.valid).to.equal(false)
    expect(result.license).to.equal(null)
    expect(result.signer).to.equal(null)
    expect(json.summary).to.deep.equal({total: 1, valid: 0, invalid: 1})
    expect(code).to.equal(1)
    return result
  }

  it('refuses /dev/zero (an endless character device) with FILE_UNREADABLE', async function () {
    if (!existsSync('/dev/zero')) this.skip()
    const result = await verifySingle('/dev/zero')
    expect(result.errors.map((e) => e.code)).to.deep.equal(['FILE_UNREADABLE'])
  })

  it('refuses a FIFO that nobody writes to with FILE_UNREADABLE, without blocking', async function () {
    if (process.platform === 'win32') this.skip()
    const fifo = join(dir, 'license.fifo.xml')
    const made = spawnSync('mkfifo', [fifo])
    if (made.error || made.status !== 0) this.skip()
    expect(statSync(fifo).isFIFO()).to.equal(true)
    const result = await verifySingle(fifo)
    expect(result.errors.map((e) => e.code)).to.deep.equal(['FILE_UNREADABLE'])
  })

  it('refuses a symlink named *.xml to /dev/zero found in a directory with FILE_UNREADABLE', async function () {
    if (process.platform === 'win32' || !existsSync('/dev/zero')) this.skip()
    const sub = mkdtempSync(join(dir, 'linked-'))
    symlinkSync('/dev/zero', join(sub, 'zero.xml'))
    const {code, json, stdout} = await verifyJson(['--ca', world.rootPem, '--at', AT, sub], {
      timeoutMs: 20_000,
    })
    expect(
      json.results.map((r) => [r.valid, r.errors.map((e) => e.code)]),
      stdout,
    ).to.deep.equal([[false, ['FILE_UNREADABLE']]])
    expect(code).to.equal(1)
  })

  // "a directory means every *.xml below it" (cli.md): a FIFO named *.xml is one of them and must be reported
  // (FILE_UNREADABLE), not silently left out of the results and the summary.
  it('reports a FIFO named *.xml found in a directory as FILE_UNREADABLE instead of leaving it out', async function () {
    if (process.platform === 'win32') this.skip()
    const sub = mkdtempSync(join(dir, 'fifo-dir-'))
    const made = spawnSync('mkfifo', [join(sub, 'pipe.xml')])
    if (made.error || made.status !== 0) this.skip()
    const {code, json, stdout} = await verifyJson(['--ca', world.rootPem, '--at', AT, sub], {
      timeoutMs: 20_000,
    })
    expect(
      json.results.map((r) => [r.file.endsWith('pipe.xml'), r.errors.map((e) => e.code)]),
      stdout,
    ).to.deep.equal([[true, ['FILE_UNREADABLE']]])
    expect(code).to.equal(1)
  })

  it('refuses a 1 GB sparse file with FILE_TOO_LARGE, without reading it', async function () {
    const huge = join(dir, 'huge.xml')
    writeFileSync(huge, '')
    try {
      truncateSync(huge, 1024 ** 3)
      expect(statSync(huge).size).to.equal(1024 ** 3)
      const result = await verifySingle(huge)
      expect(result.errors.map((e) => e.code)).to.deep.equal(['FILE_TOO_LARGE'])
    } finally {
      rmSync(huge, {force: true})
    }
  })

  it('reads a file of exactly 1 MiB, and refuses one byte more with FILE_TOO_LARGE', async function () {
    const body = '<a/>'
    const exact = join(dir, 'exact.xml')
    writeFileSync(exact, body + ' '.repeat(1024 * 1024 - body.length))
    expect(statSync(exact).size).to.equal(1024 * 1024)
    // Read and parsed: not a License, so the profile check (step 2) refuses it, not the size check.
    expect((await verifySingle(exact)).errors.map((e) => e.code)).to.deep.equal(['PROFILE_VIOLATION'])

    const over = join(dir, 'over.xml')
    writeFileSync(over, body + ' '.repeat(1024 * 1024 - body.length + 1))
    expect((await verifySingle(over)).errors.map((e) => e.code)).to.deep.equal(['FILE_TOO_LARGE'])
  })

  it('refuses all of them in one batch next to a valid license, which stays valid', async function () {
    if (process.platform === 'win32' || !existsSync('/dev/zero')) this.skip()
    const huge = join(dir, 'batch-huge.xml')
    writeFileSync(huge, '')
    truncateSync(huge, 1024 ** 3)
    const fifo = join(dir, 'batch.fifo')
    const made = spawnSync('mkfifo', [fifo])
    const good = world.write('corpus-batch-valid.xml', world.sign())
    try {
      const inputs = ['/dev/zero', huge, ...(made.status === 0 ? [fifo] : []), good]
      const {code, json} = await verifyJson(['--ca', world.rootPem, '--at', AT, ...inputs], {
        timeoutMs: 20_000,
      })
      expect(json.results.map((r) => r.errors[0]?.code ?? 'valid')).to.deep.equal([
        'FILE_UNREADABLE',
        'FILE_TOO_LARGE',
        ...(made.status === 0 ? ['FILE_UNREADABLE'] : []),
        'valid',
      ])
      expect(json.summary).to.deep.equal({total: inputs.length, valid: 1, invalid: inputs.length - 1})
      expect(code).to.equal(1)
    } finally {
      rmSync(huge, {force: true})
    }
  })
})
