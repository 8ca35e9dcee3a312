import {DSIG_NS} from './namespaces.js'

/**
 * Exclusive XML canonicalization (without comments, empty PrefixList) over an xmldom tree (or the same tree
 * from fast-xml.ts): a port of what
 * xml-crypto 6.3's `ExclusiveCanonicalization` outputs, quirks included, so that the digest and the signed bytes
 * are the ones the straightforward xml-crypto path computes. That they are byte-identical is not assumed but
 * tested on every corpus file (test/unit/signature-engines.test.ts).
 *
 * The quirks kept on purpose, because a different byte would be a different verdict:
 * - an attribute whose name merely starts with "xmlns" is never rendered;
 * - namespace declarations are ordered with `localeCompare`;
 * - a processing instruction's data is written as if it were text.
 *
 * Shapes it does not cover (a namespace URI that would need escaping, which xml-crypto writes raw; an empty text
 * node, on which it throws) throw `OutsideFastPath`; the caller then hands the file to xml-crypto itself.
 */
export class OutsideFastPath extends Error {}

interface Binding {
  prefix: string
  namespaceURI: string | null
}

const ELEMENT_NODE = 1
const COMMENT_NODE = 8
/** What xml-crypto's `SignedXml.defaultNsForPrefix` supplies for a prefix without a namespace. */
const DEFAULT_NS_FOR_PREFIX = new Map([['ds', DSIG_NS]])

/** The canonical form of `element` with `omit` (the enveloped signature, if any) left out. */
export function canonicalize(element: Element, omit?: Node): string {
  const out: string[] = []
  renderNode(element, [], '', omit, out)
  return out.join('')
}

function renderNode(
  node: Node,
  prefixesInScope: Binding[],
  defaultNs: string | null,
  omit: Node | undefined,
  out: string[],
): void {
  if (node.nodeType === COMMENT_NODE) return
  const data = (node as CharacterData).data
  if (data) {
    out.push(encodeText(data))
    return
  }
  if (node.nodeType !== ELEMENT_NODE) {
    // xml-crypto throws "Unable to exclusive canonicalize node type" here (an empty text node, say).
    throw new OutsideFastPath(`node type ${node.nodeType}`)
  }
  const element = node as Element
  out.push('<', element.tagName)
  const newDefaultNs = renderNamespaces(element, prefixesInScope, defaultNs, out)
  renderAttributes(element, out)
  out.push('>')
  for (let child = element.firstChild; child; child = child.nextSibling) {
    if (child === omit) continue
    renderNode(child, prefixesInScope.slice(0), newDefaultNs, omit, out)
  }
  out.push('</', element.tagName, '>')
}

function renderNamespaces(
  element: Element,
  prefixesInScope: Binding[],
  defaultNs: string | null,
  out: string[],
): string | null {
  let newDefaultNs = defaultNs
  const toRender: Binding[] = []
  const ownNs = element.namespaceURI || ''
  if (element.prefix) {
    const namespaceURI = element.namespaceURI || DEFAULT_NS_FOR_PREFIX.get(element.prefix)
    if (namespaceURI === undefined) throw new OutsideFastPath(`unbound prefix ${element.prefix}`)
    if (!isPrefixInScope(prefixesInScope, element.prefix, namespaceURI)) {
      const binding = {prefix: element.prefix, namespaceURI}
      toRender.push(binding)
      prefixesInScope.push(binding)
    }
  } else if (defaultNs !== ownNs) {
    newDefaultNs = element.namespaceURI
    out.push(' xmlns="', unescapedUri(element.namespaceURI), '"')
  }
  const attributes = element.attributes
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i] as Attr
    const prefix = attribute.prefix
    if (
      prefix &&
      prefix !== 'xmlns' &&
      prefix !== 'xml' &&
      !isPrefixInScope(prefixesInScope, prefix, attribute.namespaceURI)
    ) {
      const binding = {prefix, namespaceURI: attribute.namespaceURI}
      toRender.push(binding)
      prefixesInScope.push(binding)
    }
  }
  if (toRender.length > 1)
    toRender.sort((a, b) => (a.prefix === b.prefix ? 0 : a.prefix.localeCompare(b.prefix)))
  for (const binding of toRender)
    out.push(' xmlns:', binding.prefix, '="', unescapedUri(binding.namespaceURI), '"')
  return newDefaultNs
}

/** xml-crypto writes namespace URIs as they are; one that would need escaping is left to it. */
function unescapedUri(uri: string | null): string {
  if (uri && /[&<"]/.test(uri)) throw new OutsideFastPath('namespace URI needs escaping')
  return uri ?? ''
}

/** The last binding of a prefix shadows the earlier ones. */
function isPrefixInScope(prefixesInScope: Binding[], prefix: string, namespaceURI: string | null): boolean {
  for (let i = prefixesInScope.length - 1; i >= 0; i--) {
    const binding = prefixesInScope[i] as Binding
    if (binding.prefix === prefix) return binding.namespaceURI === namespaceURI
  }
  return false
}

function renderAttributes(element: Element, out: string[]): void {
  const attributes = element.attributes
  const toRender: Attr[] = []
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i] as Attr
    if (!attribute.name.startsWith('xmlns')) toRender.push(attribute)
  }
  if (toRender.length > 1) toRender.sort(compareAttributes)
  for (const attribute of toRender) out.push(' ', attribute.name, '="', encodeAttribute(attribute.value), '"')
}

function compareAttributes(a: Attr, b: Attr): number {
  if (!a.namespaceURI && b.namespaceURI) return -1
  if (!b.namespaceURI && a.namespaceURI) return 1
  // As xml-crypto compares them: the namespace (or "null") and the local name, as one string.
  const left = `${a.namespaceURI}${a.localName}`
  const right = `${b.namespaceURI}${b.localName}`
  return left === right ? 0 : left < right ? -1 : 1
}

const TEXT_ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;'}
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\r': '&#xD;',
  '\n': '&#xA;',
  '\t': '&#x9;',
}

function encodeText(text: string): string {
  return /[&<>\r]/.test(text) ? text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string) : text
}

function encodeAttribute(value: string): string {
  return /[&<"\r\n\t]/.test(value)
    ? value.replace(/[&<"\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c] as string)
    : value
}
