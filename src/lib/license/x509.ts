import {X509Certificate} from 'node:crypto'
import type forge from 'node-forge'
// Only forge's ASN.1 reader (and the byte buffer it reads from): the whole of node-forge costs ~15 ms to load,
// paid by every `license verify`.
import asn1 from 'node-forge/lib/asn1.js'
import util from 'node-forge/lib/util.js'

/** The KeyUsage bits we check; `undefined` when the certificate has no KeyUsage extension. */
export interface KeyUsage {
  digitalSignature: boolean
  keyCertSign: boolean
}

const KEY_USAGE_OID = '2.5.29.15'

/** Strict DER, BIT STRINGs left as bytes (forge's typings omit the options object that its reader takes). */
const fromDer = (bytes: forge.util.ByteStringBuffer): forge.asn1.Asn1 =>
  (asn1.fromDer as unknown as (b: forge.util.ByteStringBuffer, o: object) => forge.asn1.Asn1)(bytes, {
    strict: true,
    decodeBitStrings: false,
  })

/**
 * Reads the KeyUsage extension, which node:crypto does not expose. node-forge's certificate API handles RSA keys
 * only, so this walks the DER with its generic ASN.1 reader, which works for every key type.
 */
export function keyUsageOf(certificate: X509Certificate): KeyUsage | undefined {
  if (keyUsages.has(certificate)) return keyUsages.get(certificate)
  const usage = readKeyUsage(certificate)
  keyUsages.set(certificate, usage)
  return usage
}

const keyUsages = new WeakMap<X509Certificate, KeyUsage | undefined>()

function readKeyUsage(certificate: X509Certificate): KeyUsage | undefined {
  const root = fromDer(util.createBuffer(certificate.raw.toString('binary')))
  const tbs = (root.value as forge.asn1.Asn1[])[0]
  const explicitExtensions = (tbs?.value as forge.asn1.Asn1[] | undefined)?.find(
    (node) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === 3,
  )
  const extensions = ((explicitExtensions?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value ??
    []) as forge.asn1.Asn1[]
  for (const extension of extensions) {
    const parts = extension.value as forge.asn1.Asn1[]
    if (asn1.derToOid(parts[0]?.value as string) !== KEY_USAGE_OID) continue
    const octets = parts[parts.length - 1]?.value
    const der =
      typeof octets === 'string'
        ? octets
        : asn1.toDer((octets as forge.asn1.Asn1[])[0] as forge.asn1.Asn1).getBytes()
    const bits = fromDer(util.createBuffer(der)).value as string
    const first = bits.length > 1 ? bits.charCodeAt(1) : 0 // byte 0 counts the unused bits
    return {digitalSignature: (first & 0x80) !== 0, keyCertSign: (first & 0x04) !== 0}
  }
  return undefined
}

/** `CN=a, O=b` instead of node's one-attribute-per-line form. */
export function distinguishedName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ')
}

export function certificateFromBase64(base64: string): X509Certificate {
  return new X509Certificate(Buffer.from(base64, 'base64'))
}
