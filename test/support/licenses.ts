import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {SignatureAlgorithmName, DigestAlgorithmName} from '../../src/lib/license/algorithms.js'
import {buildLicenseXml, type LicenseDraft, type LicenseLayout} from '../../src/lib/license/document.js'
import {signXml} from '../../src/lib/license/xmldsig.js'
import {issue, type Issued} from './pki.js'

export const DRAFT: LicenseDraft = {
  licenseId: '6f1c2a9e-0b7d-4d51-9a53-3f0e8c7d1b22',
  edition: 'premium',
  company: 'Müller & Söhne GmbH',
  partnerId: 'P-10042',
  issuedAt: '2026-01-15T09:00:00Z',
  validFrom: '2026-01-15T00:00:00Z',
  validUntil: '2027-12-31T23:59:59Z',
  maxCustomers: 250,
  features: ['dashboard', 'warning-details'],
}

/** A fixed instant inside DRAFT's validity, far from its end: tests never depend on today's date. */
export const AT = '2026-06-01T12:00:00Z'

export interface SignSpec {
  draft?: Partial<LicenseDraft>
  layout?: LicenseLayout
  signer?: Issued
  /** Intermediates to put in KeyInfo after the signer. */
  chain?: Issued[]
  signatureAlgorithm?: SignatureAlgorithmName
  digestAlgorithm?: DigestAlgorithmName
  reference?: '' | 'id'
  dsPrefix?: string
}

export interface World {
  root: Issued
  intermediate: Issued
  /** Signed directly by the root. */
  signer: Issued
  /** Signed by the intermediate. */
  intermediateSigner: Issued
  ecSigner: Issued
  foreignRoot: Issued
  foreignSigner: Issued
  dir: string
  rootPem: string
  sign(spec?: SignSpec): string
  write(name: string, content: string | Buffer): string
}

let world: Promise<World> | undefined

/** One PKI for the whole run (key generation is the slow part); each test writes its own files. */
export function getWorld(): Promise<World> {
  world ??= makeWorld()
  return world
}

async function makeWorld(): Promise<World> {
  const root = await issue({subject: 'CN=tcrmm Test License Root, O=timeCard Test', ca: true})
  const intermediate = await issue({subject: 'CN=tcrmm Test Intermediate', ca: true, issuer: root})
  const signer = await issue({subject: 'CN=tcrmm Test License Signer', issuer: root})
  const intermediateSigner = await issue({
    subject: 'CN=tcrmm Test Signer via Intermediate',
    issuer: intermediate,
  })
  const ecSigner = await issue({subject: 'CN=tcrmm Test EC Signer', key: 'p256', issuer: root})
  const foreignRoot = await issue({subject: 'CN=Evil Root', ca: true})
  const foreignSigner = await issue({subject: 'CN=tcrmm Test License Signer', issuer: foreignRoot})
  const dir = mkdtempSync(join(tmpdir(), 'tcrmm-test-'))
  const rootPem = join(dir, 'root.pem')
  writeFileSync(rootPem, root.pem)
  const sign = (spec: SignSpec = {}) => {
    const who = spec.signer ?? signer
    const isEc = (who.keys.privateKey.algorithm as KeyAlgorithm).name === 'ECDSA'
    return signXml(buildLicenseXml({...DRAFT, ...spec.draft}, spec.layout), {
      privateKey: who.privateKey,
      certificatesPem: [who, ...(spec.chain ?? [])].map((c) => c.pem).join(''),
      signatureAlgorithm: spec.signatureAlgorithm ?? (isEc ? 'ecdsa-sha256' : 'rsa-sha256'),
      digestAlgorithm: spec.digestAlgorithm ?? 'sha256',
      reference: spec.reference ?? '',
      prefix: spec.dsPrefix,
    })
  }
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }
  return {
    root,
    intermediate,
    signer,
    intermediateSigner,
    ecSigner,
    foreignRoot,
    foreignSigner,
    dir,
    rootPem,
    sign,
    write,
  }
}
