import type {X509Certificate} from 'node:crypto'

import {messages} from '../messages/index.js'
import {ALLOWED_CURVES, MIN_RSA_BITS} from './algorithms.js'
import {LicenseCheckError} from './codes.js'
import {certificateFromBase64, distinguishedName, keyUsageOf} from './x509.js'

const MAX_CHAIN_LENGTH = 6

/**
 * Parsed certificates by their base64 text: a batch of licenses from one issuer carries the same few
 * certificates, and parsing (and later chain-checking) them once is what keeps a batch fast. Bounded.
 */
const parsedCertificates = new Map<string, X509Certificate>()
const PARSED_CACHE_LIMIT = 256

/** Parses the KeyInfo certificates (signing certificate first) or throws CERT_INVALID. */
export function parseKeyInfoCertificates(base64Certificates: string[]): X509Certificate[] {
  return base64Certificates.map((base64, index) => {
    const cached = parsedCertificates.get(base64)
    if (cached) return cached
    let certificate: X509Certificate
    try {
      certificate = certificateFromBase64(base64)
    } catch {
      throw new LicenseCheckError('CERT_INVALID', messages.license.details.certUnparseable(index))
    }
    if (parsedCertificates.size >= PARSED_CACHE_LIMIT) parsedCertificates.clear()
    parsedCertificates.set(base64, certificate)
    return certificate
  })
}

/**
 * The profile's key rules: RSA of at least 2048 bits or ECDSA on an allowed curve. Whether the key fits the
 * signature method is part of the signature value check (step 4, SIGNATURE_INVALID).
 */
export function checkSignerKey(signer: X509Certificate): void {
  const d = messages.license.details
  const key = signer.publicKey
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0
    if (bits < MIN_RSA_BITS) throw new LicenseCheckError('UNSUPPORTED_ALGORITHM', d.rsaTooSmall(bits))
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'unknown'
    if (!ALLOWED_CURVES.has(curve))
      throw new LicenseCheckError('UNSUPPORTED_ALGORITHM', d.curveUnsupported(curve))
  } else {
    throw new LicenseCheckError(
      'UNSUPPORTED_ALGORITHM',
      d.keyTypeUnsupported(key.asymmetricKeyType ?? 'unknown'),
    )
  }
}

/**
 * Builds the path from the signing certificate through KeyInfo intermediates to one of `trustedRoots`, checking
 * every signature on the way. Returns it signer first, root last; UNTRUSTED_SIGNER when there is none.
 */
export function buildChain(
  certificates: X509Certificate[],
  trustedRoots: X509Certificate[],
): X509Certificate[] {
  const d = messages.license.details
  const [signer, ...intermediates] = certificates
  if (!signer) throw new LicenseCheckError('UNTRUSTED_SIGNER', d.noCertificate)
  const chain = [signer]
  for (;;) {
    const current = chain[chain.length - 1] as X509Certificate
    if (trustedRoots.some((root) => root.fingerprint256 === current.fingerprint256)) return chain
    const root = trustedRoots.find((candidate) => issuedBy(current, candidate))
    if (root) return [...chain, root]
    if (chain.length >= MAX_CHAIN_LENGTH) throw new LicenseCheckError('UNTRUSTED_SIGNER', d.chainTooLong)
    const issuer = intermediates.find(
      (candidate) => !chain.includes(candidate) && issuedBy(current, candidate),
    )
    if (!issuer) throw new LicenseCheckError('UNTRUSTED_SIGNER', d.noChain(distinguishedName(signer.subject)))
    chain.push(issuer)
  }
}

/**
 * Whether `issuer` signed `certificate`, remembered per pair of (cached, hence identical) certificate objects:
 * in a batch from one issuer, checking the same signature for every file cost more than verifying the license.
 */
const issuedByMemo = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>()

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  let byIssuer = issuedByMemo.get(certificate)
  if (!byIssuer) issuedByMemo.set(certificate, (byIssuer = new WeakMap()))
  let issued = byIssuer.get(issuer)
  if (issued === undefined) {
    try {
      issued = certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey)
    } catch {
      issued = false
    }
    byIssuer.set(issuer, issued)
  }
  return issued
}

/**
 * Certificate rules of step 3: each certificate valid at the license's IssuedAt; every issuer below the root a CA
 * allowed to sign certificates; the signer allowed to make digital signatures when it has a KeyUsage.
 */
export function checkChain(chain: X509Certificate[], issuedAt: Date | undefined): void {
  const d = messages.license.details
  const [signer] = chain
  if (!signer) return
  if (issuedAt) {
    for (const certificate of chain) {
      const from = new Date(certificate.validFrom)
      const to = new Date(certificate.validTo)
      if (issuedAt < from || issuedAt > to) {
        throw new LicenseCheckError(
          'CERT_INVALID',
          d.certNotValidAt(distinguishedName(certificate.subject), issuedAt.toISOString()),
        )
      }
    }
  }
  const signerUsage = keyUsageOf(signer)
  if (signerUsage && !signerUsage.digitalSignature)
    throw new LicenseCheckError('CERT_INVALID', d.leafKeyUsage)
  // The certificates between the signer and the root (exclusive) must be CAs; the root is the caller's choice.
  for (const issuer of chain.slice(1, -1)) {
    if (!issuer.ca) throw new LicenseCheckError('CERT_INVALID', d.caNotCa(distinguishedName(issuer.subject)))
    const usage = keyUsageOf(issuer)
    if (usage && !usage.keyCertSign)
      throw new LicenseCheckError('CERT_INVALID', d.caKeyUsage(distinguishedName(issuer.subject)))
  }
}
