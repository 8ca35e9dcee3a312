import {messages} from '../messages/index.js'
import {
  DIGEST_ALGORITHMS,
  type DigestAlgorithmName,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithmName,
} from './algorithms.js'
import {LicenseCheckError} from './codes.js'
import {DSIG_NS, ENVELOPED_SIGNATURE, EXC_C14N, LICENSE_NS} from './namespaces.js'

/** What the strict profile check found: the one signature and what step 3 and 4 need from it. */
export interface SignatureProfile {
  signature: Element
  signatureAlgorithm: SignatureAlgorithmName
  digestAlgorithm: DigestAlgorithmName
  /** Base64 DER, signing certificate first, then the intermediates, as KeyInfo lists them. */
  certificates: string[]
}

const ID_ATTRIBUTES = new Set(['Id', 'ID', 'id'])
/** Names xml-crypto looks up by local name anywhere in the document: none may stand outside the signature. */
const DSIG_LOCAL_NAMES = new Set(['Signature', 'SignedInfo', 'SignatureValue', 'KeyInfo', 'Reference'])
const PLAIN_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/
const BASE64 = /^[A-Za-z0-9+/=\s]+$/

const violation = (detail: string) => new LicenseCheckError('PROFILE_VIOLATION', detail)
const unsupported = (what: string, uri: string) =>
  new LicenseCheckError('UNSUPPORTED_ALGORITHM', messages.license.details.algorithm(what, uri))

/**
 * Step 2 of the verification: the strict signature profile of license-format.md. Everything outside it is
 * refused here, before any certificate or digest is looked at, whatever a generic XML-DSig library would accept.
 */
export function checkSignatureProfile(doc: Document): SignatureProfile {
  const d = messages.license.details
  const root = doc.documentElement
  if (root.namespaceURI !== LICENSE_NS || root.localName !== 'License') {
    throw violation(d.notALicense(clark(root)))
  }

  const signatures = allElements(root).filter(
    (e) => e.namespaceURI === DSIG_NS && e.localName === 'Signature',
  )
  if (signatures.length === 0) throw new LicenseCheckError('SIGNATURE_MISSING', d.noSignature)
  if (signatures.length > 1) throw violation(d.twoSignatures(signatures.length))
  const signature = signatures[0] as Element
  if (signature.parentNode !== root) throw violation(d.signatureNotChildOfRoot)
  for (const element of allElements(root)) {
    if (isInside(element, signature)) continue
    if (element.namespaceURI === DSIG_NS || DSIG_LOCAL_NAMES.has(element.localName)) {
      throw violation(d.dsigOutsideSignature(element.tagName))
    }
  }

  const [signedInfo, signatureValue, keyInfo] = expectChildren(signature, [
    'SignedInfo',
    'SignatureValue',
    'KeyInfo',
  ])
  const [c14nMethod, signatureMethod, ...references] = dsigChildren(signedInfo) as (Element | undefined)[]
  expectName(c14nMethod, 'CanonicalizationMethod', signedInfo)
  expectName(signatureMethod, 'SignatureMethod', signedInfo)
  if (references.length !== 1) {
    references.forEach((r) => expectName(r, 'Reference', signedInfo))
    throw violation(d.referenceCount(references.length))
  }
  const reference = references[0] as Element
  expectName(reference, 'Reference', signedInfo)

  checkCanonicalization(c14nMethod, d.canonicalization)
  const signatureUri = signatureMethod.getAttribute('Algorithm') ?? ''
  const signatureAlgorithm = SIGNATURE_ALGORITHMS.get(signatureUri)
  if (!signatureAlgorithm) throw unsupported(d.signatureMethod, signatureUri)
  expectNoChildren(signatureMethod)

  const digestAlgorithm = checkReference(doc, reference)
  expectBase64(signatureValue)

  return {signature, signatureAlgorithm, digestAlgorithm, certificates: certificatesOf(keyInfo)}
}

function checkReference(doc: Document, reference: Element): DigestAlgorithmName {
  const d = messages.license.details
  if (!reference.hasAttribute('URI')) throw violation(d.referenceNoUri)
  if (reference.hasAttribute('Type')) throw violation(d.referenceType)
  checkReferenceUri(doc, reference.getAttribute('URI') ?? '')

  const [transforms, digestMethod, digestValue] = expectChildren(reference, [
    'Transforms',
    'DigestMethod',
    'DigestValue',
  ])
  const transformList = dsigChildren(transforms)
  for (const transform of transformList) {
    expectName(transform, 'Transform', transforms)
    const uri = transform.getAttribute('Algorithm') ?? ''
    if (uri !== ENVELOPED_SIGNATURE && uri !== EXC_C14N) throw unsupported(d.transform, uri)
  }
  const [first, second] = transformList
  if (transformList.length !== 2 || first?.getAttribute('Algorithm') !== ENVELOPED_SIGNATURE) {
    throw violation(d.transforms)
  }
  expectNoChildren(first)
  checkCanonicalization(second as Element, d.transform)

  const digestUri = digestMethod.getAttribute('Algorithm') ?? ''
  const digestAlgorithm = DIGEST_ALGORITHMS.get(digestUri)
  if (!digestAlgorithm) throw unsupported(d.digestMethod, digestUri)
  expectNoChildren(digestMethod)
  expectBase64(digestValue)
  return digestAlgorithm
}

/** `URI=""`, or `#Id` where Id is the root's and no other element anywhere carries that value as an id. */
function checkReferenceUri(doc: Document, uri: string): void {
  const d = messages.license.details
  if (uri === '') return
  const root = doc.documentElement
  const rootId = root.getAttribute('Id')
  if (!uri.startsWith('#') || rootId === null || uri.slice(1) !== rootId) throw violation(d.referenceUri(uri))
  if (!PLAIN_ID.test(rootId)) throw violation(d.badIdValue(rootId))
  let occurrences = 0
  for (const element of allElements(root)) {
    for (let i = 0; i < element.attributes.length; i++) {
      const attribute = element.attributes[i] as Attr
      if (ID_ATTRIBUTES.has(attribute.localName) && attribute.value === rootId) occurrences++
    }
  }
  if (occurrences !== 1) throw violation(d.duplicateId(rootId))
}

/** Exclusive c14n without comments; its only allowed child is an InclusiveNamespaces PrefixList. */
function checkCanonicalization(element: Element, what: string): void {
  const uri = element.getAttribute('Algorithm') ?? ''
  if (uri !== EXC_C14N) throw unsupported(what, uri)
  for (const child of elementChildren(element)) {
    if (child.namespaceURI !== EXC_C14N || child.localName !== 'InclusiveNamespaces') {
      throw violation(messages.license.details.unexpectedElement(child.tagName, element.tagName))
    }
    expectNoChildren(child)
  }
}

function certificatesOf(keyInfo: Element): string[] {
  const d = messages.license.details
  // KeyName, KeyValue or RetrievalMethod may stand beside X509Data; they are never used.
  const x509Data = dsigChildren(keyInfo, true).filter((e) => e.localName === 'X509Data')
  if (x509Data.length !== 1) throw violation(d.noCertificate)
  const certificates = dsigChildren(x509Data[0] as Element, true).filter(
    (e) => e.localName === 'X509Certificate',
  )
  if (certificates.length === 0) throw violation(d.noCertificate)
  return certificates.map((certificate) => {
    expectBase64(certificate)
    return (certificate.textContent ?? '').replace(/\s+/g, '')
  })
}

function expectChildren<N extends string[]>(parent: Element, names: [...N]): {[K in keyof N]: Element} {
  const d = messages.license.details
  const children = dsigChildren(parent)
  children.forEach((child, i) => {
    if (child.localName === 'Object') throw violation(d.objectForbidden)
    if (child.localName !== names[i]) throw violation(d.unexpectedElement(child.tagName, parent.tagName))
  })
  if (children.length < names.length)
    throw violation(d.missingElement(names[children.length] ?? '', parent.tagName))
  return children as {[K in keyof N]: Element}
}

function expectName(element: Element | undefined, name: string, parent: Element): asserts element is Element {
  const d = messages.license.details
  if (!element) throw violation(d.missingElement(name, parent.tagName))
  if (element.localName === 'Object' || element.localName === 'Manifest') throw violation(d.objectForbidden)
  if (element.localName !== name) throw violation(d.unexpectedElement(element.tagName, parent.tagName))
}

/** Element children in the XML-DSig namespace; anything else (other elements, text) breaks the profile. */
function dsigChildren(parent: Element, allowForeign = false): Element[] {
  const children = elementChildren(parent)
  if (!allowForeign) {
    for (const child of children) {
      if (child.namespaceURI !== DSIG_NS) {
        throw violation(messages.license.details.unexpectedElement(child.tagName, parent.tagName))
      }
    }
  }
  return children.filter((child) => child.namespaceURI === DSIG_NS)
}

function elementChildren(parent: Element): Element[] {
  const children: Element[] = []
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) children.push(node as Element)
    else if (
      (node.nodeType === node.TEXT_NODE || node.nodeType === node.CDATA_SECTION_NODE) &&
      /\S/.test(node.nodeValue ?? '')
    ) {
      if (!isTextElement(parent)) throw violation(messages.license.details.textInStructure(parent.tagName))
    }
  }
  return children
}

/** The signature elements whose content is text. */
function isTextElement(element: Element): boolean {
  return (
    [
      'DigestValue',
      'SignatureValue',
      'X509Certificate',
      'KeyName',
      'X509SubjectName',
      'X509IssuerName',
      'X509SerialNumber',
      'X509SKI',
      'Modulus',
      'Exponent',
      'X',
    ].includes(element.localName) || element.namespaceURI !== DSIG_NS
  )
}

function expectNoChildren(element: Element): void {
  const [child] = elementChildren(element)
  if (child) throw violation(messages.license.details.unexpectedElement(child.tagName, element.tagName))
}

function expectBase64(element: Element): void {
  expectNoChildren(element)
  if (!BASE64.test(element.textContent ?? ''))
    throw violation(messages.license.details.badBase64(element.tagName))
}

export function allElements(root: Element): Element[] {
  const result: Element[] = []
  const stack: Element[] = [root]
  while (stack.length > 0) {
    const element = stack.pop() as Element
    result.push(element)
    for (let node = element.lastChild; node; node = node.previousSibling) {
      if (node.nodeType === node.ELEMENT_NODE) stack.push(node as Element)
    }
  }
  return result
}

function isInside(element: Element, ancestor: Element): boolean {
  for (let node: Node | null = element; node; node = node.parentNode) if (node === ancestor) return true
  return false
}

function clark(element: Element): string {
  return element.namespaceURI ? `{${element.namespaceURI}}${element.localName}` : element.localName
}
