import {expect} from 'chai'
import {X509Certificate} from 'node:crypto'

import {CliError} from '../../src/lib/errors.js'
import {toCliError} from '../../src/lib/base-command.js'
import {buildLicenseXml} from '../../src/lib/license/document.js'
import {readRawLicense, toLicenseContent} from '../../src/lib/license/fields.js'
import {parseStrictXml} from '../../src/lib/license/strict-xml.js'
import type {TrustMaterial} from '../../src/lib/license/trust.js'
import {checkValidity, verifyLicenseBytes} from '../../src/lib/license/verify.js'
import {keyUsageOf} from '../../src/lib/license/x509.js'
import {DRAFT, getWorld} from '../support/licenses.js'
import {issue, x509} from '../support/pki.js'

const NO_ROOTS: TrustMaterial = {roots: [], revokedLicenseIds: new Set(), source: ''}

function content(draft = {}) {
  const doc = parseStrictXml(buildLicenseXml({...DRAFT, ...draft}))
  return toLicenseContent(readRawLicense(doc.documentElement))
}

function codesAt(at: string, draft = {}, options = {}) {
  const [errors, warnings] = checkValidity(content(draft), {trust: NO_ROOTS, at: new Date(at), ...options})
  return {errors: errors.map((e) => e.code), warnings: warnings.map((w) => w.code)}
}

describe('validity period (steps 6 and 7)', () => {
  it('allows 5 minutes of clock skew before ValidFrom, not more', () => {
    expect(codesAt('2026-01-14T23:55:00Z').errors).to.deep.equal([])
    expect(codesAt('2026-01-14T23:54:59Z').errors).to.deep.equal(['NOT_YET_VALID'])
  })

  it('allows 5 minutes of clock skew after ValidUntil, not more', () => {
    expect(codesAt('2028-01-01T00:04:59Z').errors).to.deep.equal([])
    expect(codesAt('2028-01-01T00:05:00Z').errors).to.deep.equal(['EXPIRED'])
  })

  it('warns EXPIRES_SOON within 30 days of the end, and not before', () => {
    expect(codesAt('2027-12-01T23:59:59Z').warnings).to.deep.equal(['EXPIRES_SOON'])
    expect(codesAt('2027-12-01T23:59:58Z').warnings).to.deep.equal([])
    expect(codesAt('2026-06-01T00:00:00Z', {validUntil: undefined}).warnings).to.deep.equal([])
  })

  it('takes ValidFrom from IssuedAt when it is absent', () => {
    const withoutFrom = content({validFrom: undefined})
    expect(withoutFrom.fields.validFrom).to.equal('2026-01-15T09:00:00Z')
    expect(codesAt('2026-01-15T08:00:00Z', {validFrom: undefined}).errors).to.deep.equal(['NOT_YET_VALID'])
  })

  it('reports every expectation that fails, not only the first', () => {
    const {errors} = codesAt('2029-01-01T00:00:00Z', {}, {edition: 'standard', company: 'Someone Else'})
    expect(errors).to.deep.equal(['EXPIRED', 'EDITION_MISMATCH', 'COMPANY_MISMATCH'])
  })

  it('compares the company after NFC and trimming, but not case-insensitively', () => {
    const nfd = 'Mu\u0308ller & So\u0308hne GmbH'
    expect(codesAt('2026-06-01T00:00:00Z', {}, {company: `  ${nfd} `}).errors).to.deep.equal([])
    expect(codesAt('2026-06-01T00:00:00Z', {}, {company: 'müller & söhne gmbh'}).errors).to.deep.equal([
      'COMPANY_MISMATCH',
    ])
  })

  it('reports REVOKED when the license id is on the revocation list', () => {
    const trust = {...NO_ROOTS, revokedLicenseIds: new Set([DRAFT.licenseId])}
    const [errors] = checkValidity(content(), {trust, at: new Date('2026-06-01T00:00:00Z')})
    expect(errors.map((e) => e.code)).to.deep.equal(['REVOKED'])
  })
})

describe('fields (format 1 table)', () => {
  it('lists unknown elements, in the license namespace and foreign ones', () => {
    const xml = buildLicenseXml(DRAFT).replace(
      '</License>',
      '<Color>blue</Color><x:Extra xmlns:x="urn:other">1</x:Extra></License>',
    )
    const fields = toLicenseContent(readRawLicense(parseStrictXml(xml).documentElement)).fields
    expect(fields.unknownFields).to.deep.equal(['Color', '{urn:other}Extra'])
  })

  it('refuses a known field twice, markup inside a field, and ValidUntil before ValidFrom', () => {
    const read = (xml: string) => () => toLicenseContent(readRawLicense(parseStrictXml(xml).documentElement))
    const base = buildLicenseXml(DRAFT)
    expect(read(base.replace('<Edition>', '<Edition>premium</Edition><Edition>'))).to.throw('FIELD_INVALID')
    expect(read(base.replace('<Licensee>', '<Licensee><Company>B</Company>'))).to.throw('FIELD_INVALID')
    expect(read(base.replace('P-10042', 'P-<b>1</b>'))).to.throw('FIELD_INVALID')
    expect(read(buildLicenseXml({...DRAFT, validUntil: '2025-01-01T00:00:00Z'}))).to.throw('FIELD_INVALID')
  })
})

describe('KeyUsage of certificates (x509.ts)', () => {
  it('reads digitalSignature and keyCertSign for RSA and EC certificates, and undefined without the extension', async () => {
    const rsa = await issue({subject: 'CN=a', keyUsage: x509.KeyUsageFlags.digitalSignature})
    const ec = await issue({subject: 'CN=b', key: 'p256', keyUsage: x509.KeyUsageFlags.keyCertSign})
    const none = await issue({subject: 'CN=c', keyUsage: null})
    const encipher = await issue({subject: 'CN=d', keyUsage: x509.KeyUsageFlags.keyEncipherment})
    expect(keyUsageOf(new X509Certificate(rsa.pem))).to.deep.equal({
      digitalSignature: true,
      keyCertSign: false,
    })
    expect(keyUsageOf(new X509Certificate(ec.pem))).to.deep.equal({
      digitalSignature: false,
      keyCertSign: true,
    })
    expect(keyUsageOf(new X509Certificate(none.pem))).to.equal(undefined)
    expect(keyUsageOf(new X509Certificate(encipher.pem))).to.deep.equal({
      digitalSignature: false,
      keyCertSign: false,
    })
  })
})

describe('verifyLicenseBytes', () => {
  it('never reports fields or signer of a license that did not chain to a trusted root', async () => {
    const world = await getWorld()
    const verdict = verifyLicenseBytes(Buffer.from(world.sign()), 'x.xml', {trust: NO_ROOTS, at: new Date()})
    expect(verdict).to.include({valid: false, status: 'invalid', license: null, signer: null})
    expect(verdict.errors[0]?.code).to.equal('UNTRUSTED_SIGNER')
  })
})

describe('error → exit code mapping (base command)', () => {
  it('keeps the exit code of a CliError and maps unknown errors to a failure, never to success', () => {
    expect(toCliError(new CliError('AUTH', 'NOT_LOGGED_IN', 'x'))?.exitCode).to.equal(3)
    expect(toCliError(new Error('boom'))?.exitCode).to.equal(1)
  })
})
