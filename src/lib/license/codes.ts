/** The verification codes of license-format.md, in the order the checks run. */
export const VERIFICATION_CODES = [
  'FILE_TOO_LARGE',
  'FILE_UNREADABLE',
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
  'REVOKED',
  'NOT_YET_VALID',
  'EXPIRED',
  'EDITION_MISMATCH',
  'COMPANY_MISMATCH',
] as const

export type VerificationCode = (typeof VERIFICATION_CODES)[number]
export type WarningCode = 'EXPIRES_SOON'

/** A check that failed: the code says which step, the detail says what exactly (user-facing, from the catalog). */
export class LicenseCheckError extends Error {
  constructor(
    readonly code: VerificationCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`)
    this.name = 'LicenseCheckError'
  }
}
