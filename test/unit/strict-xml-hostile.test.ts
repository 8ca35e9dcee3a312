import {expect} from 'chai'

import {LicenseCheckError} from '../../src/lib/license/codes.js'
import {decodeXml, parseStrictXml} from '../../src/lib/license/strict-xml.js'

/** What each ~1 MiB pathological input yields; a quadratic scan would time the test out instead. */
function outcome(text: string): string {
  try {
    parseStrictXml(decodeXml(Buffer.from(text)))
    return 'ok'
  } catch (error) {
    return error instanceof LicenseCheckError ? error.code : `crash: ${String(error)}`
  }
}

describe('strict XML on pathological 1 MiB inputs (linear, no crash)', () => {
  const cases: Array<[string, string, string]> = [
    ['a quarter million unterminated comments', '<a>' + '<!--'.repeat(250_000) + '</a>', 'MALFORMED_XML'],
    [
      'a hundred thousand unterminated CDATA sections',
      '<a>' + '<![CDATA['.repeat(100_000) + '</a>',
      'MALFORMED_XML',
    ],
    [
      'a DOCTYPE after many terminated comments',
      '<!-- x -->'.repeat(100_000) + '<!DOCTYPE a><a/>',
      'DTD_FORBIDDEN',
    ],
    ['a million quotes in an attribute position', '<a b=' + '"'.repeat(1_000_000) + '/>', 'MALFORMED_XML'],
    ['three hundred thousand unclosed start tags', '<a'.repeat(300_000), 'MALFORMED_XML'],
    ['a million bare ampersands', '<a>' + '&'.repeat(1_000_000) + '</a>', 'MALFORMED_XML'],
    ['comments and CDATA alternating', '<a>' + '<!-- x --><![CDATA[y]]>'.repeat(40_000) + '</a>', 'ok'],
    [
      'fifty thousand attributes',
      '<a ' + Array.from({length: 50_000}, (_, i) => `a${i}="1"`).join(' ') + '/>',
      'ok',
    ],
  ]
  for (const [name, text, expected] of cases) {
    it(`handles ${name}: ${expected}`, () => {
      expect(outcome(text)).to.equal(expected)
    })
  }
})
