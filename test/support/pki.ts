/**
 * Test PKIs made fresh in every run with @peculiar/x509 (pure JS over WebCrypto; node-forge cannot make EC
 * certificates). Nothing here is committed: every key and certificate is generated.
 */
import * as x509 from '@peculiar/x509'
import {createPrivateKey, type KeyObject, webcrypto} from 'node:crypto'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

export type KeySpec = 'rsa2048' | 'rsa3072' | 'rsa1024' | 'p256' | 'p384' | 'k256'

export interface Issued {
  certificate: x509.X509Certificate
  pem: string
  keys: CryptoKeyPair
  privateKey: KeyObject
}

const HASH = {
  rsa2048: 'SHA-256',
  rsa3072: 'SHA-256',
  rsa1024: 'SHA-256',
  p256: 'SHA-256',
  p384: 'SHA-384',
  k256: 'SHA-256',
}

function algorithm(spec: KeySpec): RsaHashedKeyGenParams | EcKeyGenParams {
  if (spec.startsWith('rsa')) {
    return {
      name: 'RSASSA-PKCS1-v1_5',
      hash: HASH[spec],
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: Number(spec.slice(3)),
    }
  }
  return {
    name: 'ECDSA',
    namedCurve: {p256: 'P-256', p384: 'P-384', k256: 'K-256'}[spec as 'p256'],
    hash: HASH[spec],
  } as EcKeyGenParams
}

function signingAlgorithm(spec: KeySpec) {
  return spec.startsWith('rsa')
    ? {name: 'RSASSA-PKCS1-v1_5', hash: HASH[spec]}
    : {name: 'ECDSA', hash: HASH[spec]}
}

export interface CertOptions {
  subject: string
  key?: KeySpec
  issuer?: Issued
  ca?: boolean
  notBefore?: Date
  notAfter?: Date
  /** KeyUsage flags; `null` for no KeyUsage extension. */
  keyUsage?: number | null
}

let serial = 1

export async function issue(options: CertOptions): Promise<Issued> {
  const spec = options.key ?? 'rsa2048'
  const keys = (await webcrypto.subtle.generateKey(algorithm(spec), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const ca = options.ca ?? false
  const usage =
    options.keyUsage === undefined
      ? ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature
      : options.keyUsage
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(ca, undefined, true)]
  if (usage !== null) extensions.push(new x509.KeyUsagesExtension(usage, true))
  const issuerSpec = options.issuer ? specOf(options.issuer) : spec
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    subject: options.subject,
    issuer: options.issuer?.certificate.subject ?? options.subject,
    notBefore: options.notBefore ?? new Date('2020-01-01T00:00:00Z'),
    notAfter: options.notAfter ?? new Date('2099-12-31T23:59:59Z'),
    signingAlgorithm: signingAlgorithm(issuerSpec),
    publicKey: keys.publicKey,
    signingKey: options.issuer?.keys.privateKey ?? keys.privateKey,
    extensions,
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  return {
    certificate,
    pem: certificate.toString('pem') + '\n',
    keys,
    privateKey: createPrivateKey({key: pkcs8, format: 'der', type: 'pkcs8'}),
  }
}

function specOf(issued: Issued): KeySpec {
  const alg = issued.keys.privateKey.algorithm as RsaHashedKeyAlgorithm & EcKeyAlgorithm
  if (alg.name === 'ECDSA') return alg.namedCurve === 'P-384' ? 'p384' : 'p256'
  return alg.modulusLength >= 3072 ? 'rsa3072' : 'rsa2048'
}

export {x509}
