/**
 * Interoperability with the reference implementation, the `xmlsec1` command line tool (license-format.md,
 * "Interoperability (required)"), in both directions, and the shapes that xmlsec1 accepts but the strict profile
 * exists to refuse.
 *
 * Without xmlsec1 on PATH the suite is skipped, unless TCRMM_REQUIRE_XMLSEC1 is set (CI): then it fails.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {readFileSync} from 'node:fs'

import {verifyJson} from '../support/cli.js'
import {AT, DRAFT, getWorld, type World} from '../support/licenses.js'
import type {Issued} from '../support/pki.js'

const LICENSE_NS = 'urn:timecard:rmm:license:1'
const DSIG = 'http://www.w3.org/2000/09/xmldsig#'
const MORE = 'http://www.w3.org/2001/04/xmldsig-more#'
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'
const ENVELOPED = `${DSIG}enveloped-signature`
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256'
/** xmlsec1 registers Id attributes only when told: `--id-attr:<attr> <ns>:<element>`. */
const ID_ATTR = ['--id-attr:Id', `${LICENSE_NS}:License`]

interface ToolResult {
  code: number | null
  out: string
}

function xmlsec1(args: string[]): ToolResult {
  const result = spawnSync('xmlsec1', args, {encoding: 'utf8', timeout: 20_000})
  if (result.error) throw result.error
  return {code: result.status, out: `${result.stdout}${result.stderr}`}
}

function xmlsec1Available(): boolean {
  const result = spawnSync('xmlsec1', ['--version'], {encoding: 'utf8', timeout: 10_000})
  return !result.error && result.status === 0
}

function xmlsec1Supports(transform: string): boolean {
  const result = spawnSync('xmlsec1', ['--list-transforms'], {encoding: 'utf8', timeout: 10_000})
  return !result.error && `${result.stdout}${result.stderr}`.includes(`"${transform}"`)
}

/** `xmlsec1 --verify` against our root, as an integrator would run it. */
function xmlsec1Verify(world: World, file: string, extra: string[] = []): ToolResult {
  return xmlsec1(['--verify', '--enabled-key-data', 'x509', '--trusted-pem', world.rootPem, ...extra, file])
}

function expectXmlsec1Accepts(result: ToolResult, what: string): void {
  expect(result.code, `xmlsec1 should accept ${what}:\n${result.out}`).to.equal(0)
  expect(result.out).to.match(/^OK$/m)
}

function expectXmlsec1Refuses(result: ToolResult, what: string): void {
  expect(result.code, `xmlsec1 should refuse ${what}:\n${result.out}`).to.not.equal(0)
  expect(result.out).to.not.match(/^OK$/m)
}

interface TemplateOptions {
  signatureMethod: string
  digestMethod?: string
  uri?: '' | '#license'
  edition?: string
  company?: string
  licenseId?: string
  /** Prefix for the license elements; none by default. */
  prefix?: string
  /** Prefix for the signature elements; none (a default namespace) by default. */
  dsPrefix?: string
}

/** An unsigned license in our profile with an empty Signature template, for `xmlsec1 --sign`. */
function signingTemplate(o: TemplateOptions): string {
  const p = o.prefix ? `${o.prefix}:` : ''
  const ds = o.dsPrefix ? `${o.dsPrefix}:` : ''
  const nsDecl = o.prefix ? `xmlns:${o.prefix}="${LICENSE_NS}"` : `xmlns="${LICENSE_NS}"`
  const dsDecl = o.dsPrefix ? `xmlns:${o.dsPrefix}="${DSIG}"` : `xmlns="${DSIG}"`
  return `<?xml version="1.0" encoding="UTF-8"?>
<${p}License ${nsDecl} Id="license">
  <${p}LicenseId>${o.licenseId ?? '0b8e7c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e'}</${p}LicenseId>
  <${p}Edition>${o.edition ?? 'standard'}</${p}Edition>
  <${p}Licensee>
    <${p}Company>${o.company ?? 'Müller &amp; Söhne GmbH'}</${p}Company>
    <${p}PartnerId>P-10042</${p}PartnerId>
  </${p}Licensee>
  <${p}IssuedAt>2026-01-15T09:00:00Z</${p}IssuedAt>
  <${p}ValidUntil>2027-12-31T23:59:59Z</${p}ValidUntil>
  <${p}Features>
    <${p}Feature>dashboard</${p}Feature>
  </${p}Features>
  <${ds}Signature ${dsDecl}>
    <${ds}SignedInfo>
      <${ds}CanonicalizationMethod Algorithm="${EXC_C14N}"/>
      <${ds}SignatureMethod Algorithm="${o.signatureMethod}"/>
      <${ds}Reference URI="${o.uri ?? ''}">
        <${ds}Transforms>
          <${ds}Transform Algorithm="${ENVELOPED}"/>
          <${ds}Transform Algorithm="${EXC_C14N}"/>
        </${ds}Transforms>
        <${ds}DigestMethod Algorithm="${o.digestMethod ?? SHA256}"/>
        <${ds}DigestValue></${ds}DigestValue>
      </${ds}Reference>
    </${ds}SignedInfo>
    <${ds}SignatureValue></${ds}SignatureValue>
    <${ds}KeyInfo>
      <${ds}X509Data>
        <${ds}X509Certificate></${ds}X509Certificate>
      </${ds}X509Data>
    </${ds}KeyInfo>
  </${ds}Signature>
</${p}License>
`
}

let counter = 0
const unique = (stem: string) => `${stem}-${++counter}.xml`

/** Signs `template` with xmlsec1 and returns the path of the signed file. */
function signWithXmlsec1(
  world: World,
  template: string,
  who: Issued,
  options: {chain?: Issued[]; idAttr?: boolean} = {},
) {
  const name = unique('xmlsec1-signed')
  const key = world.write(`${name}.key.pem`, who.privateKey.export({type: 'pkcs8', format: 'pem'}) as string)
  const certs = [who, ...(options.chain ?? [])].map((c, i) => world.write(`${name}.cert${i}.pem`, c.pem))
  const input = world.write(`${name}.template.xml`, template)
  const output = `${input.slice(0, -'.template.xml'.length)}.xml`
  const result = xmlsec1([
    '--sign',
    '--privkey-pem',
    [key, ...certs].join(','),
    ...(options.idAttr ? ID_ATTR : []),
    '--output',
    output,
    input,
  ])
  expect(result.code, `xmlsec1 --sign failed:\n${result.out}`).to.equal(0)
  const signed = readFileSync(output, 'utf8')
  expect(signed, 'xmlsec1 filled in the SignatureValue').to.match(
    /<(\w+:)?SignatureValue>[A-Za-z0-9+/=\s]{40,}</,
  )
  return output
}

async function verifyOne(world: World, file: string, extra: string[] = []) {
  const result = await verifyJson(['--ca', world.rootPem, '--at', AT, ...extra, file])
  expect(result.json.results, result.stdout).to.have.length(1)
  return {...result, verdict: result.json.results[0] as (typeof result.json.results)[number]}
}

function fingerprintOf(who: Issued): string {
  return new X509Certificate(who.pem).fingerprint256
}

describe('license interop with xmlsec1', function () {
  let world: World

  before(async function () {
    if (!xmlsec1Available()) {
      if (process.env.TCRMM_REQUIRE_XMLSEC1) {
        throw new Error(
          'xmlsec1 is not on PATH, but TCRMM_REQUIRE_XMLSEC1 is set: install xmlsec1 (e.g. apt-get install xmlsec1)',
        )
      }
      console.log(
        '    xmlsec1 not on PATH: interop tests skipped (set TCRMM_REQUIRE_XMLSEC1 to make this a failure)',
      )
      this.skip()
    }
    world = await getWorld()
  })

  describe('(a) licenses signed by tcrmm verify with xmlsec1 --verify --trusted-pem <root>', () => {
    it('RSA signer, URI=""', () => {
      const file = world.write(unique('ours-rsa'), world.sign())
      expect(readFileSync(file, 'utf8')).to.include('URI=""')
      expectXmlsec1Accepts(xmlsec1Verify(world, file), 'an RSA license with URI=""')
    })

    it('ECDSA P-256 signer, URI=""', () => {
      const file = world.write(unique('ours-ec'), world.sign({signer: world.ecSigner}))
      expect(readFileSync(file, 'utf8')).to.include(`${MORE}ecdsa-sha256`)
      expectXmlsec1Accepts(xmlsec1Verify(world, file), 'an ECDSA license with URI=""')
    })

    it('RSA signer, URI="#license" (with --id-attr:Id)', () => {
      const file = world.write(unique('ours-rsa-id'), world.sign({reference: 'id'}))
      expect(readFileSync(file, 'utf8')).to.include('URI="#license"')
      expectXmlsec1Accepts(xmlsec1Verify(world, file, ID_ATTR), 'an RSA license with URI="#license"')
    })

    it('ECDSA signer, URI="#license" (with --id-attr:Id)', () => {
      const file = world.write(unique('ours-ec-id'), world.sign({signer: world.ecSigner, reference: 'id'}))
      expectXmlsec1Accepts(xmlsec1Verify(world, file, ID_ATTR), 'an ECDSA license with URI="#license"')
    })

    it('RSA signer via an intermediate in KeyInfo', () => {
      const file = world.write(
        unique('ours-intermediate'),
        world.sign({signer: world.intermediateSigner, chain: [world.intermediate]}),
      )
      expectXmlsec1Accepts(xmlsec1Verify(world, file), 'a license signed through an intermediate')
    })

    it('legal variations: license prefix, default-namespace signature, \\r\\n line ends, sha512', () => {
      const file = world.write(
        unique('ours-variations'),
        world.sign({
          layout: {prefix: 'lic', newline: '\r\n'},
          dsPrefix: '',
          digestAlgorithm: 'sha512',
          signatureAlgorithm: 'rsa-sha512',
        }),
      )
      expectXmlsec1Accepts(xmlsec1Verify(world, file), 'a license with prefixes, CRLF and sha512')
    })

    it('and tcrmm itself says valid to every one of those shapes (one batch)', async () => {
      const files = [
        world.write(unique('batch-rsa'), world.sign()),
        world.write(unique('batch-ec'), world.sign({signer: world.ecSigner})),
        world.write(unique('batch-rsa-id'), world.sign({reference: 'id'})),
        world.write(
          unique('batch-inter'),
          world.sign({signer: world.intermediateSigner, chain: [world.intermediate]}),
        ),
        world.write(
          unique('batch-variations'),
          world.sign({
            layout: {prefix: 'lic', newline: '\r\n'},
            dsPrefix: '',
            digestAlgorithm: 'sha512',
            signatureAlgorithm: 'rsa-sha512',
          }),
        ),
      ]
      const {code, json, stdout} = await verifyJson(['--ca', world.rootPem, '--at', AT, ...files])
      expect(
        json.results.map((r) => [r.valid, r.errors.map((e) => e.code)]),
        stdout,
      ).to.deep.equal(files.map(() => [true, []]))
      expect(json.summary).to.deep.equal({total: files.length, valid: files.length, invalid: 0})
      expect(code).to.equal(0)
    })

    it('control: xmlsec1 refuses a tampered license and one signed under a foreign root', () => {
      const tampered = world.sign().replace('<Edition>premium</Edition>', '<Edition>premiun</Edition>')
      expectXmlsec1Refuses(
        xmlsec1Verify(world, world.write(unique('tampered'), tampered)),
        'a tampered license',
      )
      const foreign = world.sign({signer: world.foreignSigner})
      expectXmlsec1Refuses(xmlsec1Verify(world, world.write(unique('foreign'), foreign)), 'a foreign signer')
    })
  })

  describe('(b) licenses signed by xmlsec1 --sign verify with tcrmm', () => {
    async function expectValidFromXmlsec1(file: string, who: Issued, algorithm: string) {
      const {code, json, verdict, stdout} = await verifyOne(world, file)
      expect(verdict.errors, stdout).to.deep.equal([])
      expect(verdict.valid).to.equal(true)
      expect(verdict.status).to.equal('valid')
      expect(verdict.license).to.deep.equal({
        licenseId: '0b8e7c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e',
        edition: 'standard',
        company: 'Müller & Söhne GmbH',
        partnerId: 'P-10042',
        issuedAt: '2026-01-15T09:00:00Z',
        validFrom: '2026-01-15T09:00:00Z',
        validUntil: '2027-12-31T23:59:59Z',
        maxCustomers: null,
        features: ['dashboard'],
        unknownFields: [],
      })
      expect(verdict.signer).to.include({algorithm, fingerprintSha256: fingerprintOf(who)})
      expect(json.summary).to.deep.equal({total: 1, valid: 1, invalid: 0})
      expect(code).to.equal(0)
    }

    it('RSA (rsa-sha256), URI=""', async () => {
      const file = signWithXmlsec1(
        world,
        signingTemplate({signatureMethod: `${MORE}rsa-sha256`}),
        world.signer,
      )
      await expectValidFromXmlsec1(file, world.signer, 'rsa-sha256')
      expect((await verifyOne(world, file)).verdict.signer).to.include({
        subject: 'CN=tcrmm Test License Signer',
      })
    })

    it('RSA (rsa-sha256), URI="#license", ds: prefix and lic: prefix', async () => {
      const template = signingTemplate({
        signatureMethod: `${MORE}rsa-sha256`,
        uri: '#license',
        prefix: 'lic',
        dsPrefix: 'ds',
      })
      const file = signWithXmlsec1(world, template, world.signer, {idAttr: true})
      await expectValidFromXmlsec1(file, world.signer, 'rsa-sha256')
    })

    it('RSA through an intermediate that xmlsec1 puts into KeyInfo', async () => {
      const file = signWithXmlsec1(
        world,
        signingTemplate({signatureMethod: `${MORE}rsa-sha256`}),
        world.intermediateSigner,
        {
          chain: [world.intermediate],
        },
      )
      expect(
        readFileSync(file, 'utf8').match(/<X509Certificate>/g),
        'both certificates in KeyInfo',
      ).to.have.length(2)
      await expectValidFromXmlsec1(file, world.intermediateSigner, 'rsa-sha256')
    })

    it('ECDSA (ecdsa-sha256), URI=""', async function () {
      if (!xmlsec1Supports('ecdsa-sha256')) this.skip()
      const file = signWithXmlsec1(
        world,
        signingTemplate({signatureMethod: `${MORE}ecdsa-sha256`}),
        world.ecSigner,
      )
      await expectValidFromXmlsec1(file, world.ecSigner, 'ecdsa-sha256')
    })

    it('the xmlsec1-signed file is also accepted by xmlsec1 itself (the template is sound)', () => {
      const file = signWithXmlsec1(
        world,
        signingTemplate({signatureMethod: `${MORE}rsa-sha256`}),
        world.signer,
      )
      expectXmlsec1Accepts(xmlsec1Verify(world, file), 'its own signature')
    })

    it('control: an xmlsec1-signed license with a changed field is DIGEST_MISMATCH', async () => {
      const file = signWithXmlsec1(
        world,
        signingTemplate({signatureMethod: `${MORE}rsa-sha256`}),
        world.signer,
      )
      const forged = readFileSync(file, 'utf8').replace(
        '<Edition>standard</Edition>',
        '<Edition>premium</Edition>',
      )
      const {verdict, code} = await verifyOne(world, world.write(unique('xmlsec1-forged'), forged))
      expect(verdict.errors.map((e) => e.code)).to.deep.equal(['DIGEST_MISMATCH'])
      expect(verdict.license).to.equal(null)
      expect(code).to.equal(1)
    })
  })

  describe('(c) what xmlsec1 accepts and the strict profile refuses', () => {
    /**
     * Signature wrapping: the genuine standard license (Id="license", signed with URI="#license") is moved,
     * without its signature, into an element inside a forged premium License that carries the signature. The
     * reference still resolves to the genuine element, so a generic verifier finds a valid signature, while an
     * application reading the root would see the forged fields.
     */
    function wrappedLicense(): string {
      const genuine = world.sign({reference: 'id', draft: {edition: 'standard', company: 'Genuine GmbH'}})
      const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(genuine)?.[0]
      expect(signature, 'signature element').to.be.a('string')
      const genuineUnsigned = genuine
        .replace(signature as string, '')
        .replace(/^<\?xml[^>]*\?>\s*/, '')
        .trim()
      return `<?xml version="1.0" encoding="UTF-8"?>
<License xmlns="${LICENSE_NS}" Id="forged">
  <LicenseId>${DRAFT.licenseId}</LicenseId>
  <Edition>premium</Edition>
  <Licensee>
    <Company>Evil Corp</Company>
    <PartnerId>P-66666</PartnerId>
  </Licensee>
  <IssuedAt>2026-01-15T09:00:00Z</IssuedAt>
  <MaxCustomers>999999</MaxCustomers>
  ${signature}
  <Archive xmlns="urn:example:wrapper">${genuineUnsigned}</Archive>
</License>
`
    }

    it('a wrapped license: tcrmm refuses it (PROFILE_VIOLATION), whatever xmlsec1 says', async () => {
      const file = world.write(unique('wrapped'), wrappedLicense())
      const {verdict, code, stdout} = await verifyOne(world, file)
      expect(verdict.valid, stdout).to.equal(false)
      expect(verdict.errors.map((e) => e.code)).to.deep.equal(['PROFILE_VIOLATION'])
      expect(verdict.license).to.equal(null)
      expect(verdict.signer).to.equal(null)
      expect(code).to.equal(1)
    })

    it('a wrapped license: xmlsec1 accepts it while tcrmm refuses it', async function () {
      const file = world.write(unique('wrapped-xmlsec1'), wrappedLicense())
      const tool = xmlsec1Verify(world, file, ID_ATTR)
      const {verdict} = await verifyOne(world, file)
      expect(verdict.valid).to.equal(false)
      if (tool.code !== 0) {
        console.log(
          `    xmlsec1 refused the wrapped shape too (exit ${tool.code}); only the tcrmm refusal is asserted`,
        )
        this.skip()
      }
      expectXmlsec1Accepts(tool, 'the wrapped license (the weakness the profile exists for)')
    })

    /** A license in our layout signed by xmlsec1 with rsa-sha1 over a sha1 digest. */
    function sha1License(): string {
      const template = signingTemplate({
        signatureMethod: `${DSIG}rsa-sha1`,
        digestMethod: `${DSIG}sha1`,
        edition: 'premium',
      })
      return signWithXmlsec1(world, template, world.signer)
    }

    it('rsa-sha1 with a sha1 digest, signed by our trusted signer: tcrmm refuses it (UNSUPPORTED_ALGORITHM)', async function () {
      if (!xmlsec1Supports('rsa-sha1')) this.skip()
      const file = sha1License()
      const {verdict, code, stdout} = await verifyOne(world, file)
      expect(verdict.valid, stdout).to.equal(false)
      expect(verdict.errors.map((e) => e.code)).to.deep.equal(['UNSUPPORTED_ALGORITHM'])
      expect(verdict.errors[0]?.message).to.include('rsa-sha1')
      expect(verdict.license).to.equal(null)
      expect(verdict.signer).to.equal(null)
      expect(code).to.equal(1)
    })

    it('rsa-sha1: xmlsec1 accepts it while tcrmm refuses it', async function () {
      if (!xmlsec1Supports('rsa-sha1')) this.skip()
      const file = sha1License()
      const tool = xmlsec1Verify(world, file)
      const {verdict} = await verifyOne(world, file)
      expect(verdict.valid).to.equal(false)
      if (tool.code !== 0) {
        console.log(
          `    xmlsec1 refused rsa-sha1 too (exit ${tool.code}); only the tcrmm refusal is asserted`,
        )
        this.skip()
      }
      expectXmlsec1Accepts(tool, 'an rsa-sha1 license')
    })

    it('sha256 signature over a sha1 digest: tcrmm refuses it (UNSUPPORTED_ALGORITHM)', async () => {
      const template = signingTemplate({signatureMethod: `${MORE}rsa-sha256`, digestMethod: `${DSIG}sha1`})
      const file = signWithXmlsec1(world, template, world.signer)
      const {verdict} = await verifyOne(world, file)
      expect(verdict.errors.map((e) => e.code)).to.deep.equal(['UNSUPPORTED_ALGORITHM'])
      expect(verdict.license).to.equal(null)
    })
  })
})
