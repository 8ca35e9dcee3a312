import {generateKeyPairSync, randomBytes, randomUUID} from 'node:crypto'
import forge from 'node-forge'

import {buildLicenseXml} from '../lib/license/document.js'
import {signXml} from '../lib/license/xmldsig.js'
import type {IssuedLicense, PartnerRecord, PkiRecord} from './store.js'

/**
 * The sandbox license CA: a root and a signing certificate, built with node-forge. The RSA keys come from
 * node:crypto (native, fast); forge only assembles and signs the certificates. The root key is dropped after
 * signing: the sandbox never needs it again.
 */
export function createSandboxPki(now: Date = new Date()): PkiRecord {
  const root = generateKeyPairSync('rsa', {modulusLength: 2048})
  const signer = generateKeyPairSync('rsa', {modulusLength: 2048})
  const rootKey = forge.pki.privateKeyFromPem(
    root.privateKey.export({type: 'pkcs1', format: 'pem'}) as string,
  )
  const rootSubject = [
    {name: 'commonName', value: 'tcrmm Sandbox License Root'},
    {name: 'organizationName', value: 'tcrmm sandbox (not for production)'},
  ]
  const notBefore = new Date(now.getTime() - 24 * 3_600_000)
  const rootCert = certificate({
    publicKeyPem: root.publicKey.export({type: 'spki', format: 'pem'}) as string,
    subject: rootSubject,
    issuer: rootSubject,
    notBefore,
    notAfter: new Date(now.getTime() + 20 * 365 * 86_400_000),
    extensions: [
      {name: 'basicConstraints', cA: true, critical: true},
      {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
      {name: 'subjectKeyIdentifier'},
    ],
    signingKey: rootKey,
  })
  const signerCert = certificate({
    publicKeyPem: signer.publicKey.export({type: 'spki', format: 'pem'}) as string,
    subject: [
      {name: 'commonName', value: 'tcrmm Sandbox License Signer'},
      {name: 'organizationName', value: 'tcrmm sandbox (not for production)'},
    ],
    issuer: rootSubject,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000),
    extensions: [
      {name: 'basicConstraints', cA: false, critical: true},
      {name: 'keyUsage', digitalSignature: true, critical: true},
      {name: 'subjectKeyIdentifier'},
    ],
    signingKey: rootKey,
  })
  return {
    rootCertPem: forge.pki.certificateToPem(rootCert),
    signerCertPem: forge.pki.certificateToPem(signerCert),
    signerKeyPem: signer.privateKey.export({type: 'pkcs8', format: 'pem'}) as string,
  }
}

interface CertificateSpec {
  publicKeyPem: string
  subject: forge.pki.CertificateField[]
  issuer: forge.pki.CertificateField[]
  notBefore: Date
  notAfter: Date
  extensions: object[]
  signingKey: forge.pki.rsa.PrivateKey
}

function certificate(spec: CertificateSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem)
  // A positive serial of 16 random bytes (leading 0x01 keeps DER from reading it as negative).
  cert.serialNumber = '01' + randomBytes(15).toString('hex')
  cert.validity.notBefore = spec.notBefore
  cert.validity.notAfter = spec.notAfter
  cert.setSubject(spec.subject)
  cert.setIssuer(spec.issuer)
  cert.setExtensions(spec.extensions)
  cert.sign(spec.signingKey, forge.md.sha256.create())
  return cert
}

/** A license of the partner in exactly the format and profile of license-format.md, signed by the sandbox CA. */
export function issueLicense(
  pki: PkiRecord,
  partner: PartnerRecord,
  edition: 'standard' | 'premium',
  now: Date = new Date(),
): IssuedLicense {
  const licenseId = randomUUID()
  const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const xml = buildLicenseXml({
    licenseId,
    edition,
    company: partner.company,
    partnerId: partner.partnerId,
    issuedAt: iso(now),
    validUntil: iso(new Date(now.getTime() + 2 * 365 * 86_400_000)),
    maxCustomers: edition === 'premium' ? 1000 : 25,
    features: edition === 'premium' ? ['dashboard', 'warning-details'] : ['dashboard'],
  })
  const signed = signXml(xml, {
    privateKey: pki.signerKeyPem,
    certificatesPem: pki.signerCertPem,
    signatureAlgorithm: 'rsa-sha256',
    digestAlgorithm: 'sha256',
    reference: '',
  })
  return {licenseId, xml: signed}
}
