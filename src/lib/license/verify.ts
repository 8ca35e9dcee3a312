import type {X509Certificate} from 'node:crypto'

import {messages} from '../messages/index.js'
import {buildChain, checkChain, checkSignerKey, parseKeyInfoCertificates} from './chain.js'
import {LicenseCheckError, type VerificationCode, type WarningCode} from './codes.js'
import {formatInstant, parseXsDateTime} from './dates.js'
import {parseFastXml} from './fast-xml.js'
import {
  type Edition,
  type LicenseContent,
  type LicenseFields,
  readRawLicense,
  toLicenseContent,
} from './fields.js'
import {LICENSE_NS} from './namespaces.js'
import {checkSignatureProfile} from './profile.js'
import {readLicenseBytes} from './read-file.js'
import {checkSignatureFast} from './signature-check.js'
import {decodeXml, parseStrictXml} from './strict-xml.js'
import type {TrustMaterial} from './trust.js'
import {distinguishedName} from './x509.js'
import {verifySignature} from './xmldsig.js'

export type LicenseStatus = 'valid' | 'invalid' | 'expired' | 'not_yet_valid' | 'revoked'

export interface Finding<C extends string> {
  code: C
  message: string
}

export interface SignerInfo {
  subject: string
  issuer: string
  fingerprintSha256: string
  algorithm: string
}

/** One file's result, exactly the `results[]` entry of `license verify --json`. */
export interface LicenseVerdict {
  file: string
  valid: boolean
  status: LicenseStatus
  errors: Finding<VerificationCode>[]
  warnings: Finding<WarningCode>[]
  /** Only what the trusted signature covers; null unless it verified. */
  license: LicenseFields | null
  signer: SignerInfo | null
}

export interface VerifyOptions {
  trust: TrustMaterial
  /** The instant to check validity at; a clock passed in, never read here. */
  at: Date
  edition?: Edition
  company?: string
  /**
   * `fast`: the fast tier first (fast-xml.ts, signature-check.ts), the straightforward one where it declines;
   * `xml-crypto`: the straightforward tier alone (strict-xml.ts, xml-crypto). Only tests choose, to hold the two
   * to the same verdicts.
   */
  engine?: 'fast' | 'xml-crypto'
}

export const CLOCK_SKEW_MS = 5 * 60_000
export const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60_000

export async function verifyLicenseFile(
  path: string,
  file: string,
  options: VerifyOptions,
): Promise<LicenseVerdict> {
  let bytes: Buffer
  try {
    bytes = readLicenseBytes(path)
  } catch (error) {
    return verdict(file, [findingOf(error, 'FILE_UNREADABLE')], [], null, null)
  }
  return verifyLicenseBytes(bytes, file, options)
}

/**
 * Verification in the order of license-format.md; the first failing step decides, and nothing unsigned leaks.
 *
 * Two tiers give the same verdict (test/unit/signature-engines.test.ts): the fast one parses with fast-xml.ts and
 * checks digest and signature value with signature-check.ts; wherever either declines a file, the
 * straightforward one runs, with strict-xml.ts (two parsers) and xml-crypto.
 */
export function verifyLicenseBytes(bytes: Uint8Array, file: string, options: VerifyOptions): LicenseVerdict {
  const fast = options.engine === 'xml-crypto' ? undefined : verifyFastTier(bytes, file, options)
  return fast ?? (verifyWith(bytes, file, options, false) as LicenseVerdict)
}

/** The fast tier alone: its verdict, or undefined where it declines (for tests that compare the tiers). */
export function verifyFastTier(
  bytes: Uint8Array,
  file: string,
  options: VerifyOptions,
): LicenseVerdict | undefined {
  return verifyWith(bytes, file, options, true)
}

/** Raised where the fast tier cannot answer exactly as the straightforward one would. */
class Declined extends Error {}
const decline = (): never => {
  throw new Declined()
}

function verifyWith(
  bytes: Uint8Array,
  file: string,
  options: VerifyOptions,
  fast: boolean,
): LicenseVerdict | undefined {
  let signer: SignerInfo | null = null
  // Which step runs, so that even an unforeseen exception is reported as that step's refusal, never as a pass.
  let step: VerificationCode = 'MALFORMED_XML'
  try {
    const text = decodeXml(bytes)
    const doc = fast ? (parseFastXml(text) ?? decline()) : parseStrictXml(text)
    step = 'PROFILE_VIOLATION'
    const profile = checkSignatureProfile(doc)
    step = 'UNTRUSTED_SIGNER'
    const certificates = parseKeyInfoCertificates(profile.certificates)
    checkSignerKey(certificates[0] as X509Certificate)
    const chain = buildChain(certificates, options.trust.roots)
    // The claimed IssuedAt orders the checks as the spec does (certificates before digest); it is checked again
    // below with the signed value, which alone counts.
    checkChain(chain, claimedIssuedAt(doc.documentElement))
    step = 'SIGNATURE_INVALID'
    const signerCertificate = chain[0] as X509Certificate
    const signerKey = signerCertificate.publicKey
    // xml-crypto hands back the canonical bytes it verified, and the fields are parsed from them. The fast check
    // digested this very tree, and it declines every node its canonical form would render differently from the
    // tree (processing instructions, say): the fields are read from the tree, as they would parse from the bytes.
    let signedXml: string | undefined
    if (!fast) signedXml = verifySignature(text, profile, signerKey)
    else if (checkSignatureFast(doc.documentElement, profile, signerKey) === undefined) decline()
    signer = signerInfoOf(signerCertificate, profile.signatureAlgorithm)
    step = 'FIELD_INVALID'
    const content =
      signedXml === undefined
        ? toLicenseContent(readRawLicense(doc.documentElement))
        : readSignedContent(signedXml)
    step = 'CERT_INVALID'
    checkChain(chain, content.issuedAt)
    const [errors, warnings] = checkValidity(content, options)
    return verdict(file, errors, warnings, content.fields, signer)
  } catch (error) {
    // The fast tier answers only with the verifier's own findings; anything unforeseen goes to the other tier.
    if (fast && !(error instanceof LicenseCheckError)) return undefined
    return verdict(file, [findingOf(error, step)], [], null, signer)
  }
}

/** Step 5: the fields, from the canonical XML that the signature covers and from nothing else. */
export function readSignedContent(signedXml: string): LicenseContent {
  const root = parseStrictXml(signedXml).documentElement
  if (root.namespaceURI !== LICENSE_NS || root.localName !== 'License') {
    throw new LicenseCheckError('FIELD_INVALID', messages.license.details.notALicense(root.localName))
  }
  return toLicenseContent(readRawLicense(root))
}

/** Steps 6 and 7: revocation, validity period with clock skew, and the caller's expectations. */
export function checkValidity(
  content: LicenseContent,
  options: VerifyOptions,
): [Finding<VerificationCode>[], Finding<WarningCode>[]] {
  const d = messages.license.details
  const errors: Finding<VerificationCode>[] = []
  const warnings: Finding<WarningCode>[] = []
  const {fields, validFrom, validUntil} = content
  const at = options.at.getTime()
  if (options.trust.revokedLicenseIds.has(fields.licenseId))
    errors.push(finding('REVOKED', d.revoked(fields.licenseId)))
  if (at + CLOCK_SKEW_MS < validFrom.getTime()) {
    errors.push(finding('NOT_YET_VALID', d.notYetValid(formatInstant(validFrom))))
  }
  if (validUntil && at - CLOCK_SKEW_MS > validUntil.getTime()) {
    errors.push(finding('EXPIRED', d.expired(formatInstant(validUntil))))
  } else if (validUntil && validUntil.getTime() - at <= EXPIRY_WARNING_MS) {
    const days = Math.max(0, Math.ceil((validUntil.getTime() - at) / 86_400_000))
    warnings.push({
      code: 'EXPIRES_SOON',
      message: withDetail('EXPIRES_SOON', d.expiresSoon(formatInstant(validUntil), days)),
    })
  }
  if (options.edition && fields.edition !== options.edition) {
    errors.push(finding('EDITION_MISMATCH', d.edition(fields.edition, options.edition)))
  }
  if (
    options.company !== undefined &&
    normalizeCompany(fields.company) !== normalizeCompany(options.company)
  ) {
    errors.push(finding('COMPANY_MISMATCH', d.company(fields.company, options.company)))
  }
  return [errors, warnings]
}

export function normalizeCompany(company: string): string {
  return company.normalize('NFC').trim()
}

function claimedIssuedAt(license: Element): Date | undefined {
  try {
    const value = readRawLicense(license).values.get('IssuedAt')
    return value === undefined ? undefined : parseXsDateTime(value)
  } catch {
    return undefined
  }
}

/** The names and fingerprint of a (cached) certificate, formatted once per batch rather than once per file. */
const certificateNames = new WeakMap<X509Certificate, Omit<SignerInfo, 'algorithm'>>()

function signerInfoOf(certificate: X509Certificate, algorithm: string): SignerInfo {
  let names = certificateNames.get(certificate)
  if (!names) {
    names = {
      subject: distinguishedName(certificate.subject),
      issuer: distinguishedName(certificate.issuer),
      fingerprintSha256: certificate.fingerprint256,
    }
    certificateNames.set(certificate, names)
  }
  return {...names, algorithm}
}

const STATUS_BY_CODE: Partial<Record<VerificationCode, LicenseStatus>> = {
  REVOKED: 'revoked',
  EXPIRED: 'expired',
  NOT_YET_VALID: 'not_yet_valid',
}

function verdict(
  file: string,
  errors: Finding<VerificationCode>[],
  warnings: Finding<WarningCode>[],
  license: LicenseFields | null,
  signer: SignerInfo | null,
): LicenseVerdict {
  const first = errors[0]
  const status: LicenseStatus = first ? (STATUS_BY_CODE[first.code] ?? 'invalid') : 'valid'
  return {file, valid: status === 'valid', status, errors, warnings, license, signer}
}

function finding(code: VerificationCode, detail: string): Finding<VerificationCode> {
  return {code, message: withDetail(code, detail)}
}

function withDetail(code: VerificationCode | WarningCode, detail: string): string {
  return `${messages.license.codes[code]} (${detail})`
}

function findingOf(error: unknown, step: VerificationCode): Finding<VerificationCode> {
  if (error instanceof LicenseCheckError) return finding(error.code, error.detail)
  // A hostile file must never crash the batch: anything unforeseen is a refusal of the step that ran.
  const reason = error instanceof Error ? error.message : String(error)
  return finding(step, messages.license.details.verifierFailure(reason))
}
