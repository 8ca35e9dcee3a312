import {
  type BinaryLike,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyLike,
  KeyObject,
  sign,
  verify,
} from 'node:crypto'

/**
 * The algorithms of the strict profile, and nothing else: these maps are the allow-list that every SignedXml
 * instance gets, so SHA-1, HMAC, DSA, PSS and inclusive c14n are unknown to the verifier, not merely discouraged.
 */
export type SignatureAlgorithmName =
  'rsa-sha256' | 'rsa-sha384' | 'rsa-sha512' | 'ecdsa-sha256' | 'ecdsa-sha384'
export type DigestAlgorithmName = 'sha256' | 'sha384' | 'sha512'

const MORE = 'http://www.w3.org/2001/04/xmldsig-more#'
const XMLENC = 'http://www.w3.org/2001/04/xmlenc#'

export const SIGNATURE_ALGORITHM_URIS: Record<SignatureAlgorithmName, string> = {
  'rsa-sha256': `${MORE}rsa-sha256`,
  'rsa-sha384': `${MORE}rsa-sha384`,
  'rsa-sha512': `${MORE}rsa-sha512`,
  'ecdsa-sha256': `${MORE}ecdsa-sha256`,
  'ecdsa-sha384': `${MORE}ecdsa-sha384`,
}

export const DIGEST_ALGORITHM_URIS: Record<DigestAlgorithmName, string> = {
  sha256: `${XMLENC}sha256`,
  sha384: `${MORE}sha384`,
  sha512: `${XMLENC}sha512`,
}

export const SIGNATURE_ALGORITHMS = new Map(
  Object.entries(SIGNATURE_ALGORITHM_URIS).map(([name, uri]) => [uri, name as SignatureAlgorithmName]),
)
export const DIGEST_ALGORITHMS = new Map(
  Object.entries(DIGEST_ALGORITHM_URIS).map(([name, uri]) => [uri, name as DigestAlgorithmName]),
)

/** Elliptic curves allowed for ECDSA signers, by their OpenSSL names. */
export const ALLOWED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1'])
export const MIN_RSA_BITS = 2048

/** Base64 digest of the UTF-8 text, as XML-DSig's DigestValue carries it. */
export function digestBase64(name: DigestAlgorithmName, text: string): string {
  return createHash(name).update(text, 'utf8').digest('base64')
}

function familyOf(name: SignatureAlgorithmName): {hash: string; keyType: 'rsa' | 'ec'; ieee: boolean} {
  const [family, hash] = name.split('-') as ['rsa' | 'ecdsa', string]
  return {hash, keyType: family === 'rsa' ? 'rsa' : 'ec', ieee: family === 'ecdsa'}
}

/**
 * RSA PKCS#1 v1.5 or ECDSA with the signature as r‖s (XML-DSig 1.1 §6.4.3, "ieee-p1363" in Node). The key must
 * be of the family the method names: an EC key never verifies an "rsa-…" signature, nor the other way round.
 */
export function verifySignatureValue(
  name: SignatureAlgorithmName,
  material: string,
  key: KeyLike,
  signatureValueBase64: string,
): boolean {
  const {hash, keyType, ieee} = familyOf(name)
  const publicKey = key instanceof KeyObject ? key : createPublicKey(key)
  if (publicKey.asymmetricKeyType !== keyType) return false
  return verify(
    hash,
    Buffer.from(material, 'utf8'),
    ieee ? {key: publicKey, dsaEncoding: 'ieee-p1363'} : {key: publicKey},
    Buffer.from(signatureValueBase64, 'base64'),
  )
}

/** The base64 SignatureValue over `material`, with the same rules as `verifySignatureValue`. */
export function signatureValue(
  name: SignatureAlgorithmName,
  material: BinaryLike,
  privateKey: KeyLike,
): string {
  const {hash, keyType, ieee} = familyOf(name)
  const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey)
  if (key.asymmetricKeyType !== keyType) throw new Error(`${name} needs an ${keyType} key`)
  return sign(
    hash,
    Buffer.from(material as string),
    ieee ? {key, dsaEncoding: 'ieee-p1363'} : {key},
  ).toString('base64')
}
