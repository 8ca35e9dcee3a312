import {DOMParser} from '@xmldom/xmldom'
import {expect} from 'chai'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {runCli, verifyJson} from '../support/cli.js'
import {AT, getWorld, type World} from '../support/licenses.js'

const ANSI = /\u001B\[/

describe('tcrmm license verify (command behaviour)', () => {
  let world: World
  let valid: string
  let forged: string
  let dir: string

  before(async () => {
    world = await getWorld()
    dir = mkdtempSync(join(tmpdir(), 'tcrmm-cmd-'))
    valid = join(dir, 'license_rma_Mueller_premium_signed.xml')
    forged = join(dir, 'license_rma_Mueller_forged.xml')
    writeFileSync(valid, world.sign())
    writeFileSync(forged, world.sign({draft: {edition: 'standard'}}).replace('>standard<', '>premium<'))
  })

  describe('exit codes and JSON errors', () => {
    it('exits 2 with advice when no trusted root is available, in human mode', async () => {
      const result = await runCli(['license', 'verify', valid])
      expect(result.code).to.equal(2)
      expect(result.stdout).to.equal('')
      expect(result.stderr).to.contain('No trusted root')
      expect(result.stderr).to.contain('tcrmm login')
      expect(result.stderr).to.contain('--ca')
    })

    it('keeps exit 2 in --json mode and prints the error as JSON on stdout', async () => {
      const result = await runCli(['license', 'verify', '--json', valid])
      expect(result.code).to.equal(2)
      expect(JSON.parse(result.stdout)).to.deep.equal({
        error: {code: 'NO_TRUSTED_ROOT', message: 'No trusted root certificate for license verification.'},
      })
    })

    it('treats an unknown flag as a usage error (exit 2) in both modes', async () => {
      const human = await runCli(['license', 'verify', '--bogus', valid])
      expect(human.code).to.equal(2)
      expect(human.stderr).to.contain('--bogus')
      const json = await runCli(['license', 'verify', '--json', '--bogus', valid])
      expect(json.code).to.equal(2)
      expect(JSON.parse(json.stdout).error.code).to.equal('USAGE')
    })

    it('refuses a path that does not exist and a glob that matches nothing (exit 2), before verifying anything', async () => {
      const missing = await verifyJson(['--ca', world.rootPem, valid, join(dir, 'nope.xml')])
      expect(missing.code).to.equal(2)
      expect(missing.json.error?.code).to.equal('FILE_NOT_FOUND')
      const glob = await verifyJson(['--ca', world.rootPem, 'no-such-dir/*.xml'])
      expect(glob.code).to.equal(2)
      expect(glob.json.error?.code).to.equal('NO_MATCH')
    })

    it('refuses a --at that is not a date (exit 2)', async () => {
      const result = await verifyJson(['--ca', world.rootPem, '--at', 'next tuesday', valid])
      expect(result.code).to.equal(2)
      expect(result.json.error?.code).to.equal('BAD_DATE')
    })

    it('exits 0 when every license is valid and 1 when one is not', async () => {
      expect((await runCli(['license', 'verify', '--ca', world.rootPem, '--at', AT, valid])).code).to.equal(0)
      expect(
        (await runCli(['license', 'verify', '--ca', world.rootPem, '--at', AT, valid, forged])).code,
      ).to.equal(1)
    })
  })

  describe('trust roots', () => {
    it('reads the roots from TCRMM_LICENSE_CA', async () => {
      const result = await verifyJson(['--at', AT, valid], {env: {TCRMM_LICENSE_CA: world.rootPem}})
      expect(result.code).to.equal(0)
      expect(result.json.summary).to.deep.equal({total: 1, valid: 1, invalid: 0})
    })

    it('reads the roots and the revocation list that login caches for the profile', async () => {
      const home = mkdtempSync(join(tmpdir(), 'tcrmm-home-'))
      const cacheDir = join(home, '.config', 'tcrmm', 'profiles', 'work')
      mkdirSync(cacheDir, {recursive: true})
      const cache = {roots: [readFileSync(world.rootPem, 'utf8')], revocations: {licenseIds: ['revoked-1']}}
      writeFileSync(join(cacheDir, 'license-trust.json'), JSON.stringify(cache))
      const revokedFile = join(dir, 'revoked.xml')
      writeFileSync(revokedFile, world.sign({draft: {licenseId: 'revoked-1'}}))
      const env = {HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TCRMM_PROFILE: 'work'}
      const result = await verifyJson(['--at', AT, valid, revokedFile], {env})
      expect(result.code).to.equal(1)
      expect(result.json.results.map((r) => r.status)).to.deep.equal(['valid', 'revoked'])
      expect(result.json.results[1]?.errors[0]?.code).to.equal('REVOKED')
      const otherProfile = await verifyJson(['--at', AT, valid], {env: {...env, TCRMM_PROFILE: 'default'}})
      expect(otherProfile.code).to.equal(2)
    })

    it('refuses a profile name that would be a path', async () => {
      const result = await verifyJson(['--ca', world.rootPem, '--profile', '../../etc', valid])
      expect(result.code).to.equal(2)
      expect(result.json.error?.code).to.equal('BAD_PROFILE')
    })

    it('refuses a --ca file without certificates (exit 2)', async () => {
      const empty = join(dir, 'empty.pem')
      writeFileSync(empty, 'not a certificate\n')
      const result = await verifyJson(['--ca', empty, valid])
      expect(result.code).to.equal(2)
      expect(result.json.error?.code).to.equal('CA_EMPTY')
    })

    it('accepts several --ca flags, each taking one file', async () => {
      const foreign = join(dir, 'foreign.pem')
      writeFileSync(foreign, world.foreignRoot.pem)
      const result = await verifyJson(['--ca', foreign, '--at', AT, valid, '--ca', world.rootPem])
      expect(result.code).to.equal(0)
      expect(result.json.summary.total).to.equal(1)
    })
  })

  describe('inputs', () => {
    it('takes a directory as every *.xml below it, in sorted order', async () => {
      const tree = mkdtempSync(join(tmpdir(), 'tcrmm-tree-'))
      mkdirSync(join(tree, 'sub'))
      writeFileSync(join(tree, 'b.xml'), world.sign())
      writeFileSync(join(tree, 'a.xml'), world.sign())
      writeFileSync(join(tree, 'sub', 'c.XML'), world.sign())
      writeFileSync(join(tree, 'notes.txt'), 'not a license')
      const result = await verifyJson(['--ca', world.rootPem, '--at', AT, tree], {cwd: tree})
      expect(result.json.results.map((r) => r.file)).to.deep.equal([
        join(tree, 'a.xml'),
        join(tree, 'b.xml'),
        join(tree, 'sub', 'c.XML'),
      ])
      expect(result.code).to.equal(0)
    })

    it('refuses a directory without any *.xml as a usage error, not as "0 files, all valid"', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'tcrmm-empty-'))
      writeFileSync(join(empty, 'readme.txt'), 'no licenses here')
      const result = await verifyJson(['--ca', world.rootPem, empty])
      expect(result.code).to.equal(2)
      expect(result.json.error?.code).to.equal('NO_MATCH')
    })

    it('expands a quoted glob itself (for shells that do not)', async () => {
      const result = await verifyJson(['--ca', world.rootPem, '--at', AT, '*.xml'], {cwd: dir})
      const files = result.json.results.map((r) => r.file)
      expect(files).to.include('license_rma_Mueller_premium_signed.xml')
      expect(files).to.include('license_rma_Mueller_forged.xml')
    })
  })

  describe('output', () => {
    it('prints one line per file and a summary, without colour when not on a terminal', async () => {
      const result = await runCli(['license', 'verify', '--ca', world.rootPem, '--at', AT, valid, forged])
      const lines = result.stdout.trimEnd().split('\n')
      expect(lines[0]).to.match(
        /^✓ .*license_rma_Mueller_premium_signed\.xml .*premium .*Müller & Söhne GmbH .*valid until 2027-12-31/,
      )
      expect(lines[1]).to.match(/^✗ .*license_rma_Mueller_forged\.xml/)
      expect(lines[2]).to.match(/DIGEST_MISMATCH .*changed after it was signed/)
      expect(lines.at(-1)).to.equal('2 files: 1 valid, 1 invalid')
      expect(result.stdout).not.to.match(ANSI)
      expect(result.stderr).to.equal('')
    })

    it('colours with --color, and never with --no-color', async () => {
      const forcedOn = await runCli([
        'license',
        'verify',
        '--color',
        '--ca',
        world.rootPem,
        '--at',
        AT,
        valid,
      ])
      expect(forcedOn.stdout).to.match(ANSI)
      const off = await runCli(['license', 'verify', '--no-color', '--ca', world.rootPem, '--at', AT, valid])
      expect(off.stdout).not.to.match(ANSI)
    })

    it('prints exactly one JSON document on stdout and nothing on stderr with --json', async () => {
      const result = await verifyJson(['--ca', world.rootPem, '--at', AT, valid, forged])
      expect(result.stderr).to.equal('')
      expect(result.json.summary).to.deep.equal({total: 2, valid: 1, invalid: 1})
      const [good, bad] = result.json.results
      expect(Object.keys(good ?? {})).to.deep.equal([
        'file',
        'valid',
        'status',
        'errors',
        'warnings',
        'license',
        'signer',
      ])
      expect(good?.license).to.deep.equal({
        licenseId: '6f1c2a9e-0b7d-4d51-9a53-3f0e8c7d1b22',
        edition: 'premium',
        company: 'Müller & Söhne GmbH',
        partnerId: 'P-10042',
        issuedAt: '2026-01-15T09:00:00Z',
        validFrom: '2026-01-15T00:00:00Z',
        validUntil: '2027-12-31T23:59:59Z',
        maxCustomers: 250,
        features: ['dashboard', 'warning-details'],
        unknownFields: [],
      })
      expect(good?.signer).to.include({subject: 'CN=tcrmm Test License Signer', algorithm: 'rsa-sha256'})
      expect(good?.signer?.fingerprintSha256).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
      expect(bad).to.include({valid: false, status: 'invalid', license: null, signer: null})
    })

    it('writes a JUnit report with one testcase per file and the codes on failures', async () => {
      const report = join(dir, 'junit.xml')
      const result = await runCli([
        'license',
        'verify',
        '--ca',
        world.rootPem,
        '--at',
        AT,
        '--junit',
        report,
        valid,
        forged,
      ])
      expect(result.code).to.equal(1)
      const doc = new DOMParser().parseFromString(readFileSync(report, 'utf8'), 'text/xml')
      const cases = Array.from(doc.getElementsByTagName('testcase'))
      expect(cases.map((c) => c.getAttribute('name'))).to.deep.equal([valid, forged])
      expect(cases[0]?.getElementsByTagName('failure').length).to.equal(0)
      expect(cases[1]?.getElementsByTagName('failure')[0]?.getAttribute('type')).to.equal('DIGEST_MISMATCH')
      expect(doc.documentElement.getAttribute('tests')).to.equal('2')
      expect(doc.documentElement.getAttribute('failures')).to.equal('1')
    })

    it('shows help with examples', async () => {
      const result = await runCli(['license', 'verify', '--help'])
      expect(result.code).to.equal(0)
      expect(result.stdout).to.contain('EXAMPLES')
      expect(result.stdout).to.contain('--junit')
    })
  })
})

describe('tcrmm license inspect', () => {
  let world: World
  let valid: string
  let forged: string

  before(async () => {
    world = await getWorld()
    valid = world.write('inspect-valid.xml', world.sign())
    forged = world.write('inspect-forged.xml', world.sign().replace('Müller &amp; Söhne GmbH', 'Evil Corp'))
  })

  it('marks the fields UNVERIFIED without a trusted root, and exits 1', async () => {
    const result = await runCli(['license', 'inspect', valid])
    expect(result.code).to.equal(1)
    expect(result.stdout).to.contain('UNVERIFIED')
    expect(result.stdout).to.contain('Müller & Söhne GmbH')
  })

  it('marks the fields VERIFIED when the signature checks out, and exits 0', async () => {
    const result = await runCli(['license', 'inspect', '--ca', world.rootPem, '--at', AT, valid])
    expect(result.code).to.equal(0)
    expect(result.stdout).to.contain('VERIFIED: signed by a trusted root')
    expect(result.stdout).not.to.contain('UNVERIFIED')
  })

  it('shows a forgery as an unverified claim with the reason, in JSON too', async () => {
    const result = await runCli(['license', 'inspect', '--json', '--ca', world.rootPem, '--at', AT, forged])
    expect(result.code).to.equal(1)
    const report = JSON.parse(result.stdout)
    expect(report.verified).to.equal(false)
    expect(report.signer).to.equal(null)
    expect(report.fields.company).to.equal('Evil Corp')
    expect(report.verification.errors[0].code).to.equal('DIGEST_MISMATCH')
    expect(report.reason).to.contain('changed after it was signed')
  })
})
