/**
 * The fast signature check (signature-check.ts, exc-c14n.ts) against the straightforward xml-crypto path: the same
 * canonical bytes and the same verdicts, on every corpus file, on corpus XML carried inside signed licenses, on
 * the legal variations, and on thousands of seeded mutations of signed licenses. Every comparison also counts how
 * often the fast path declined (handed the file to xml-crypto), so that it cannot pass by declining everything.
 */
import {DOMParser} from '@xmldom/xmldom'
import {expect} from 'chai'
import {X509Certificate} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {ExclusiveCanonicalization} from 'xml-crypto'

import {canonicalize, OutsideFastPath} from '../../src/lib/license/exc-c14n.js'
import {DSIG_NS} from '../../src/lib/license/namespaces.js'
import {checkSignatureProfile} from '../../src/lib/license/profile.js'
import {checkSignatureFast} from '../../src/lib/license/signature-check.js'
import {decodeXml, parseStrictXml} from '../../src/lib/license/strict-xml.js'
import {
  type LicenseVerdict,
  verifyFastTier,
  verifyLicenseBytes,
  type VerifyOptions,
} from '../../src/lib/license/verify.js'
import {signXml, verifySignature} from '../../src/lib/license/xmldsig.js'
import {buildLicenseXml} from '../../src/lib/license/document.js'
import {CORPUS_DIR, xmlFilesBelow} from '../support/corpus.js'
import {AT, DRAFT, getWorld, type World} from '../support/licenses.js'

const corpusFiles = xmlFilesBelow(CORPUS_DIR)

/** xmldom as xml-crypto uses it, but refusing documents with errors, so both sides see a sound tree. */
function parseLenient(text: string): Document | undefined {
  let failed = false
  const doc = new DOMParser({
    errorHandler: {warning: () => undefined, error: () => (failed = true), fatalError: () => (failed = true)},
  }).parseFromString(text, 'text/xml')
  return failed || !doc.documentElement ? undefined : doc
}

function elementsOf(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagName('*'))
}

/** What xml-crypto's exclusive c14n makes of `element` (an enveloped `omit` removed from a clone first). */
function xmlCryptoC14n(element: Element, omit?: Element): string {
  const clone = element.cloneNode(true) as Element
  if (omit) {
    const index = Array.from(element.childNodes).indexOf(omit)
    clone.removeChild(clone.childNodes[index] as Node)
  }
  return new ExclusiveCanonicalization().process(clone, {defaultNsForPrefix: {ds: DSIG_NS}})
}

/** xml-crypto takes an InclusiveNamespaces PrefixList from a CanonicalizationMethod child: not the port's case. */
function takesPrefixList(element: Element): boolean {
  return Array.from(element.childNodes).some(
    (child) => (child as Element).localName === 'CanonicalizationMethod',
  )
}

describe('fast signature check vs xml-crypto', function () {
  this.timeout(120_000)
  let w: World
  let base: VerifyOptions

  before(async () => {
    w = await getWorld()
    base = {
      trust: {roots: [new X509Certificate(w.root.pem)], revokedLicenseIds: new Set(), source: 'test'},
      at: new Date(AT),
    }
  })

  /** How many comparisons the fast tier answered itself (it may decline, and the other tier answers). */
  let answeredFast = 0
  const both = (bytes: Uint8Array, file = 'f.xml'): [LicenseVerdict, LicenseVerdict] => {
    const reference = verifyLicenseBytes(bytes, file, {...base, engine: 'xml-crypto'})
    const fast = verifyFastTier(bytes, file, base)
    if (fast === undefined) return [verifyLicenseBytes(bytes, file, base), reference]
    answeredFast++
    return [fast, reference]
  }
  beforeEach(() => (answeredFast = 0))

  it('finds the corpus', () => {
    expect(corpusFiles.length).to.be.greaterThan(250)
  })

  it('answers every legal variation of a license itself, without declining to the other tier', () => {
    const variations = {
      plain: w.sign(),
      'URI="#license"': w.sign({reference: 'id'}),
      'CRLF line ends': w.sign({layout: {newline: '\r\n'}}),
      'license namespace under a prefix': w.sign({layout: {prefix: 'lic'}}),
      'signature in the default namespace': w.sign({dsPrefix: ''}),
      'ECDSA P-256': w.sign({signer: w.ecSigner}),
      'RSA-SHA384': w.sign({signatureAlgorithm: 'rsa-sha384', digestAlgorithm: 'sha384'}),
      'via an intermediate': w.sign({signer: w.intermediateSigner, chain: [w.intermediate]}),
    }
    for (const [what, xml] of Object.entries(variations)) {
      const fast = verifyFastTier(Buffer.from(xml), 'f.xml', base)
      expect(fast?.status, what).to.equal('valid')
      expect(fast, what).to.deep.equal(
        verifyLicenseBytes(Buffer.from(xml), 'f.xml', {...base, engine: 'xml-crypto'}),
      )
    }
  })

  it('canonicalizes every element of every corpus document byte for byte as xml-crypto does', () => {
    let compared = 0
    let declined = 0
    for (const file of corpusFiles) {
      const doc = parseLenient(readFileSync(file, 'utf8'))
      if (!doc) continue
      for (const element of elementsOf(doc)) {
        if (takesPrefixList(element)) continue
        let ours: string
        try {
          ours = canonicalize(element)
        } catch (error) {
          if (!(error instanceof OutsideFastPath)) throw error
          declined++
          continue
        }
        expect(ours, `${file} <${element.tagName}>`).to.equal(xmlCryptoC14n(element))
        compared++
      }
    }
    expect(compared).to.be.greaterThan(5000)
    expect(declined).to.be.lessThan(compared / 100)
  })

  it('leaves out an enveloped signature as xml-crypto does, on every corpus signature', () => {
    let compared = 0
    for (const file of corpusFiles) {
      const doc = parseLenient(readFileSync(file, 'utf8'))
      if (!doc) continue
      for (const signature of Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'))) {
        const parent = signature.parentNode as Element
        if (parent.nodeType !== 1 || takesPrefixList(parent)) continue
        try {
          expect(canonicalize(parent, signature), file).to.equal(xmlCryptoC14n(parent, signature))
          compared++
        } catch (error) {
          if (!(error instanceof OutsideFastPath)) throw error
        }
      }
    }
    expect(compared).to.be.greaterThan(100)
  })

  it('gives the same verdict on every corpus file', () => {
    for (const file of corpusFiles) {
      const [fast, reference] = both(readFileSync(file), file)
      expect(fast, file).to.deep.equal(reference)
    }
  })

  it('verifies corpus XML carried inside signed licenses with the same canonical bytes', () => {
    const key = new X509Certificate(w.signer.pem).publicKey
    let valid = 0
    let declined = 0
    for (const file of corpusFiles) {
      const content = readFileSync(file, 'utf8')
        .replace(/^\uFEFF?<\?xml[^>]*\?>/, '')
        .replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/, '')
        // Signature elements outside the one signature break the profile before any check this test is about.
        .replaceAll(DSIG_NS, 'urn:test:was-xmldsig')
        .replace(/\b(Signature|SignedInfo|SignatureValue|KeyInfo|Reference)\b/g, 'Was$1')
      let xml: string
      try {
        xml = signDocument(
          buildLicenseXml(DRAFT).replace('</License>', `<Carried>${content}</Carried></License>`),
        )
      } catch {
        continue // not well-formed once carried (an entity its DTD declared, say): nothing to sign
      }
      const bytes = Buffer.from(xml)
      const [fast, reference] = both(bytes, file)
      expect(fast, file).to.deep.equal(reference)
      if (!fast.valid) continue
      valid++
      const text = decodeXml(bytes)
      const doc = parseStrictXml(text)
      const profile = checkSignatureProfile(doc)
      const ours = checkSignatureFast(doc.documentElement, profile, key)
      if (ours === undefined) declined++
      else expect(ours, file).to.equal(verifySignature(text, profile, key))
    }
    expect(valid).to.be.greaterThan(150)
    expect(declined).to.be.lessThan(valid / 10)
    expect(answeredFast).to.be.greaterThan(valid / 2)
  })

  it('gives the same verdicts on 2500 seeded mutations of signed licenses', () => {
    const random = mulberry32(20261127)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    const seeds = [
      w.sign(),
      w.sign({layout: {prefix: 'lic'}}),
      w.sign({dsPrefix: ''}),
      w.sign({reference: 'id'}),
      w.sign({signer: w.ecSigner}),
      w.sign({layout: {newline: '\r\n'}}),
    ]
    const atBoundary = (xml: string, insert: string) => {
      const ends = [...xml.matchAll(/>/g)].map((m) => (m.index ?? 0) + 1)
      const at = pick(ends)
      return xml.slice(0, at) + insert + xml.slice(at)
    }
    const inStartTag = (xml: string, insert: string) => {
      const tags = [...xml.matchAll(/<[A-Za-z][\w.:-]*/g)].map((m) => (m.index ?? 0) + m[0].length)
      const at = pick(tags)
      return xml.slice(0, at) + insert + xml.slice(at)
    }
    const mutations: Array<(xml: string) => string> = [
      (xml) => atBoundary(xml, pick(['\n', ' ', '\r\n', '\t'])),
      (xml) => atBoundary(xml, '<!-- a comment -->'),
      (xml) => atBoundary(xml, '<?pi some data?>'),
      (xml) =>
        atBoundary(xml, pick(['<![CDATA[x & y]]>', '<![CDATA[]]>', '&amp;', '&#xD;', '&#x9;', '&gt;'])),
      (xml) =>
        atBoundary(
          xml,
          pick([
            '<Extra/>',
            '<x:Extra xmlns:x="urn:x"/>',
            '<Extra xmlns=""><Child>1</Child></Extra>',
            '<x:E xmlns:x="urn:x"><x:In xmlns:x="urn:y"/></x:E>',
          ]),
        ),
      (xml) => inStartTag(xml, pick([' a="1"', ' b="&#xA;&amp;&quot;"', ' xml:lang="de"', ' xmlnsZ="q"'])),
      (xml) => inStartTag(xml, pick([' xmlns:x="urn:x"', ' x:y="2" xmlns:x="urn:x"', ' xmlns="urn:other"'])),
      (xml) =>
        inStartTag(xml, pick([' xmlns=""', ' xmlns:ds="urn:not-dsig"', ' xmlns:a="urn:a" xmlns:b="urn:a"'])),
      (xml) => {
        const at = Math.floor(random() * xml.length)
        return xml.slice(0, at) + pick(['A', 'e', '0', '+', ' ', '<', '&']) + xml.slice(at + 1)
      },
      (xml) => xml.replace(/ds:/g, 'dsig:').replace(/xmlns:ds=/, 'xmlns:dsig='),
    ]
    let reachedSignature = 0
    let valid = 0
    const unsigned = [buildLicenseXml(DRAFT), buildLicenseXml(DRAFT, {prefix: 'lic'})]
    let signedAfterMutation = 0
    for (let i = 0; i < 2500; i++) {
      // Half of them are mutated before signing: then only a canonical form that differs by one byte fails them.
      const beforeSigning = random() < 0.5
      let xml = pick(beforeSigning ? unsigned : seeds)
      const count = 1 + Math.floor(random() * 2)
      for (let j = 0; j < count; j++) xml = pick(mutations)(xml)
      if (beforeSigning) {
        try {
          parseStrictXml(xml) // xml-crypto would sign what xmldom merely warns about, and print the warnings
          xml = signDocument(xml)
          signedAfterMutation++
        } catch {
          continue // not a document one can sign
        }
      }
      const [fast, reference] = both(Buffer.from(xml), `mutation-${i}.xml`)
      expect(fast, xml).to.deep.equal(reference)
      if (fast.signer) reachedSignature++
      if (fast.valid) valid++
    }
    // Enough of them got as far as the signature check for the comparison to mean something.
    expect(answeredFast).to.be.greaterThan(1200)
    expect(signedAfterMutation).to.be.greaterThan(600)
    expect(reachedSignature).to.be.greaterThan(900)
    expect(valid).to.be.greaterThan(450)
  })

  function signDocument(xml: string): string {
    return signXml(xml, {
      privateKey: w.signer.privateKey,
      certificatesPem: w.signer.pem,
      signatureAlgorithm: 'rsa-sha256',
      digestAlgorithm: 'sha256',
      reference: '',
    })
  }
})

/** A small seeded PRNG, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
