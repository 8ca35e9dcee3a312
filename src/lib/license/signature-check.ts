import type {KeyObject} from 'node:crypto'

import {messages} from '../messages/index.js'
import {digestBase64, verifySignatureValue} from './algorithms.js'
import {LicenseCheckError} from './codes.js'
import {canonicalize, OutsideFastPath} from './exc-c14n.js'
import type {SignatureProfile} from './profile.js'

const ELEMENT_NODE = 1
const TEXT_NODE = 3
const CDATA_SECTION_NODE = 4
const PROCESSING_INSTRUCTION_NODE = 7
const COMMENT_NODE = 8

/**
 * Step 4 without xml-crypto: the same two checks on the document the profile check already parsed, instead of
 * xml-crypto re-parsing it, cloning it and running XPath over it (that was three quarters of the time per file).
 *
 * It gives the verdict the straightforward path (`verifySignature` in xmldsig.ts) gives, with the same codes and
 * details, and returns the same canonical bytes; test/unit/signature-engines.test.ts holds it to that on every
 * corpus file. For a shape it does not cover it returns `undefined`, and the caller asks xml-crypto. What it
 * covers, the canonical form renders node for node (only comments and the signature left out), so the caller
 * may read the fields from the tree it passed.
 */
export function checkSignatureFast(
  root: Element,
  profile: SignatureProfile,
  signerKey: KeyObject,
): string | undefined {
  try {
    return check(root, profile, signerKey)
  } catch (error) {
    if (error instanceof OutsideFastPath) return undefined
    throw error
  }
}

function check(root: Element, profile: SignatureProfile, signerKey: KeyObject): string {
  const d = messages.license.details
  const {signature} = profile
  const parts = signatureParts(signature)
  assertCovered(root)

  // As xml-crypto: the digest of the referenced element first (enveloped signature removed), then the value.
  const referenced = canonicalize(root, signature)
  const digest = digestBase64(profile.digestAlgorithm, referenced)
  if (!Buffer.from(digest, 'base64').equals(Buffer.from(parts.digestValue, 'base64'))) {
    throw new LicenseCheckError('DIGEST_MISMATCH', d.digest)
  }
  const signedInfo = canonicalize(parts.signedInfo)
  const value = parts.signatureValue.replace(/\r?\n/g, '')
  if (!verifySignatureValue(profile.signatureAlgorithm, signedInfo, signerKey, value)) {
    const expectedKeyType = profile.signatureAlgorithm.startsWith('rsa') ? 'rsa' : 'ec'
    const detail = signerKey.asymmetricKeyType === expectedKeyType ? d.signatureValue : d.keyMismatch
    throw new LicenseCheckError('SIGNATURE_INVALID', detail)
  }
  return referenced
}

interface SignatureParts {
  signedInfo: Element
  digestValue: string
  signatureValue: string
}

/** The profile has fixed the structure; this picks its parts and refuses what xml-crypto would read otherwise. */
function signatureParts(signature: Element): SignatureParts {
  const [signedInfo, signatureValue] = childElements(signature)
  const [c14nMethod, , reference] = childElements(signedInfo)
  const [transforms, , digestValue] = childElements(reference)
  const [, c14nTransform] = childElements(transforms)
  // An InclusiveNamespaces PrefixList changes what xml-crypto renders: left to xml-crypto.
  if (childElements(c14nMethod).length > 0 || childElements(c14nTransform).length > 0) {
    throw new OutsideFastPath('InclusiveNamespaces')
  }
  return {
    signedInfo: signedInfo as Element,
    digestValue: onlyText(digestValue),
    signatureValue: onlyText(signatureValue),
  }
}

/**
 * xml-crypto reads DigestValue from the canonical SignedInfo and SignatureValue from its first text node;
 * both are the same text when that text is the element's only child.
 */
function onlyText(element: Element | undefined): string {
  const child = element?.firstChild
  if (!child || child.nextSibling || child.nodeType !== TEXT_NODE) throw new OutsideFastPath('value shape')
  return (child as Text).data
}

/** Nodes the port renders exactly as xml-crypto does; anything else goes to xml-crypto. */
function assertCovered(root: Element): void {
  for (let child = root.firstChild; child; child = child.nextSibling) {
    // xml-crypto takes an InclusiveNamespaces list from a CanonicalizationMethod child of the referenced element.
    if (child.nodeType === ELEMENT_NODE && (child as Element).localName === 'CanonicalizationMethod') {
      throw new OutsideFastPath('CanonicalizationMethod in the license')
    }
  }
  const stack: Node[] = [root]
  while (stack.length > 0) {
    const node = stack.pop() as Node
    switch (node.nodeType) {
      case ELEMENT_NODE:
        for (let child = node.firstChild; child; child = child.nextSibling) stack.push(child)
        break
      case TEXT_NODE:
      case CDATA_SECTION_NODE:
        if (!(node as CharacterData).data) throw new OutsideFastPath('empty character data')
        break
      case PROCESSING_INSTRUCTION_NODE:
        // xml-crypto renders its data as text: canonical bytes and tree would tell different fields.
        throw new OutsideFastPath('processing instruction')
      case COMMENT_NODE:
        break
      default:
        throw new OutsideFastPath(`node type ${node.nodeType}`)
    }
  }
}

function childElements(parent: Node | undefined): Element[] {
  const children: Element[] = []
  for (let node = parent?.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) children.push(node as Element)
  }
  return children
}
