import {INVALID_XML_CHAR} from './strict-xml.js'

/**
 * A small, strict XML parser for the common shape of a license file, building a tree with exactly the nodes and
 * properties xmldom 0.8 builds for the same text (the subset of the DOM that profile.ts, fields.ts, exc-c14n.ts
 * and signature-check.ts read). xmldom took two thirds of the time per file; this takes a fraction of it.
 *
 * It never refuses a file: whatever it does not recognise as plainly well-formed — a DOCTYPE, a processing
 * instruction, a name outside ASCII, an entity other than the five predefined ones, an unbound prefix, deep
 * nesting, a stray `&`, `<` or `]]>` — makes it return `undefined`, and the caller runs the strict two-parser
 * check of strict-xml.ts, which then gives the verdict and its message. So it must only be *sound*: what it
 * accepts, strict-xml.ts accepts too, into the same tree. test/unit/fast-xml.test.ts compares the two trees
 * node for node on every corpus file and on thousands of mutated license files.
 */

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'
const XML_NS = 'http://www.w3.org/XML/1998/namespace'

/** Deeper than any license (about 5 levels): declined well before strict-xml.ts's limit of 64. */
const MAX_DEPTH = 32

// White space is XML's [ \t\n] (line ends are normalised first), never JavaScript's \s, which has more.
const XML_DECLARATION =
  /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.0"|'1\.0')(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/
const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y
const ATTRIBUTE =
  /[ \t\n]+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[ \t\n]*=[ \t\n]*(?:"([^"<]*)"|'([^'<]*)')/y
const TAG_END = /[ \t\n]*(\/?)>/y
const END_TAG_REST = /[ \t\n]*>/y
const WHITESPACE = /[ \t\n]*/y

const PREDEFINED: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"}

abstract class FastNode {
  abstract readonly nodeType: number
  parentNode: FastNode | null = null
  firstChild: FastNode | null = null
  lastChild: FastNode | null = null
  nextSibling: FastNode | null = null
  previousSibling: FastNode | null = null

  appendChild(child: FastNode): void {
    child.parentNode = this
    if (this.lastChild) {
      this.lastChild.nextSibling = child
      child.previousSibling = this.lastChild
    } else {
      this.firstChild = child
    }
    this.lastChild = child
  }
}

// The node type constants xmldom's nodes carry (`node.ELEMENT_NODE`), which the readers of the tree use.
const NODE_TYPES = {
  ELEMENT_NODE: 1,
  ATTRIBUTE_NODE: 2,
  TEXT_NODE: 3,
  CDATA_SECTION_NODE: 4,
  ENTITY_REFERENCE_NODE: 5,
  PROCESSING_INSTRUCTION_NODE: 7,
  COMMENT_NODE: 8,
  DOCUMENT_NODE: 9,
  DOCUMENT_TYPE_NODE: 10,
}
Object.assign(FastNode.prototype, NODE_TYPES)

class FastCharacterData extends FastNode {
  constructor(
    readonly nodeType: 3 | 4 | 8,
    public data: string,
  ) {
    super()
  }
  get nodeValue(): string {
    return this.data
  }
  get textContent(): string {
    return this.data
  }
}

interface FastAttribute {
  name: string
  localName: string
  prefix: string | null
  namespaceURI: string | undefined
  value: string
  nodeValue: string
}

class FastElement extends FastNode {
  readonly nodeType = 1
  readonly nodeValue = null
  constructor(
    readonly tagName: string,
    readonly localName: string,
    readonly prefix: string | null,
    readonly namespaceURI: string | undefined,
    readonly attributes: FastAttribute[],
  ) {
    super()
  }
  get nodeName(): string {
    return this.tagName
  }
  /** As xmldom: '' for an attribute that is not there. */
  getAttribute(name: string): string {
    for (const attribute of this.attributes) if (attribute.name === name) return attribute.value
    return ''
  }
  hasAttribute(name: string): boolean {
    return this.attributes.some((attribute) => attribute.name === name)
  }
  /** As xmldom: the text of every descendant, without comments. */
  get textContent(): string {
    let text = ''
    for (let node = this.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== 8) text += (node as FastElement | FastCharacterData).textContent
    }
    return text
  }
}

class FastDocument extends FastNode {
  readonly nodeType = 9
  documentElement: FastElement | null = null
}

/** Namespace bindings in scope: prefix ('' for the default) to URI, inherited through the prototype chain. */
type Scope = Record<string, string>
const ROOT_SCOPE: Scope = Object.assign(Object.create(null) as Scope, {xml: XML_NS})

/** The tree of `text` (decoded by decodeXml), or undefined where strict-xml.ts must decide. */
export function parseFastXml(input: string): Document | undefined {
  // xmldom turns U+0085 and U+2028 into line ends too, which the other parser of strict-xml.ts does not.
  if (/[\u0085\u2028]/.test(input)) return undefined
  // XML's line-end normalisation (xmldom's), before anything else.
  const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input
  if (INVALID_XML_CHAR.test(text)) return undefined
  const declaration = text.startsWith('<?xml') ? XML_DECLARATION.exec(text) : null
  if (text.startsWith('<?xml') && !declaration) return undefined
  let position = declaration ? declaration[0].length : 0

  const doc = new FastDocument()
  let current: FastDocument | FastElement = doc
  const scopes: Scope[] = [ROOT_SCOPE]
  let depth = 0

  while (position < text.length) {
    const lt = text.indexOf('<', position)
    if (depth === 0) {
      // Outside the root: white space and comments only.
      WHITESPACE.lastIndex = position
      WHITESPACE.exec(text)
      if (WHITESPACE.lastIndex === text.length) break
      if (WHITESPACE.lastIndex !== lt) return undefined
    } else {
      if (lt === -1) return undefined
      if (lt > position) {
        const data = decodeText(text.slice(position, lt))
        if (data === undefined) return undefined
        // xmldom normalises the document at the end: adjacent text (around an empty CDATA section) is one node.
        const last = current.lastChild
        if (last?.nodeType === 3) (last as FastCharacterData).data += data
        else current.appendChild(new FastCharacterData(3, data))
      }
    }
    position = lt
    const next = text.charCodeAt(lt + 1)
    if (next === 0x2f /* / */) {
      if (depth === 0) return undefined
      const element = current as FastElement
      if (!text.startsWith(element.tagName, lt + 2)) return undefined
      END_TAG_REST.lastIndex = lt + 2 + element.tagName.length
      if (!END_TAG_REST.test(text)) return undefined
      position = END_TAG_REST.lastIndex
      current = element.parentNode as FastDocument | FastElement
      scopes.pop()
      depth--
    } else if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4)
        if (end === -1) return undefined
        const data = text.slice(lt + 4, end)
        if (data.includes('--') || data.endsWith('-')) return undefined
        if (depth > 0) current.appendChild(new FastCharacterData(8, data))
        position = end + 3
      } else if (depth > 0 && text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9)
        if (end === -1) return undefined
        // xmldom adds no node for an empty section.
        if (end > lt + 9) current.appendChild(new FastCharacterData(4, text.slice(lt + 9, end)))
        position = end + 3
      } else {
        return undefined // a DOCTYPE or anything else declared
      }
    } else {
      if (depth === 0 && doc.documentElement) return undefined // a second root
      if (depth >= MAX_DEPTH) return undefined
      const parsed = parseStartTag(text, lt + 1, scopes[scopes.length - 1] as Scope)
      if (!parsed) return undefined
      const {element, scope, selfClosing} = parsed
      current.appendChild(element)
      if (depth === 0) doc.documentElement = element
      position = parsed.end
      if (!selfClosing) {
        current = element
        scopes.push(scope)
        depth++
      }
    }
  }
  if (depth !== 0 || !doc.documentElement) return undefined
  return doc as unknown as Document
}

function parseStartTag(
  text: string,
  start: number,
  parentScope: Scope,
): {element: FastElement; scope: Scope; selfClosing: boolean; end: number} | undefined {
  NAME.lastIndex = start
  const tagName = NAME.exec(text)?.[0]
  if (!tagName) return undefined
  let position = NAME.lastIndex
  const raw: Array<[string, string]> = []
  for (;;) {
    ATTRIBUTE.lastIndex = position
    const match = ATTRIBUTE.exec(text)
    if (!match) break
    const value = decodeAttribute((match[2] ?? match[3]) as string)
    if (value === undefined) return undefined
    raw.push([match[1] as string, value])
    position = ATTRIBUTE.lastIndex
  }
  TAG_END.lastIndex = position
  const close = TAG_END.exec(text)
  if (!close) return undefined

  // Namespace declarations first: they apply to the element's own name and attributes.
  let scope = parentScope
  for (const [name, value] of raw) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      const prefix = name === 'xmlns' ? '' : name.slice(6)
      if (prefix === 'xml' || prefix === 'xmlns' || (prefix !== '' && value === '')) return undefined
      if (scope === parentScope) scope = Object.create(parentScope) as Scope
      scope[prefix] = value
    }
  }
  const attributes: FastAttribute[] = []
  const seen = new Set<string>()
  for (const [name, value] of raw) {
    const colon = name.indexOf(':')
    let prefix: string | null = null
    let localName = name
    let namespaceURI: string | undefined
    if (name === 'xmlns') {
      namespaceURI = XMLNS_NS
    } else if (colon !== -1) {
      prefix = name.slice(0, colon)
      localName = name.slice(colon + 1)
      namespaceURI = prefix === 'xmlns' ? XMLNS_NS : scope[prefix]
      if (namespaceURI === undefined) return undefined // an unbound prefix
    }
    // The same name twice, or the same namespace and local name under two prefixes.
    const expanded = `${namespaceURI ?? ''}\u0000${localName}`
    if (seen.has(name) || seen.has(expanded)) return undefined
    seen.add(name).add(expanded)
    attributes.push({name, localName, prefix, namespaceURI, value, nodeValue: value})
  }
  const colon = tagName.indexOf(':')
  const prefix = colon === -1 ? null : tagName.slice(0, colon)
  if (prefix === 'xmlns' || prefix === 'xml') return undefined
  const namespaceURI = scope[prefix ?? '']
  if (prefix !== null && namespaceURI === undefined) return undefined
  const localName = colon === -1 ? tagName : tagName.slice(colon + 1)
  const element = new FastElement(tagName, localName, prefix, namespaceURI, attributes)
  return {element, scope, selfClosing: close[1] === '/', end: TAG_END.lastIndex}
}

/** Character data with its references resolved; undefined for `]]>`, a stray `&` or an unknown entity. */
function decodeText(raw: string): string | undefined {
  if (raw.includes(']]>')) return undefined
  return decodeReferences(raw)
}

/** As xmldom: literal tab and line feed become spaces, then references are resolved. */
function decodeAttribute(raw: string): string | undefined {
  return decodeReferences(raw.replace(/[\t\n]/g, ' '))
}

function decodeReferences(raw: string): string | undefined {
  if (!raw.includes('&')) return raw
  let valid = true
  const decoded = raw.replace(/&([^&;]*)(;?)/g, (_, body: string, semicolon: string) => {
    const value = semicolon ? resolveReference(body) : undefined
    if (value === undefined) valid = false
    return value ?? ''
  })
  return valid ? decoded : undefined
}

function resolveReference(body: string): string | undefined {
  if (Object.hasOwn(PREDEFINED, body)) return PREDEFINED[body]
  let code: number
  if (/^#[0-9]{1,7}$/.test(body)) code = Number.parseInt(body.slice(1), 10)
  else if (/^#x[0-9A-Fa-f]{1,6}$/.test(body)) code = Number.parseInt(body.slice(2), 16)
  else return undefined
  if (code > 0x10ffff) return undefined
  const char = String.fromCodePoint(code)
  return INVALID_XML_CHAR.test(char) ? undefined : char
}
