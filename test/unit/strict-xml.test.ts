/**
 * Hostile inputs against the first verification step (license-format.md, step 1): UTF-8 only, no DTD of any
 * kind, well-formed, one root. Every test names the exact code the verifier must report.
 */
import {expect} from 'chai'

import {LicenseCheckError, type VerificationCode} from '../../src/lib/license/codes.js'
import {decodeXml, MAX_DEPTH, parseStrictXml} from '../../src/lib/license/strict-xml.js'

const utf8 = (text: string) => new TextEncoder().encode(text)

/** decodeXml then parseStrictXml, as the verifier runs them. */
function parseBytes(bytes: Uint8Array): Document {
  return parseStrictXml(decodeXml(bytes))
}

function parseText(text: string): Document {
  return parseBytes(utf8(text))
}

/** Runs `fn` and returns the LicenseCheckError it throws; fails when it returns or throws anything else. */
function refusal(fn: () => unknown): LicenseCheckError {
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(LicenseCheckError)
    return error as LicenseCheckError
  }
  expect.fail(`expected a LicenseCheckError, but the input was accepted (${String(result)})`)
}

function expectCode(code: VerificationCode, fn: () => unknown): LicenseCheckError {
  const error = refusal(fn)
  expect(error.code, error.message).to.equal(code)
  expect(error.detail, 'a refusal says what exactly was wrong').to.be.a('string').and.not.equal('')
  return error
}

/** Deterministic bytes (xorshift32), so a failure can be reproduced from the seed. */
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  let x = seed >>> 0 || 1
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    bytes[i] = x & 0xff
  }
  return bytes
}

const LICENSE_LIKE =
  '<License xmlns="urn:timecard:rmm:license:1" Id="license"><LicenseId>x</LicenseId><Edition>premium</Edition></License>'

describe('strict XML: DTDs are forbidden (DTD_FORBIDDEN)', () => {
  it('refuses a plain DOCTYPE', () => {
    expectCode('DTD_FORBIDDEN', () => parseText('<!DOCTYPE License>' + LICENSE_LIKE))
  })

  it('refuses a DOCTYPE after the XML declaration, and in lower case', () => {
    expectCode('DTD_FORBIDDEN', () =>
      parseText('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE License>\n' + LICENSE_LIKE),
    )
    expectCode('DTD_FORBIDDEN', () => parseText('<!doctype License>' + LICENSE_LIKE))
  })

  it('refuses the billion-laughs entity bomb before expanding anything', () => {
    const levels = ['<!ENTITY lol "lol">']
    for (let i = 1; i <= 9; i++)
      levels.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`)
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${levels.join('\n')}\n]>\n<lolz>&lol9;</lolz>`
    const started = Date.now()
    expectCode('DTD_FORBIDDEN', () => parseText(bomb))
    expect(Date.now() - started, 'refused without expansion').to.be.below(1000)
  })

  it('refuses an XXE external SYSTEM entity', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE License [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<License xmlns="urn:timecard:rmm:license:1"><LicenseId>&xxe;</LicenseId></License>'
    expectCode('DTD_FORBIDDEN', () => parseText(xxe))
  })

  it('refuses an external DTD by PUBLIC identifier', () => {
    expectCode('DTD_FORBIDDEN', () =>
      parseText('<!DOCTYPE License PUBLIC "-//X//DTD X//EN" "http://example.invalid/x.dtd">' + LICENSE_LIKE),
    )
  })

  it('refuses a parameter entity', () => {
    expectCode('DTD_FORBIDDEN', () =>
      parseText('<!DOCTYPE a [<!ENTITY % p SYSTEM "http://example.invalid/p">%p;]><a/>'),
    )
  })

  it('refuses <!ENTITY outside a doctype, before and inside the root', () => {
    expectCode('DTD_FORBIDDEN', () => parseText('<!ENTITY x "y">' + LICENSE_LIKE))
    expectCode('DTD_FORBIDDEN', () => parseText('<a><!ENTITY x "y"></a>'))
  })

  it('refuses other DTD markup (ELEMENT, ATTLIST) on its own', () => {
    expectCode('DTD_FORBIDDEN', () => parseText('<!ELEMENT a ANY><a/>'))
    expectCode('DTD_FORBIDDEN', () => parseText('<!ATTLIST a Id ID #IMPLIED><a Id="x"/>'))
  })

  it('does NOT treat a DOCTYPE mentioned only inside a comment as a DTD', () => {
    const doc = parseText('<!-- <!DOCTYPE License [<!ENTITY x "y">]> -->' + '<a><!-- <!DOCTYPE a> --></a>')
    expect(doc.documentElement.localName).to.equal('a')
  })

  it('does NOT treat a DOCTYPE mentioned only inside CDATA as a DTD', () => {
    const doc = parseText('<a><![CDATA[<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>]]></a>')
    expect(doc.documentElement.localName).to.equal('a')
    expect(doc.documentElement.textContent).to.equal('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
  })
})

describe('strict XML: not well-formed or not UTF-8 (MALFORMED_XML)', () => {
  it('refuses an empty file', () => {
    expectCode('MALFORMED_XML', () => parseBytes(new Uint8Array(0)))
  })

  it('refuses a file of white space only', () => {
    expectCode('MALFORMED_XML', () => parseText('   \n\t\r\n  '))
  })

  it('refuses a UTF-8 BOM with nothing after it', () => {
    expectCode('MALFORMED_XML', () => parseBytes(new Uint8Array([0xef, 0xbb, 0xbf])))
  })

  it('refuses binary garbage (64 pseudo-random buffers, fixed seeds)', () => {
    for (let seed = 1; seed <= 64; seed++) {
      const bytes = pseudoRandomBytes(seed * 2654435761, 16 + seed * 31)
      const error = refusal(() => parseBytes(bytes))
      expect(error.code, `seed ${seed}: ${error.message}`).to.equal('MALFORMED_XML')
    }
  })

  it('refuses garbage that starts like XML', () => {
    const bytes = new Uint8Array([...utf8('<License>'), ...pseudoRandomBytes(42, 256)])
    expectCode('MALFORMED_XML', () => parseBytes(bytes))
  })

  it('refuses invalid UTF-8 (a lone continuation byte, an overlong encoding, a truncated sequence)', () => {
    expectCode('MALFORMED_XML', () => parseBytes(new Uint8Array([...utf8('<a>'), 0x80, ...utf8('</a>')])))
    expectCode('MALFORMED_XML', () =>
      parseBytes(new Uint8Array([...utf8('<a>'), 0xc0, 0xbc, ...utf8('</a>')])),
    )
    expectCode('MALFORMED_XML', () =>
      parseBytes(new Uint8Array([...utf8('<a>'), 0xe2, 0x82, ...utf8('</a>')])),
    )
  })

  it('refuses Windows-1252 / Latin-1 bytes (ü as 0xFC)', () => {
    expectCode('MALFORMED_XML', () =>
      parseBytes(new Uint8Array([...utf8('<a>M'), 0xfc, ...utf8('ller</a>')])),
    )
  })

  it('refuses UTF-16 with a BOM, little and big endian', () => {
    const le = Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a/>', 'utf16le')
    expectCode('MALFORMED_XML', () => parseBytes(new Uint8Array([0xff, 0xfe, ...le])))
    const be = Buffer.from(le).swap16()
    expectCode('MALFORMED_XML', () => parseBytes(new Uint8Array([0xfe, 0xff, ...be])))
  })

  it('refuses a declared encoding other than UTF-8 (ISO-8859-1), even when the bytes are ASCII', () => {
    expectCode('MALFORMED_XML', () => parseText('<?xml version="1.0" encoding="ISO-8859-1"?>' + LICENSE_LIKE))
    expectCode('MALFORMED_XML', () => parseText("<?xml version='1.0' encoding='windows-1252'?><a/>"))
  })

  it('refuses two root elements', () => {
    expectCode('MALFORMED_XML', () => parseText(LICENSE_LIKE + LICENSE_LIKE))
    expectCode('MALFORMED_XML', () => parseText('<a/><b/>'))
  })

  it('refuses text after the root', () => {
    expectCode('MALFORMED_XML', () => parseText(LICENSE_LIKE + 'trailing'))
  })

  it('refuses text before the root', () => {
    expectCode('MALFORMED_XML', () => parseText('leading' + LICENSE_LIKE))
  })

  it('refuses an XML declaration that is not at the very start', () => {
    expectCode('MALFORMED_XML', () => parseText('<a/><?xml version="1.0"?>'))
  })

  it('refuses mismatched and unclosed tags', () => {
    expectCode('MALFORMED_XML', () => parseText('<a><b></a></b>'))
    expectCode('MALFORMED_XML', () => parseText('<a><b></b>'))
    expectCode('MALFORMED_XML', () => parseText('<a></b>'))
  })

  it('refuses duplicate attributes', () => {
    expectCode('MALFORMED_XML', () => parseText('<a x="1" x="2"/>'))
    expectCode('MALFORMED_XML', () =>
      parseText('<License xmlns="urn:timecard:rmm:license:1" Id="license" Id="other"/>'),
    )
  })

  it('refuses an undefined entity reference &xxe;', () => {
    expectCode('MALFORMED_XML', () => parseText('<a>&xxe;</a>'))
    expectCode('MALFORMED_XML', () => parseText('<a x="&xxe;"/>'))
  })

  it('refuses an unbound namespace prefix on an element and on an attribute', () => {
    expectCode('MALFORMED_XML', () =>
      parseText('<lic:License><lic:LicenseId>x</lic:LicenseId></lic:License>'),
    )
    expectCode('MALFORMED_XML', () => parseText('<a p:x="1"/>'))
  })

  it('refuses the control character U+0001 literally, in text and in an attribute', () => {
    expectCode('MALFORMED_XML', () => parseText('<a>\u0001</a>'))
    expectCode('MALFORMED_XML', () => parseText('<a x="\u0001"/>'))
  })

  it('refuses U+0001 as a character reference &#1; and &#x1;, in text and in an attribute', () => {
    expectCode('MALFORMED_XML', () => parseText('<a>&#1;</a>'))
    expectCode('MALFORMED_XML', () => parseText('<a>&#x1;</a>'))
    expectCode('MALFORMED_XML', () => parseText('<a x="&#1;"/>'))
  })

  it('refuses NUL as &#0; and &#x0;', () => {
    expectCode('MALFORMED_XML', () => parseText('<a>&#0;</a>'))
    expectCode('MALFORMED_XML', () => parseText('<a>&#x0;</a>'))
  })

  it('refuses a literal NUL byte', () => {
    expectCode('MALFORMED_XML', () => parseBytes(new Uint8Array([...utf8('<a>'), 0x00, ...utf8('</a>')])))
  })

  it(`accepts nesting of exactly MAX_DEPTH (${MAX_DEPTH}) and refuses one level deeper`, () => {
    const nested = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth)
    expect(parseText(nested(MAX_DEPTH)).documentElement.localName).to.equal('a')
    expectCode('MALFORMED_XML', () => parseText(nested(MAX_DEPTH + 1)))
  })

  it('refuses absurd nesting (100 000 levels) without a stack overflow', () => {
    const error = expectCode('MALFORMED_XML', () => parseText('<a>'.repeat(100_000) + '</a>'.repeat(100_000)))
    expect(error).to.not.be.instanceOf(RangeError)
  })
})

describe('strict XML: legal variations are accepted', () => {
  it('accepts a UTF-8 BOM and strips it', () => {
    const text = decodeXml(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(LICENSE_LIKE)]))
    expect(text.charCodeAt(0)).to.not.equal(0xfeff)
    expect(text).to.equal(LICENSE_LIKE)
    expect(parseStrictXml(text).documentElement.localName).to.equal('License')
  })

  it('accepts a UTF-8 BOM followed by an XML declaration', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...utf8('<?xml version="1.0" encoding="UTF-8"?>\n' + LICENSE_LIKE),
    ])
    expect(parseBytes(bytes).documentElement.localName).to.equal('License')
  })

  it('accepts an XML declaration with encoding="utf-8" and "UTF-8", single or double quoted', () => {
    for (const encoding of ['utf-8', 'UTF-8']) {
      expect(
        parseText(`<?xml version='1.0' encoding='${encoding}'?>` + LICENSE_LIKE).documentElement.localName,
      ).to.equal('License')
      const doc = parseText(`<?xml version="1.0" encoding="${encoding}"?>\n` + LICENSE_LIKE)
      expect(doc.documentElement.localName, encoding).to.equal('License')
    }
  })

  it('accepts an XML declaration without encoding, and no declaration at all', () => {
    expect(parseText('<?xml version="1.0"?>' + LICENSE_LIKE).documentElement.localName).to.equal('License')
    expect(parseText(LICENSE_LIKE).documentElement.localName).to.equal('License')
  })

  it('accepts non-ASCII UTF-8 content and keeps it exactly', () => {
    const doc = parseText('<a>Müller &amp; Söhne GmbH 𝄞</a>')
    expect(doc.documentElement.textContent).to.equal('Müller & Söhne GmbH 𝄞')
  })

  it('accepts \\r\\n line ends, comments and processing instructions around the root', () => {
    const doc = parseText(
      '<?xml version="1.0"?>\r\n<!-- c -->\r\n<?pi x?>\r\n' + LICENSE_LIKE + '\r\n<!-- after -->\r\n',
    )
    expect(doc.documentElement.getAttribute('Id')).to.equal('license')
  })

  it('accepts a bound namespace prefix', () => {
    const doc = parseText(
      '<lic:License xmlns:lic="urn:timecard:rmm:license:1"><lic:LicenseId>x</lic:LicenseId></lic:License>',
    )
    expect(doc.documentElement.namespaceURI).to.equal('urn:timecard:rmm:license:1')
    expect(doc.documentElement.localName).to.equal('License')
  })

  it('accepts the predefined entities and legal character references', () => {
    const doc = parseText('<a x="&quot;&#x9;">&lt;&gt;&amp;&apos;&#65;&#x1F600;</a>')
    expect(doc.documentElement.textContent).to.equal("<>&'A😀")
    expect(doc.documentElement.getAttribute('x')).to.equal('"\t')
  })
})
