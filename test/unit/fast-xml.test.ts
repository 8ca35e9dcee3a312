/**
 * The fast parser (fast-xml.ts) must be sound: every text it accepts, strict-xml.ts accepts too, into the same
 * tree, node for node and property for property (as the verifier reads them). It may decline anything; the
 * strict parser then decides. Checked on every corpus file and on thousands of seeded mutations.
 */
import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {parseFastXml} from '../../src/lib/license/fast-xml.js'
import {decodeXml, parseStrictXml} from '../../src/lib/license/strict-xml.js'
import {CORPUS_DIR, xmlFilesBelow} from '../support/corpus.js'
import {getWorld} from '../support/licenses.js'

/** Everything the verifier reads from a tree, as text. */
function dump(node: Node, out: string[] = []): string[] {
  const element = node as Element
  switch (node.nodeType) {
    case node.ELEMENT_NODE: {
      const attributes = Array.from({length: element.attributes.length}, (_, i) => {
        const a = element.attributes[i] as Attr
        return [a.name, a.localName, a.prefix, String(a.namespaceURI), a.value, a.nodeValue]
      })
      out.push(
        JSON.stringify({
          element: [
            element.tagName,
            element.nodeName,
            element.localName,
            element.prefix,
            String(element.namespaceURI),
          ],
          attributes,
          lookups: ['Id', 'URI', 'Algorithm', 'Type', 'PrefixList'].map((n) => [
            element.getAttribute(n),
            element.hasAttribute(n),
          ]),
          textContent: element.textContent,
          nodeValue: element.nodeValue,
          links: [Boolean(node.firstChild), Boolean(node.lastChild), node.parentNode?.nodeType],
        }),
      )
      for (let child = node.firstChild; child; child = child.nextSibling) {
        expect(child.parentNode).to.equal(node)
        expect(child.previousSibling?.nextSibling ?? node.firstChild).to.equal(child)
        dump(child, out)
      }
      out.push('end')
      break
    }
    default:
      out.push(JSON.stringify([node.nodeType, node.nodeValue, node.textContent, node.ELEMENT_NODE]))
  }
  return out
}

function strictTree(text: string): string[] | Error {
  try {
    return dump(parseStrictXml(text).documentElement)
  } catch (error) {
    return error as Error
  }
}

/** Fails when the fast parser accepts `text` into anything but the strict parser's tree. */
function compare(text: string, label: string): boolean {
  const fast = parseFastXml(text)
  if (!fast) return false
  const strict = strictTree(text)
  if (strict instanceof Error)
    expect.fail(
      `${label}: the fast parser accepts what strict-xml refuses (${strict.message})` +
        (process.env.FAST_XML_DEBUG ? `\n${JSON.stringify(text)}` : ''),
    )
  const ours = dump(fast.documentElement)
  const differs = ours.findIndex((line, i) => line !== strict[i])
  if (differs !== -1 || ours.length !== strict.length) {
    const at = differs === -1 ? Math.min(ours.length, strict.length) : differs
    expect.fail(
      `${label}\nfirst difference at node ${at}:\n  fast:   ${ours.slice(at, at + 3).join('\n')}\n  strict: ${strict.slice(at, at + 3).join('\n')}`,
    )
  }
  return true
}

describe('fast XML parser vs strict-xml', function () {
  this.timeout(120_000)

  it('builds the strict tree for every corpus file it accepts', () => {
    let accepted = 0
    for (const file of xmlFilesBelow(CORPUS_DIR)) {
      let text: string
      try {
        text = decodeXml(readFileSync(file))
      } catch {
        continue
      }
      if (compare(text, file)) accepted++
    }
    expect(accepted).to.be.greaterThan(150)
  })

  it('builds the strict tree for every one of 20000 seeded mutations it accepts', async () => {
    const w = await getWorld()
    const corpus = xmlFilesBelow(CORPUS_DIR)
      .slice(0, 60)
      .map((file) => readFileSync(file, 'utf8'))
    const seeds = [
      w.sign(),
      w.sign({layout: {prefix: 'lic'}}),
      w.sign({dsPrefix: ''}),
      w.sign({reference: 'id'}),
      w.sign({layout: {newline: '\r\n'}}),
      w.sign({draft: {company: 'Ünïcödé & <Co> "GmbH" \u{1F600}'}}),
      ...corpus,
    ]
    const fragments = [
      '<',
      '>',
      '&',
      '&amp;',
      '&lt;',
      '&#x0;',
      '&#xD;',
      '&#9;',
      '&#65;',
      '&#x1F600;',
      '&#X41;',
      '&nbsp;',
      '&#;',
      ']]>',
      '<!--',
      '-->',
      '<!-- c -->',
      '<!---->',
      '<!-- a--b -->',
      '<![CDATA[',
      '<![CDATA[x]]>',
      '<![CDATA[]]>',
      '"',
      "'",
      '=',
      ' ',
      '\t',
      '\n',
      '\r',
      '\r\n',
      '\u0085',
      '\u2028',
      '\u00A0',
      '\u0001',
      '\uFFFE',
      '\uD800',
      ' xmlns:p="urn:p"',
      ' xmlns=""',
      ' xmlns:p=""',
      ' p:a="1"',
      ' a="1"',
      " b='2'",
      ' a="1" a="2"',
      ' xmlns:xml="urn:x"',
      ' xml:lang="de"',
      ' xmlns:q="urn:p" q:a="1" p:a="2"',
      'p:',
      ':',
      '</a>',
      '<a>',
      '<a/>',
      '<p:a/>',
      '<x:a xmlns:x="urn:x"/>',
      '<?pi x?>',
      '<?xml version="1.0"?>',
      '<!DOCTYPE a>',
      'é',
      '\u{1F600}',
      '<a\u00A0b="1"/>',
      '< a/>',
      '<a >',
      '</ a>',
      '<a/ >',
      'xmlns',
      '-',
      '.',
      '1',
      '_',
    ]
    let seed = 20261127
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    let mutated = 0
    for (let i = 0; i < 20000; i++) {
      let text = pick(seeds)
      const edits = 1 + Math.floor(random() * 3)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * text.length)
        const kind = random()
        if (kind < 0.6) text = text.slice(0, at) + pick(fragments) + text.slice(at)
        else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4))
        else text = text.slice(0, at) + text.slice(at, at + 1 + Math.floor(random() * 20)) + text.slice(at)
      }
      const accepts = compare(text, `mutation ${i}: ${JSON.stringify(text.slice(0, 200))}`)
      if (accepts && !seeds.includes(text)) mutated++
    }
    // Enough accepted mutations, beyond the unchanged seeds, for the comparison to mean something.
    expect(mutated).to.be.greaterThan(3000)
  })

  const declined: Record<string, string> = {
    'a DOCTYPE': '<!DOCTYPE a>\n<a/>',
    'a processing instruction': '<a><?pi data?></a>',
    'a late XML declaration': ' <?xml version="1.0"?><a/>',
    'an entity of a DTD': '<a>&nbsp;</a>',
    'a stray ampersand': '<a>fish & chips</a>',
    'an unbound prefix': '<p:a/>',
    'an unbound attribute prefix': '<a p:b="1"/>',
    'a non-ASCII name': '<é/>',
    'a forbidden character reference': '<a>&#x1;</a>',
    'two roots': '<a/><b/>',
    'text after the root': '<a/>x',
    'a mismatched end tag': '<a></b>',
    'an unclosed element': '<a>',
    'a duplicate attribute': '<a x="1" x="2"/>',
    'one attribute under two prefixes': '<a xmlns:p="urn:u" xmlns:q="urn:u" p:x="1" q:x="2"/>',
    'an empty prefixed namespace': '<a xmlns:p=""/>',
    'a non-breaking space as white space': '<a\u00A0x="1"/>',
    'deep nesting': '<a>'.repeat(40) + '</a>'.repeat(40),
    'XML 1.1': '<?xml version="1.1"?><a/>',
    // Not well-formed, though strict-xml.ts lets them pass: declined all the same.
    ']]> in text': '<a>x ]]> y</a>',
    '-- in a comment': '<a><!-- x -- y --></a>',
    'a comment ending in -': '<a><!-- x ---></a>',
    'NEL as a line end': '<a>\u0085</a>',
  }
  for (const [what, text] of Object.entries(declined)) {
    it(`declines ${what}`, () => {
      expect(parseFastXml(text)).to.equal(undefined)
    })
  }

  it('accepts the plain shapes (the control for the cases above)', () => {
    for (const text of [
      '<a/>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c -->\n<a x="1">t&amp;<b/></a>\n',
    ]) {
      expect(compare(text, text)).to.equal(true)
    }
  })
})
