import {DOMParser} from '@xmldom/xmldom'
import {XMLValidator} from 'fast-xml-parser'

import {messages} from '../messages/index.js'
import {LicenseCheckError} from './codes.js'

/**
 * Strict XML for hostile files, before any cryptography: UTF-8 only, no DTD of any kind, well-formed, exactly one
 * root element and nothing but comments, processing instructions and white space around it.
 *
 * Two parsers must agree: fast-xml-parser's validator (tag structure, attributes, stray text) and xmldom 0.8 with
 * every warning treated as fatal (entities, names). xml-crypto later parses the same string with the same xmldom,
 * so the document we check is the document it verifies.
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf]

/** Decodes the file bytes: optional UTF-8 BOM, UTF-8 only, declared encoding UTF-8 or none. */
export function decodeXml(bytes: Uint8Array): string {
  const d = messages.license.details
  if (bytes.length === 0) throw new LicenseCheckError('MALFORMED_XML', d.empty)
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new LicenseCheckError('MALFORMED_XML', d.utf16)
  }
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? 3 : 0
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes.subarray(start))
  } catch {
    throw new LicenseCheckError('MALFORMED_XML', d.notUtf8)
  }
  const declaration = /^<\?xml\s[^?]*\?>/.exec(text)
  const encoding = declaration && /\sencoding\s*=\s*["']([^"']*)["']/.exec(declaration[0])
  if (encoding && !/^utf-?8$/i.test(encoding[1] ?? '')) {
    throw new LicenseCheckError('MALFORMED_XML', d.encodingDeclared(encoding[1] ?? ''))
  }
  return text
}

/** Characters XML 1.0 never allows, literally or as a character reference (fast-xml.ts applies it too). */
export const INVALID_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Markup that belongs to a DTD. Comments and CDATA are removed first so their text cannot trigger it. */
const DTD_MARKUP = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i

/**
 * The text with comments and CDATA sections cut out, in one linear pass (a lazy regex would be quadratic on a
 * hostile file of unterminated `<!--`). An unterminated section swallows the rest; the parsers reject it anyway.
 */
function withoutCommentsAndCdata(text: string): string {
  const parts: string[] = []
  let position = 0
  let nextComment = -2
  let nextCdata = -2
  while (position < text.length) {
    if (nextComment !== -1 && nextComment < position) nextComment = text.indexOf('<!--', position)
    if (nextCdata !== -1 && nextCdata < position) nextCdata = text.indexOf('<![CDATA[', position)
    const isComment = nextComment !== -1 && (nextCdata === -1 || nextComment < nextCdata)
    const start = isComment ? nextComment : nextCdata
    if (start === -1) break
    parts.push(text.slice(position, start))
    const end = isComment ? text.indexOf('-->', start + 4) : text.indexOf(']]>', start + 9)
    if (end === -1) return parts.join('')
    position = end + 3
  }
  parts.push(text.slice(position))
  return parts.join('')
}

function rejectDtd(markup: string): void {
  const d = messages.license.details
  const match = DTD_MARKUP.exec(markup)
  if (match) {
    const kind = (match[1] ?? '').toUpperCase()
    throw new LicenseCheckError('DTD_FORBIDDEN', kind === 'DOCTYPE' ? d.doctype : d.entityDeclaration)
  }
}

/** Parses text that has passed `decodeXml` into a DOM, or throws MALFORMED_XML / DTD_FORBIDDEN. */
export function parseStrictXml(text: string): Document {
  const d = messages.license.details
  const markup = withoutCommentsAndCdata(text)
  rejectDtd(markup)
  const invalid = INVALID_XML_CHAR.exec(text)
  if (invalid) throw new LicenseCheckError('MALFORMED_XML', d.invalidChar(codePointLabel(invalid[0])))
  if (/<\?xml[\s?]/i.test(markup.slice(1))) throw new LicenseCheckError('MALFORMED_XML', d.lateDeclaration)

  const validation = XMLValidator.validate(text, {allowBooleanAttributes: false})
  if (validation !== true) {
    throw new LicenseCheckError(
      'MALFORMED_XML',
      d.parser(`${validation.err.msg} (line ${validation.err.line})`),
    )
  }

  const fail = (message: string): never => {
    throw new LicenseCheckError('MALFORMED_XML', d.parser(cleanXmldomMessage(message)))
  }
  const doc = new DOMParser({
    errorHandler: {warning: fail, error: fail, fatalError: fail},
  }).parseFromString(text, 'text/xml')

  let elements = 0
  for (let node = doc.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) elements++
    else if (node.nodeType === node.DOCUMENT_TYPE_NODE)
      throw new LicenseCheckError('DTD_FORBIDDEN', d.doctype)
    else if (node.nodeType === node.TEXT_NODE && (node.nodeValue ?? '').trim() !== '') {
      throw new LicenseCheckError('MALFORMED_XML', d.textOutsideRoot)
    } else if (node.nodeType === node.CDATA_SECTION_NODE || node.nodeType === node.ENTITY_REFERENCE_NODE) {
      throw new LicenseCheckError('MALFORMED_XML', d.textOutsideRoot)
    }
  }
  if (elements === 0 || !doc.documentElement) throw new LicenseCheckError('MALFORMED_XML', d.noRoot)
  if (elements > 1) throw new LicenseCheckError('MALFORMED_XML', d.multipleRoots)
  checkNodes(doc.documentElement)
  return doc
}

/** A license is about eight levels deep; far deeper nesting only serves to exhaust recursive code later. */
export const MAX_DEPTH = 64

/** Every prefix bound, no absurd nesting, and no forbidden character smuggled in through a character reference. */
function checkNodes(root: Element): void {
  const d = messages.license.details
  const stack: Array<[Node, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Node, number]
    if (depth > MAX_DEPTH) throw new LicenseCheckError('MALFORMED_XML', d.tooDeep(MAX_DEPTH))
    if (node.nodeType === node.ELEMENT_NODE) {
      const element = node as Element
      if (element.prefix && !element.namespaceURI) {
        throw new LicenseCheckError('MALFORMED_XML', d.unboundPrefix(element.prefix))
      }
      for (let i = 0; i < element.attributes.length; i++) {
        const attribute = element.attributes.item(i) as Attr
        if (attribute.prefix && attribute.prefix !== 'xmlns' && !attribute.namespaceURI) {
          throw new LicenseCheckError('MALFORMED_XML', d.unboundPrefix(attribute.prefix))
        }
        rejectInvalidChars(attribute.value)
      }
    } else if (node.nodeValue !== null) {
      rejectInvalidChars(node.nodeValue)
    }
    for (let child = node.firstChild; child; child = child.nextSibling) stack.push([child, depth + 1])
  }
}

function rejectInvalidChars(value: string): void {
  const invalid = INVALID_XML_CHAR.exec(value)
  if (invalid) {
    throw new LicenseCheckError(
      'MALFORMED_XML',
      messages.license.details.invalidChar(codePointLabel(invalid[0])),
    )
  }
}

function codePointLabel(char: string): string {
  return 'U+' + (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
}

function cleanXmldomMessage(message: string): string {
  return String(message)
    .replace(/^\[xmldom \w+\]\s*/, '')
    .replace(/\s*@#\[line:.*$/s, '')
    .trim()
}
