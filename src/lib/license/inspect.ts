import {messages} from '../messages/index.js'
import {type ClaimedFields, claimedFields, type LicenseFields, readRawLicense} from './fields.js'
import {LICENSE_NS} from './namespaces.js'
import {readLicenseBytes} from './read-file.js'
import {decodeXml, parseStrictXml} from './strict-xml.js'
import type {TrustMaterial} from './trust.js'
import {type LicenseVerdict, type SignerInfo, verifyLicenseFile} from './verify.js'

/** `license inspect --json`: the fields, and whether they are what a trusted root signed (`verified`). */
export interface InspectReport {
  file: string
  verified: boolean
  /** Why the fields are unverified; null when verified. */
  reason: string | null
  verification: Pick<LicenseVerdict, 'status' | 'errors' | 'warnings'>
  /** Signed fields when verified; otherwise what the file claims, as raw text; null when unreadable. */
  fields: LicenseFields | ClaimedFields | null
  signer: SignerInfo | null
}

const NO_TRUST: TrustMaterial = {roots: [], revokedLicenseIds: new Set(), source: ''}

/** Verifies when trust roots are given, and shows the file's claims, clearly unverified, when it cannot. */
export async function inspectLicense(
  path: string,
  file: string,
  options: {trust: TrustMaterial | undefined; at: Date},
): Promise<InspectReport> {
  const verdict = await verifyLicenseFile(path, file, {trust: options.trust ?? NO_TRUST, at: options.at})
  const verification = {status: verdict.status, errors: verdict.errors, warnings: verdict.warnings}
  if (verdict.license) {
    return {file, verified: true, reason: null, verification, fields: verdict.license, signer: verdict.signer}
  }
  const reason = options.trust
    ? (verdict.errors[0]?.message ?? messages.license.inspect.notReadable)
    : messages.license.inspect.noTrustRoot
  return {file, verified: false, reason, verification, fields: claimsOf(path), signer: null}
}

/** What the file claims, read from the raw document; never reported as fact. */
function claimsOf(path: string): ClaimedFields | null {
  try {
    const root = parseStrictXml(decodeXml(readLicenseBytes(path))).documentElement
    if (root.namespaceURI !== LICENSE_NS || root.localName !== 'License') return null
    return claimedFields(readRawLicense(root))
  } catch {
    return null
  }
}
