import type {BinaryLike, KeyLike, KeyObject} from 'node:crypto'
import {createRequire} from 'node:module'
import type {HashAlgorithm, SignatureAlgorithm, SignedXml} from 'xml-crypto'

import {messages} from '../messages/index.js'
import {
  DIGEST_ALGORITHM_URIS,
  type DigestAlgorithmName,
  digestBase64,
  SIGNATURE_ALGORITHM_URIS,
  type SignatureAlgorithmName,
  signatureValue,
  verifySignatureValue,
} from './algorithms.js'
import {LicenseCheckError} from './codes.js'
import {ENVELOPED_SIGNATURE, EXC_C14N} from './namespaces.js'
import type {SignatureProfile} from './profile.js'

type XmlCrypto = typeof import('xml-crypto')
let xmlCryptoModule: XmlCrypto | undefined
/**
 * xml-crypto (with xpath) is loaded on first use, synchronously (it is CommonJS): a license whose signature the
 * fast path in signature-check.ts handles never needs it, and loading it costs about 10 ms of every start-up.
 */
function xmlCrypto(): XmlCrypto {
  xmlCryptoModule ??= createRequire(import.meta.url)('xml-crypto') as XmlCrypto
  return xmlCryptoModule
}

function hashClass(name: DigestAlgorithmName): new () => HashAlgorithm {
  return class implements HashAlgorithm {
    getHash(xml: string): string {
      return digestBase64(name, xml)
    }
    getAlgorithmName(): string {
      return DIGEST_ALGORITHM_URIS[name]
    }
  }
}

function signatureClass(name: SignatureAlgorithmName): new () => SignatureAlgorithm {
  const {createOptionalCallbackFunction} = xmlCrypto()
  return class implements SignatureAlgorithm {
    getSignature = createOptionalCallbackFunction((signedInfo: BinaryLike, privateKey: KeyLike): string =>
      signatureValue(name, signedInfo, privateKey),
    )
    verifySignature = createOptionalCallbackFunction(
      (material: string, key: KeyLike, value: string): boolean =>
        verifySignatureValue(name, material, key, value),
    )
    getAlgorithmName(): string {
      return SIGNATURE_ALGORITHM_URIS[name]
    }
  }
}

let algorithmClasses:
  | {hash: Record<string, new () => HashAlgorithm>; signature: Record<string, new () => SignatureAlgorithm>}
  | undefined
function allowListedClasses() {
  algorithmClasses ??= {
    hash: Object.fromEntries(
      (Object.keys(DIGEST_ALGORITHM_URIS) as DigestAlgorithmName[]).map((n) => [
        DIGEST_ALGORITHM_URIS[n],
        hashClass(n),
      ]),
    ),
    signature: Object.fromEntries(
      (Object.keys(SIGNATURE_ALGORITHM_URIS) as SignatureAlgorithmName[]).map((n) => [
        SIGNATURE_ALGORITHM_URIS[n],
        signatureClass(n),
      ]),
    ),
  }
  return algorithmClasses
}

/**
 * The only module that touches xml-crypto. Every instance gets the allow-listed algorithms only, and never takes
 * a key from KeyInfo: the key is the one of the certificate that chained to a trusted root.
 */
function allowListed(options: ConstructorParameters<typeof SignedXml>[0]): SignedXml {
  const {SignedXml, ExclusiveCanonicalization} = xmlCrypto()
  const signedXml = new SignedXml({...options, getCertFromKeyInfo: () => null})
  const enveloped = signedXml.CanonicalizationAlgorithms[ENVELOPED_SIGNATURE]
  if (!enveloped) throw new Error('xml-crypto lacks the enveloped-signature transform')
  signedXml.CanonicalizationAlgorithms = {
    [EXC_C14N]: ExclusiveCanonicalization,
    [ENVELOPED_SIGNATURE]: enveloped,
  }
  const classes = allowListedClasses()
  signedXml.HashAlgorithms = {...classes.hash}
  signedXml.SignatureAlgorithms = {...classes.signature}
  return signedXml
}

/**
 * Step 4: the digest of the referenced License element, then the signature value over SignedInfo with
 * `signerKey`. Returns the canonical XML that was signed; every field is read from that and nothing else.
 */
export function verifySignature(xml: string, profile: SignatureProfile, signerKey: KeyObject): string {
  const d = messages.license.details
  const signedXml = allowListed({publicCert: signerKey})
  let referencesValid: boolean
  try {
    signedXml.loadSignature(profile.signature)
    referencesValid = signedXml.checkSignature(xml)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (reason.startsWith('invalid signature: the signature value')) {
      const expectedKeyType = profile.signatureAlgorithm.startsWith('rsa') ? 'rsa' : 'ec'
      const detail = signerKey.asymmetricKeyType === expectedKeyType ? d.signatureValue : d.keyMismatch
      throw new LicenseCheckError('SIGNATURE_INVALID', detail)
    }
    throw new LicenseCheckError('SIGNATURE_INVALID', d.verifierFailure(reason))
  }
  if (!referencesValid) throw new LicenseCheckError('DIGEST_MISMATCH', d.digest)
  const signed = signedXml.getSignedReferences()
  if (signed.length !== 1 || !signed[0]) throw new LicenseCheckError('SIGNATURE_INVALID', d.signatureValue)
  return signed[0]
}

export interface SignOptions {
  /** PEM or KeyObject of the signing key. */
  privateKey: KeyObject | string
  /** PEM certificates for KeyInfo: the signing certificate first, then intermediates. */
  certificatesPem: string
  signatureAlgorithm: SignatureAlgorithmName
  digestAlgorithm: DigestAlgorithmName
  /** `''` signs with `URI=""`; `'id'` with `URI="#<Id of the root>"` (the root must have an Id). */
  reference: '' | 'id'
  /** Namespace prefix of the signature elements; `''` for a default namespace. */
  prefix?: string
}

/** Signs a license document in the profile: enveloped, exclusive c14n, one reference to the root. */
export function signXml(xml: string, options: SignOptions): string {
  const signedXml = allowListed({
    privateKey: options.privateKey,
    publicCert: options.certificatesPem,
    signatureAlgorithm: SIGNATURE_ALGORITHM_URIS[options.signatureAlgorithm],
    canonicalizationAlgorithm: EXC_C14N,
  })
  signedXml.addReference({
    xpath: '/*',
    transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
    digestAlgorithm: DIGEST_ALGORITHM_URIS[options.digestAlgorithm],
    isEmptyUri: options.reference === '',
  })
  signedXml.computeSignature(xml, {
    prefix: options.prefix ?? 'ds',
    location: {reference: '/*', action: 'append'},
  })
  return signedXml.getSignedXml()
}
