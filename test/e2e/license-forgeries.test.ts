/**
 * Legal variations and forgeries of signed license files, through the built `tcrmm license verify --json`
 * (license-format.md). Every refusal asserts the exact code of the step that must refuse it. The wrapping shapes
 * follow Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be" (2012), adapted to an enveloped
 * signature over the License root. To keep the run short, each group writes its files and verifies them in one
 * CLI run (batch mode is itself tested at the end); every `it` asserts on its own file's result.
 */
import {expect} from 'chai'
import {createPublicKey} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import {join, relative} from 'node:path'

import type {SignatureAlgorithmName} from '../../src/lib/license/algorithms.js'
import {buildLicenseXml, type LicenseDraft, type LicenseLayout} from '../../src/lib/license/document.js'
import {signXml, type SignOptions} from '../../src/lib/license/xmldsig.js'
import {verifyJson, type VerifyJson} from '../support/cli.js'
import {AT, DRAFT, getWorld, type SignSpec, type World} from '../support/licenses.js'
import {issue, type Issued, x509} from '../support/pki.js'

type Result = VerifyJson['results'][number]
type Make = () => string | Buffer

const NS = 'urn:timecard:rmm:license:1'
const DS = 'http://www.w3.org/2000/09/xmldsig#'
const MORE = 'http://www.w3.org/2001/04/xmldsig-more#'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
const MIB = 1024 * 1024
const UNICODE = "Grüße & Söhne „AG\" 'Ærø' <Ω> 🚀"
/** Codes of the steps up to the signature value: the signer must not be reported either. */
const UNVERIFIED = new Set([
  ...['FILE_TOO_LARGE', 'DTD_FORBIDDEN', 'MALFORMED_XML', 'SIGNATURE_MISSING', 'PROFILE_VIOLATION'],
  ...['UNSUPPORTED_ALGORITHM', 'UNTRUSTED_SIGNER', 'CERT_INVALID', 'DIGEST_MISMATCH', 'SIGNATURE_INVALID'],
])

let w: World
type CertName = 'rsa3072' | 'rsa1024' | 'expired' | 'notYet' | 'expiredSince' | 'encipherOnly' | 'selfSigned'
type ChainName = 'fakeRoot' | 'notCa' | 'oldCa' | 'underFakeRoot' | 'underNotCa' | 'underOldCa'
/** Extra certificates for this file, issued once in the top-level `before`. */
const pki = {} as Record<CertName | ChainName, Issued>

// ---- building and editing license files --------------------------------------------------------------------

const sign = (spec: SignSpec = {}) => w.sign(spec)
const unsigned = (draft: Partial<LicenseDraft> = {}, layout?: LicenseLayout) =>
  buildLicenseXml({...DRAFT, ...draft}, layout)

/** Signs any XML string in the profile, for documents a draft cannot express. */
function signAs(xml: string, signer: Issued = w.signer, options: Partial<SignOptions> = {}): string {
  const ec = (signer.keys.privateKey.algorithm as KeyAlgorithm).name === 'ECDSA'
  const algorithm = ec ? 'ecdsa-sha256' : 'rsa-sha256'
  const base = {privateKey: signer.privateKey, certificatesPem: signer.pem, reference: '' as const}
  return signXml(xml, {...base, signatureAlgorithm: algorithm, digestAlgorithm: 'sha256', ...options})
}

/** Replaces `from`, which must occur: an edit that silently changes nothing would prove nothing. */
function edit(xml: string, from: string | RegExp, to: string): string {
  const out = xml.replace(from, to)
  expect(out, `edit ${String(from)}`).to.not.equal(xml)
  return out
}

/** The default license, edited before it is signed (a custom document signed by the genuine signer). */
const signedEdit = (from: string | RegExp, to: string) => signAs(edit(unsigned(), from, to))
const setAlgorithm = (xml: string, element: string, uri: string) =>
  edit(xml, new RegExp(`(<ds:${element} Algorithm=")[^"]*`), `$1${uri}`)
const addTransform = (uri: string, body = '') =>
  edit(sign(), '</ds:Transforms>', `<ds:Transform Algorithm="${uri}">${body}</ds:Transform></ds:Transforms>`)
const withDtd = (dtd: string, company?: string) => {
  const xml = edit(sign(), '?>\n', `?>\n${dtd}\n`)
  return company ? edit(xml, 'Müller &amp; Söhne GmbH', company) : xml
}
const padTo = (bytes: number, xml = sign()) => xml + ' '.repeat(bytes - Buffer.byteLength(xml))
/** Changes one base64 character in the middle of the SignatureValue. */
const flipSignatureValue = (xml: string) =>
  xml.replace(
    /(<ds:SignatureValue>[\w+/]{40})([\w+/])/,
    (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'),
  )
/** The root element without XML declaration. */
const rootOf = (xml: string) => xml.replace(/^<\?xml[^>]*\?>\s*/, '').trim()
/** A signed license split into its signature element and the License without it. */
function split(xml: string): {license: string; signature: string} {
  const signature = (/<ds:Signature\b[\s\S]*<\/ds:Signature>/.exec(xml) as RegExpExecArray)[0]
  return {signature, license: rootOf(xml.replace(signature, ''))}
}
/** Inserts `content` as the last children of the License root. */
const inside = (xml: string, content: string) => edit(xml, /<\/License>\s*$/, `${content}</License>\n`)
/** The public key of `who` as a ds:KeyValue. */
function keyValueOf(who: Issued): string {
  const {n, e} = createPublicKey(who.privateKey).export({format: 'jwk'}) as {n: string; e: string}
  const b64 = (s: string) => Buffer.from(s, 'base64url').toString('base64')
  return `<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>${b64(n)}</ds:Modulus><ds:Exponent>${b64(e)}</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>`
}

// ---- running the binary ------------------------------------------------------------------------------------

async function verify(paths: string[], {at = AT, flags = [] as string[]} = {}) {
  return verifyJson(['--ca', w.rootPem, '--at', at, ...flags, ...paths])
}

let fileNumber = 0
async function verifyOne(content: string | Buffer, options: {at?: string; flags?: string[]} = {}) {
  const run = await verify([w.write(`forgery-single-${++fileNumber}.xml`, content)], options)
  expect(run.json.results).to.have.length(1)
  return {exit: run.code, result: run.json.results[0] as Result}
}

/** Registers a `before` that writes every case and verifies them all in one run; returns each case's result. */
function verifiedEach(makes: Record<string, Make>) {
  const dir = join('forgeries', String(++fileNumber))
  const results = new Map<string, Result>()
  const run = {exit: null as number | null}
  before(async function () {
    mkdirSync(join(w.dir, dir), {recursive: true})
    const titles = Object.keys(makes)
    const paths = titles.map((title, i) => w.write(join(dir, `${i}.xml`), (makes[title] as Make)()))
    const {code, json} = await verify(paths)
    run.exit = code
    titles.forEach((title, i) => results.set(title, json.results.find((r) => r.file === paths[i]) as Result))
  })
  return {run, result: (title: string) => results.get(title) as Result}
}

function expectRefused(result: Result, code: string) {
  expect(result, 'a result for the file').to.be.an('object')
  expect(result.errors[0]?.code, result.errors[0]?.message ?? 'no error at all').to.equal(code)
  expect(result.valid).to.equal(false)
  expect(result.status).to.equal('invalid')
  expect(result.license, 'license of a refused file').to.equal(null)
  if (UNVERIFIED.has(code)) expect(result.signer, 'signer of an unverified file').to.equal(null)
}

/** A describe whose cases must each be refused with exactly `code`, in a run that exits 1. */
function refuses(code: string, cases: Record<string, Make>) {
  describe(code, () => {
    const batch = verifiedEach(cases)
    for (const title of Object.keys(cases)) {
      it(title, () => {
        expectRefused(batch.result(title), code)
        expect(batch.run.exit, 'exit code of a run with refused files').to.equal(1)
      })
    }
  })
}

type Fields = Record<string, unknown>
const licenseOf = (overrides: Fields = {}): Fields => ({...DRAFT, unknownFields: [], ...overrides})

function expectValid(result: Result, license = licenseOf(), algorithm?: SignatureAlgorithmName) {
  expect(result.errors, JSON.stringify(result.errors)).to.deep.equal([])
  expect(result.valid).to.equal(true)
  expect(result.status).to.equal('valid')
  expect(result.license).to.deep.equal(license)
  if (algorithm) expect(result.signer?.algorithm).to.equal(algorithm)
}

// ---- the tests ---------------------------------------------------------------------------------------------

describe('license verify: legal variations and forgeries', function () {
  this.timeout(60_000)

  before(async function () {
    w = await getWorld()
    const {root} = w
    const [subject, ku] = ['CN=tcrmm Test License Signer', x509.KeyUsageFlags]
    const at = (iso: string) => new Date(iso)
    const made = {
      rsa3072: issue({subject, key: 'rsa3072', issuer: root}),
      rsa1024: issue({subject, key: 'rsa1024', issuer: root}),
      expired: issue({subject, issuer: root, notAfter: at('2025-12-31T23:59:59Z')}),
      notYet: issue({subject, issuer: root, notBefore: at('2026-02-01T00:00:00Z')}),
      expiredSince: issue({subject, issuer: root, notAfter: at('2026-03-01T00:00:00Z')}),
      encipherOnly: issue({subject, issuer: root, keyUsage: ku.keyEncipherment}),
      selfSigned: issue({subject}),
      fakeRoot: issue({subject: 'CN=tcrmm Test License Root, O=timeCard Test', ca: true}),
      notCa: issue({subject: 'CN=Not a CA', issuer: root, keyUsage: ku.keyCertSign | ku.digitalSignature}),
      oldCa: issue({subject: 'CN=Old CA', issuer: root, ca: true, notAfter: at('2025-06-30T00:00:00Z')}),
    }
    for (const [name, issued] of Object.entries(made)) pki[name as CertName] = await issued
    pki.underFakeRoot = await issue({subject, issuer: pki.fakeRoot})
    pki.underNotCa = await issue({subject, issuer: pki.notCa})
    pki.underOldCa = await issue({subject, issuer: pki.oldCa})
  })

  describe('legal variations verify as valid', () => {
    const cases: Record<string, [Make, {fields?: Fields; algorithm?: SignatureAlgorithmName}?]> = {
      'accepts the license namespace under a prefix (lic:)': [() => sign({layout: {prefix: 'lic'}})],
      'accepts the signature in the default namespace (no ds: prefix)': [() => sign({dsPrefix: ''})],
      'accepts Reference URI=""': [() => sign({reference: ''})],
      'accepts Reference URI="#license"': [() => sign({reference: 'id'})],
      'accepts CRLF line ends': [() => sign({layout: {newline: '\r\n'}})],
      'accepts a UTF-8 byte order mark': [() => Buffer.from('\uFEFF' + sign())],
      'accepts a file without XML declaration': [() => rootOf(sign())],
      'accepts an ECDSA P-256 signer': [() => sign({signer: w.ecSigner}), {algorithm: 'ecdsa-sha256'}],
      'accepts an RSA-3072 signer with rsa-sha512 and a SHA-512 digest': [
        () => sign({signer: pki.rsa3072, signatureAlgorithm: 'rsa-sha512', digestAlgorithm: 'sha512'}),
        {algorithm: 'rsa-sha512'},
      ],
      'accepts rsa-sha384 with a SHA-384 digest': [
        () => sign({signatureAlgorithm: 'rsa-sha384', digestAlgorithm: 'sha384'}),
        {algorithm: 'rsa-sha384'},
      ],
      'accepts a signer chained through an intermediate in KeyInfo': [
        () => sign({signer: w.intermediateSigner, chain: [w.intermediate]}),
      ],
      'accepts a signer certificate that expired after IssuedAt': [() => sign({signer: pki.expiredSince})],
      'accepts a Unicode company name with umlauts, &, quotes, <> and emoji': [
        () => sign({draft: {company: UNICODE}}),
        {fields: {company: UNICODE}},
      ],
      'accepts a license without ValidUntil (validUntil null)': [
        () => sign({draft: {validUntil: undefined}}),
        {fields: {validUntil: null}},
      ],
      'accepts a license without MaxCustomers and Features (null and [])': [
        () => sign({draft: {maxCustomers: undefined, features: []}}),
        {fields: {maxCustomers: null, features: []}},
      ],
      'accepts unknown license elements and lists them as unknownFields': [
        () => signedEdit('  <IssuedAt>', '  <Support>24/7</Support>\n  <IssuedAt>'),
        {fields: {unknownFields: ['Support']}},
      ],
      'accepts a license signed without any white space between elements': [
        () => signAs(unsigned().replace(/>\s+</g, '><')),
      ],
      'accepts white space inside the Signature around KeyInfo, and after the root': [
        () =>
          edit(sign(), '</ds:SignatureValue><ds:KeyInfo>', '</ds:SignatureValue>\n  <ds:KeyInfo>\n') + '\n',
      ],
      'accepts the root attributes in another order and quoting': [
        () =>
          edit(
            sign({reference: 'id'}),
            `<License xmlns="${NS}" Id="license">`,
            `<License Id='license' xmlns="${NS}">`,
          ),
      ],
      'accepts the ds namespace declared on the root instead of the Signature': [
        () =>
          edit(
            edit(sign(), ` xmlns:ds="${DS}"`, ''),
            `<License xmlns="${NS}"`,
            `<License xmlns:ds="${DS}" xmlns="${NS}"`,
          ),
      ],
      'accepts the signature as the first child of the root': [
        () => {
          const {license, signature} = split(sign())
          return edit(license, /(<License[^>]*>)/, `$1${signature}`)
        },
      ],
      'accepts end tags instead of empty-element tags in SignedInfo': [
        () => sign().replace(/<(ds:\w+) ([^>]*)\/>/g, '<$1 $2></$1>'),
      ],
      'accepts a CDATA section and character references in signed text': [
        () => edit(sign(), 'Müller &amp; Söhne GmbH', '&#77;&#xFC;ller <![CDATA[& Söhne]]> GmbH'),
      ],
      'accepts a comment before the root element': [
        () => edit(sign(), '?>\n', '?>\n<!-- issued by hand -->\n'),
      ],
      'accepts a genuine license padded to exactly 1 MiB': [() => padTo(MIB)],
    }
    const batch = verifiedEach(
      Object.fromEntries(Object.entries(cases).map(([title, [make]]) => [title, make])),
    )
    for (const [title, [, expected]] of Object.entries(cases)) {
      it(title, () => {
        expectValid(batch.result(title), licenseOf(expected?.fields), expected?.algorithm)
        expect(batch.run.exit).to.equal(0)
      })
    }

    it('warns EXPIRES_SOON when ValidUntil is within 30 days, and stays valid', async () => {
      const {exit, result} = await verifyOne(sign(), {at: '2027-12-15T00:00:00Z'})
      expectValid(result)
      expect(result.warnings.map((x) => x.code)).to.deep.equal(['EXPIRES_SOON'])
      expect(exit).to.equal(0)
    })
  })

  describe('forgeries are refused with their exact code', () => {
    const laughs = Array.from({length: 8}, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')
    refuses('DTD_FORBIDDEN', {
      'refuses a DOCTYPE': () => withDtd('<!DOCTYPE License>'),
      'refuses an entity expansion bomb': () =>
        withDtd(`<!DOCTYPE License [<!ENTITY l0 "lol">${laughs}]>`, '&l8;'),
      'refuses an external entity (XXE)': () =>
        withDtd('<!DOCTYPE License [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '&x;'),
      'refuses a parameter entity behind a comment': () =>
        withDtd('<!-- hi --><!DOCTYPE l [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>'),
    })

    refuses('MALFORMED_XML', {
      'refuses garbage': () => 'this is not a license\n',
      'refuses an empty file': () => '',
      'refuses bytes that are not UTF-8 (Latin-1)': () => Buffer.from(sign(), 'latin1'),
      'refuses UTF-16': () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sign(), 'utf16le')]),
      'refuses a declared encoding other than UTF-8': () =>
        edit(sign(), 'encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      'refuses two root elements': () => sign() + `\n<License xmlns="${NS}"/>\n`,
      'refuses text after the root element': () => sign() + '\ntrailing text\n',
      'refuses a truncated file': () => sign().slice(0, 900),
      'refuses a duplicate attribute': () => edit(sign(), 'Id="license"', 'Id="license" Id="other"'),
    })

    refuses('FILE_TOO_LARGE', {
      'refuses a genuine license padded to 1 MiB + 1 byte': () => padTo(MIB + 1),
      'refuses a 2 MiB file of garbage': () => Buffer.alloc(2 * MIB, 0x41),
    })

    refuses('SIGNATURE_MISSING', {
      'refuses an unsigned license': () => unsigned(),
      'refuses a Signature in another namespace': () =>
        edit(sign(), `xmlns:ds="${DS}"`, 'xmlns:ds="urn:not-dsig"'),
    })

    const swapX509Data = (replacement: string) =>
      edit(sign(), /<ds:X509Data>[\s\S]*<\/ds:X509Data>/, replacement)
    refuses('PROFILE_VIOLATION', {
      'refuses two signatures': () => inside(sign(), split(sign()).signature),
      'refuses a signature nested below the root': () => {
        const {license, signature} = split(sign())
        return edit(license, '</Licensee>', `${signature}</Licensee>`)
      },
      'refuses a second Reference': () => edit(sign(), /(<ds:Reference[\s\S]*<\/ds:Reference>)/, '$1$1'),
      'refuses a ds:Object': () => edit(sign(), '</ds:KeyInfo>', '</ds:KeyInfo><ds:Object>extra</ds:Object>'),
      'refuses a ds:Manifest in SignedInfo': () =>
        edit(sign(), '</ds:Reference>', '</ds:Reference><ds:Manifest/>'),
      'refuses a Reference URI pointing at another element': () =>
        edit(
          edit(sign({reference: 'id'}), 'URI="#license"', 'URI="#other"'),
          '<Licensee>',
          '<Licensee Id="other">',
        ),
      'refuses an XPointer Reference URI': () =>
        edit(sign({reference: 'id'}), 'URI="#license"', 'URI="#xpointer(/)"'),
      'refuses a Reference without URI': () => edit(sign(), ' URI=""', ''),
      'refuses a duplicate Id': () => edit(sign({reference: 'id'}), '<Licensee>', '<Licensee Id="license">'),
      'refuses the root Id repeated as an ID attribute': () =>
        edit(sign({reference: 'id'}), '<PartnerId>', '<PartnerId ID="license">'),
      'refuses KeyInfo without an X509Certificate': () =>
        swapX509Data('<ds:KeyName>tcrmm Signer</ds:KeyName>'),
      'refuses KeyInfo with a KeyValue only': () => swapX509Data(keyValueOf(w.signer)),
      'refuses the transforms in the wrong order': () =>
        edit(sign(), /(<ds:Transform [^>]*enveloped-signature"\/>)(<ds:Transform [^>]*\/>)/, '$2$1'),
      'refuses exclusive c14n without the enveloped-signature transform': () =>
        edit(sign(), /<ds:Transform [^>]*enveloped-signature"\/>/, ''),
      'refuses a root that is not a License': () =>
        edit(edit(sign(), '<License xmlns=', '<Licence xmlns='), '</License>', '</Licence>'),
      'refuses a decoy SignedInfo outside the signature': () =>
        edit(sign(), '</Licensee>', '<x:SignedInfo xmlns:x="urn:evil"/></Licensee>'),
    })

    refuses('UNSUPPORTED_ALGORITHM', {
      'refuses rsa-sha1 as SignatureMethod': () => setAlgorithm(sign(), 'SignatureMethod', `${DS}rsa-sha1`),
      'refuses a SHA-1 DigestMethod': () => setAlgorithm(sign(), 'DigestMethod', `${DS}sha1`),
      'refuses hmac-sha1': () => setAlgorithm(sign(), 'SignatureMethod', `${DS}hmac-sha1`),
      'refuses hmac-sha256': () => setAlgorithm(sign(), 'SignatureMethod', `${MORE}hmac-sha256`),
      'refuses dsa-sha1': () => setAlgorithm(sign(), 'SignatureMethod', `${DS}dsa-sha1`),
      'refuses RSA-PSS': () =>
        setAlgorithm(sign(), 'SignatureMethod', 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1'),
      'refuses an XPath transform': () =>
        addTransform('http://www.w3.org/TR/1999/REC-xpath-19991116', '<ds:XPath>1</ds:XPath>'),
      'refuses an XSLT transform': () => addTransform('http://www.w3.org/TR/1999/REC-xslt-19991116'),
      'refuses inclusive c14n for SignedInfo': () =>
        setAlgorithm(sign(), 'CanonicalizationMethod', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'),
      'refuses exclusive c14n with comments as a transform': () =>
        edit(
          sign(),
          `<ds:Transform Algorithm="${EXC_C14N}"/>`,
          `<ds:Transform Algorithm="${EXC_C14N}WithComments"/>`,
        ),
      'refuses an RSA-1024 signer': () => sign({signer: pki.rsa1024}),
    })

    refuses('UNTRUSTED_SIGNER', {
      'refuses a signer from a foreign root (same subject name)': () => sign({signer: w.foreignSigner}),
      'refuses a foreign signer that brings its own root in KeyInfo': () =>
        sign({signer: w.foreignSigner, chain: [w.foreignRoot]}),
      'refuses an intermediate signer without its intermediate in KeyInfo': () =>
        sign({signer: w.intermediateSigner}),
      'refuses a self-signed signer': () => sign({signer: pki.selfSigned}),
      'refuses a chain to a self-made root that copies the trusted root name': () =>
        sign({signer: pki.underFakeRoot, chain: [pki.fakeRoot]}),
      'refuses a foreign leaf listed before the genuine signer certificate': () =>
        signAs(unsigned(), w.foreignSigner, {certificatesPem: w.foreignSigner.pem + w.signer.pem}),
    })

    refuses('CERT_INVALID', {
      'refuses a signer certificate that expired before IssuedAt': () => sign({signer: pki.expired}),
      'refuses a signer certificate not yet valid at IssuedAt': () => sign({signer: pki.notYet}),
      'refuses a signer whose KeyUsage lacks digitalSignature': () => sign({signer: pki.encipherOnly}),
      'refuses an intermediate that is not a CA': () => sign({signer: pki.underNotCa, chain: [pki.notCa]}),
      'refuses an intermediate that expired before IssuedAt': () =>
        sign({signer: pki.underOldCa, chain: [pki.oldCa]}),
    })

    const standard = () => sign({draft: {edition: 'standard'}})
    refuses('DIGEST_MISMATCH', {
      'refuses an Edition upgraded after signing': () =>
        edit(standard(), '<Edition>standard<', '<Edition>premium<'),
      'refuses a Company changed after signing': () => edit(sign(), 'Müller', 'Mueller'),
      'refuses MaxCustomers raised after signing': () => edit(sign(), '>250<', '>25000<'),
      'refuses ValidUntil removed after signing': () =>
        edit(sign(), /\s*<ValidUntil>[^<]*<\/ValidUntil>/, ''),
      'refuses a second Edition put before the signed one': () =>
        edit(standard(), '<Edition>', '<Edition>premium</Edition><Edition>'),
      'refuses a Feature added after signing': () =>
        edit(sign(), '</Features>', '<Feature>all</Feature></Features>'),
      'refuses a processing instruction added to the signed content': () =>
        edit(sign(), '<Edition>', '<?x y?><Edition>'),
    })

    const byForeignKey = () => signAs(unsigned(), w.foreignSigner, {certificatesPem: w.signer.pem})
    refuses('SIGNATURE_INVALID', {
      'refuses a SignatureValue with one character changed': () => flipSignatureValue(sign()),
      'refuses white space added inside SignedInfo': () =>
        edit(sign(), '<ds:SignedInfo>', '<ds:SignedInfo>\n'),
      'refuses a SignatureMethod switched to another allowed one': () =>
        setAlgorithm(sign(), 'SignatureMethod', `${MORE}rsa-sha512`),
      'refuses a signature by another key under the genuine signer certificate': byForeignKey,
      'refuses the forger key as KeyValue beside the genuine certificate': () =>
        edit(byForeignKey(), '<ds:X509Data>', `${keyValueOf(w.foreignSigner)}<ds:X509Data>`),
      'refuses an ECDSA signature claiming rsa-sha256': () =>
        setAlgorithm(sign({signer: w.ecSigner}), 'SignatureMethod', `${MORE}rsa-sha256`),
    })

    refuses('FIELD_INVALID', {
      "refuses Edition 'gold'": () => sign({draft: {edition: 'gold'}}),
      "refuses IssuedAt 'tomorrow'": () => sign({draft: {issuedAt: 'tomorrow'}}),
      'refuses IssuedAt in month 13': () => sign({draft: {issuedAt: '2026-13-01T00:00:00Z'}}),
      'refuses ValidUntil on 30 February': () => sign({draft: {validUntil: '2027-02-30T00:00:00Z'}}),
      'refuses ValidUntil before ValidFrom': () => sign({draft: {validUntil: '2025-12-31T00:00:00Z'}}),
      'refuses MaxCustomers 0': () => sign({draft: {maxCustomers: 0}}),
      'refuses MaxCustomers -5': () => sign({draft: {maxCustomers: -5}}),
      "refuses MaxCustomers 'many'": () => sign({draft: {maxCustomers: 'many' as unknown as number}}),
      'refuses a license without LicenseId': () => signedEdit(/\s*<LicenseId>[^<]*<\/LicenseId>/, ''),
      'refuses an empty PartnerId': () => sign({draft: {partnerId: '  '}}),
      'refuses Edition twice': () => signedEdit('<Edition>', '<Edition>standard</Edition><Edition>'),
      'refuses Licensee twice': () =>
        signedEdit('<IssuedAt>', '<Licensee><Company>B</Company></Licensee><IssuedAt>'),
      'refuses markup inside Company': () => signedEdit('<Company>', '<Company><b>Evil</b>'),
    })
  })

  describe('time and caller expectations', () => {
    const genuine = () => rootOf(sign())
    const expectStatus = (result: Result, status: string, code: string) => {
      expect(result.errors.map((e) => e.code)).to.deep.equal([code])
      expect(result.status).to.equal(status)
      expect(result.valid).to.equal(false)
      expect(result.license, 'the signature verified, so the license is reported').to.deep.equal(licenseOf())
    }

    it('refuses a license before ValidFrom minus 5 minutes of skew (NOT_YET_VALID)', async () => {
      const {exit, result} = await verifyOne(genuine(), {at: '2026-01-14T23:54:59Z'})
      expectStatus(result, 'not_yet_valid', 'NOT_YET_VALID')
      expect(exit).to.equal(1)
    })
    it('accepts a license exactly 5 minutes before ValidFrom (clock skew)', async () => {
      expectValid((await verifyOne(genuine(), {at: '2026-01-14T23:55:00Z'})).result)
    })
    it('refuses a license more than 5 minutes after ValidUntil (EXPIRED), still reporting it', async () => {
      const {exit, result} = await verifyOne(genuine(), {at: '2028-01-01T00:05:00Z'})
      expectStatus(result, 'expired', 'EXPIRED')
      expect(exit).to.equal(1)
    })
    it('accepts a license within 5 minutes after ValidUntil, with EXPIRES_SOON', async () => {
      const {result} = await verifyOne(genuine(), {at: '2028-01-01T00:04:59Z'})
      expectValid(result)
      expect(result.warnings.map((x) => x.code)).to.deep.equal(['EXPIRES_SOON'])
    })
    it('refuses a premium license when --edition standard is expected (EDITION_MISMATCH)', async () => {
      const {exit, result} = await verifyOne(genuine(), {flags: ['--edition', 'standard']})
      expectStatus(result, 'invalid', 'EDITION_MISMATCH')
      expect(exit).to.equal(1)
    })
    it('refuses another company (COMPANY_MISMATCH)', async () => {
      const {exit, result} = await verifyOne(genuine(), {flags: ['--company', 'Other GmbH']})
      expectStatus(result, 'invalid', 'COMPANY_MISMATCH')
      expect(exit).to.equal(1)
    })
    it('refuses the company in other letter case (only NFC and trimming apply)', async () => {
      const {result} = await verifyOne(genuine(), {flags: ['--company', 'MÜLLER & SÖHNE GMBH']})
      expectStatus(result, 'invalid', 'COMPANY_MISMATCH')
    })
    it('matches a --company in NFD with surrounding spaces against the NFC license', async () => {
      const {exit, result} = await verifyOne(genuine(), {
        flags: ['--company', `  ${DRAFT.company.normalize('NFD')}  `],
      })
      expectValid(result)
      expect(exit).to.equal(0)
    })
    it('matches an NFC --company against a license signed in NFD', async () => {
      const nfd = DRAFT.company.normalize('NFD')
      const {result} = await verifyOne(sign({draft: {company: nfd}}), {flags: ['--company', DRAFT.company]})
      expectValid(result, licenseOf({company: nfd}))
    })
  })

  describe('signature wrapping (Somorovsky et al. 2012) is refused', () => {
    /** The attacker's own genuine standard license, and the premium one they want it to vouch for. */
    const mine = (reference: '' | 'id') =>
      sign({draft: {edition: 'standard', company: 'Evil Corp'}, reference})
    const wanted = (id: string | null) => unsigned({company: 'Evil Corp', maxCustomers: 100000}, {id})
    /** A forgery built from the parts of the genuine license: `l` without its signature `s`; `whole` with it. */
    const wrap = (reference: '' | 'id', build: (l: string, s: string, whole: string) => string) => () => {
      const genuine = mine(reference)
      const {license, signature} = split(genuine)
      return build(license, signature, rootOf(genuine))
    }
    const intoObject = (s: string, l: string) =>
      edit(s, '</ds:Signature>', `<ds:Object>${l}</ds:Object></ds:Signature>`)
    const intoKeyInfo = (s: string, l: string) => edit(s, '</ds:KeyInfo>', `${l}</ds:KeyInfo>`)
    const evil = (content: string) => `<x:Wrapper xmlns:x="urn:evil">${content}</x:Wrapper>`

    refuses('PROFILE_VIOLATION', {
      'refuses a forged License carrying the genuine signature, the original moved into ds:Object': wrap(
        'id',
        (l, s) => inside(wanted('forged'), intoObject(s, l)),
      ),
      'refuses the same with the forged root claiming the signed Id too': wrap('id', (l, s) =>
        inside(wanted('license'), intoObject(s, l)),
      ),
      'refuses the original moved into a wrapper element of the forged License (duplicate Id)': wrap(
        'id',
        (l, s) => inside(wanted('license'), `<Extensions>${l}</Extensions>${s}`),
      ),
      'refuses the original in a wrapper while the forged root has another Id': wrap('id', (l, s) =>
        inside(wanted('forged'), evil(l) + s),
      ),
      'refuses the original in a wrapper while the forged root has no Id': wrap('id', (l, s) =>
        inside(wanted(null), evil(l) + s),
      ),
      'refuses the original hidden inside KeyInfo (duplicate Id)': wrap('id', (l, s) =>
        inside(wanted('license'), intoKeyInfo(s, l)),
      ),
      'refuses the original as a sibling after the forged content (duplicate Id)': wrap('id', (l, s) =>
        inside(wanted('license'), l + s),
      ),
      'refuses the original as a sibling before the forged content (duplicate Id)': wrap('id', (l, s) =>
        edit(inside(wanted('license'), s), '<LicenseId>', `${l}<LicenseId>`),
      ),
      'refuses the whole original, signature included, nested in a forged License': wrap(
        'id',
        (_l, _s, whole) => inside(wanted('forged'), whole),
      ),
      'refuses the original next to a forged License under a foreign root': wrap('id', (_l, _s, whole) =>
        evil(whole + rootOf(wanted('forged'))),
      ),
      'refuses forged fields carrying the signature while the signed Id sits on Licensee': wrap(
        'id',
        (_l, s) => inside(edit(wanted('forged'), '<Licensee>', '<Licensee Id="license">'), s),
      ),
    })
    refuses('DIGEST_MISMATCH', {
      'refuses the original in a wrapper when the reference is URI=""': wrap('', (l, s) =>
        inside(wanted(null), evil(l) + s),
      ),
      'refuses the original hidden inside KeyInfo when the reference is URI=""': wrap('', (l, s) =>
        inside(wanted(null), intoKeyInfo(s, l)),
      ),
    })
    refuses('MALFORMED_XML', {
      'refuses the original appended after a forged root that carries its signature': wrap(
        'id',
        (l, s) => inside(wanted('license'), s) + l,
      ),
    })

    describe('comment injection into signed text', () => {
      const injected = () => edit(sign(), 'Müller &amp;', 'Müller<!-- the comment splits the text --> &amp;')
      it('stays valid and reports the whole signed company (exclusive c14n drops comments)', async () => {
        const {exit, result} = await verifyOne(injected())
        expectValid(result)
        expect(result.license?.company).to.equal('Müller & Söhne GmbH')
        expect(exit).to.equal(0)
      })
      it('does not let the text before the comment pass as the company', async () => {
        const {result} = await verifyOne(injected(), {flags: ['--company', 'Müller']})
        expect(result.errors.map((e) => e.code)).to.deep.equal(['COMPANY_MISMATCH'])
        expect(result.license?.company).to.equal('Müller & Söhne GmbH')
      })
      it('keeps a signed standard Edition standard when a comment says premium', async () => {
        const xml = edit(sign({draft: {edition: 'standard'}}), '<Edition>', '<Edition><!--premium-->')
        const {result} = await verifyOne(xml, {flags: ['--edition', 'premium']})
        expect(result.errors.map((e) => e.code)).to.deep.equal(['EDITION_MISMATCH'])
        expect(result.license?.edition).to.equal('standard')
      })
    })
  })

  describe('batch runs', () => {
    const batchDir = (name: string) => {
      mkdirSync(join(w.dir, name, 'sub'), {recursive: true})
      return join(w.dir, name)
    }

    it('reports each file of a directory with its own code, in sorted order, and exits 1', async () => {
      const dir = batchDir('batch-mixed')
      w.write('batch-mixed/c-valid.xml', sign())
      w.write('batch-mixed/a-tampered.xml', edit(sign(), 'Müller', 'Mueller'))
      w.write('batch-mixed/b-unsigned.xml', unsigned())
      w.write('batch-mixed/notes.txt', 'not a license, not read')
      w.write('batch-mixed/sub/d-foreign.xml', sign({signer: w.foreignSigner}))
      w.write('batch-mixed/e-huge.xml', Buffer.alloc(MIB + 1, 0x20))
      w.write('batch-mixed/f-doctype.xml', withDtd('<!DOCTYPE License>'))
      const {code, json} = await verify([dir])
      expect(json.results.map((r) => [relative(dir, r.file), r.errors[0]?.code ?? 'valid'])).to.deep.equal([
        ['a-tampered.xml', 'DIGEST_MISMATCH'],
        ['b-unsigned.xml', 'SIGNATURE_MISSING'],
        ['c-valid.xml', 'valid'],
        ['e-huge.xml', 'FILE_TOO_LARGE'],
        ['f-doctype.xml', 'DTD_FORBIDDEN'],
        [join('sub', 'd-foreign.xml'), 'UNTRUSTED_SIGNER'],
      ])
      expect(json.summary).to.deep.equal({total: 6, valid: 1, invalid: 5})
      expect(code).to.equal(1)
    })

    it('exits 0 when every file of the batch is valid', async () => {
      const dir = batchDir('batch-valid')
      w.write('batch-valid/rsa.xml', sign())
      w.write('batch-valid/sub/ec.xml', sign({signer: w.ecSigner, layout: {prefix: 'lic'}}))
      const {code, json} = await verify([dir])
      expect(json.results.map((r) => [relative(dir, r.file), r.status])).to.deep.equal([
        ['rsa.xml', 'valid'],
        [join('sub', 'ec.xml'), 'valid'],
      ])
      expect(json.summary).to.deep.equal({total: 2, valid: 2, invalid: 0})
      expect(code).to.equal(0)
    })
  })
})
