/** The "Zugangsdaten für <Company>.txt" file: encodings, line ends, labels in German and English, errors. */
import {expect} from 'chai'

import {formatCredentialsFile, parseCredentialsFile} from '../../src/lib/auth/credentials-file.js'
import {CliError} from '../../src/lib/errors.js'

const FILE = 'Zugangsdaten für Müller & Söhne GmbH.txt'
const PASSWORD = 'Gr€en: Tür 7 ß'

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Windows-1252 bytes of text; every character used in these tests is in Latin-1 except €. */
function cp1252(text: string): Uint8Array {
  return Uint8Array.from([...text].map((char) => (char === '€' ? 0x80 : char.charCodeAt(0))))
}

function utf16le(text: string, bom = true): Uint8Array {
  const body = Buffer.from(text, 'utf16le')
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body
}

function germanFile(lineEnd: string, password = PASSWORD): string {
  return [
    'Sehr geehrte Damen und Herren,',
    '',
    'anbei Ihre Zugangsdaten für das timeCard RMM.',
    'Firma: Müller & Söhne GmbH',
    'API-Benutzer: rmm-4711',
    `API-Passwort: ${password}`,
    '',
    'Mit freundlichen Grüßen',
  ].join(lineEnd)
}

/** The CliError thrown by parsing, for assertions on it. */
function failure(bytes: Uint8Array, fileName = FILE): CliError {
  try {
    parseCredentialsFile(bytes, fileName)
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    const cliError = error as CliError
    expect(cliError.kind).to.equal('USAGE')
    expect(cliError.code).to.equal('CREDENTIALS_FILE_INVALID')
    expect(cliError.message).to.contain(fileName)
    return cliError
  }
  expect.fail('the file was accepted')
}

/** The error text, hints included, must never carry the secret. */
function expectNoSecret(error: CliError, secret: string) {
  const everything = [error.message, ...error.hints].join('\n')
  expect(everything).not.to.contain(secret)
}

describe('parseCredentialsFile', () => {
  const expected = {apiUser: 'rmm-4711', apiPassword: PASSWORD}

  describe('encodings and line ends', () => {
    for (const [name, lineEnd] of [
      ['CRLF', '\r\n'],
      ['LF', '\n'],
      ['CR', '\r'],
    ]) {
      it(`reads UTF-8 with ${name} line ends`, () => {
        expect(parseCredentialsFile(utf8(germanFile(lineEnd as string)), FILE)).to.deep.equal(expected)
      })
    }

    it('reads UTF-8 with a BOM (the BOM is not part of the first line)', () => {
      const bytes = utf8('\uFEFFAPI-Benutzer: rmm-4711\r\nAPI-Passwort: ' + PASSWORD + '\r\n')
      expect(bytes.slice(0, 3)).to.deep.equal(new Uint8Array([0xef, 0xbb, 0xbf]))
      expect(parseCredentialsFile(bytes, FILE)).to.deep.equal(expected)
    })

    it('reads Windows-1252 (umlauts, ß and € in the password)', () => {
      const bytes = cp1252(germanFile('\r\n'))
      expect([...bytes]).to.include(0x80) // € really is the single Windows-1252 byte
      expect(parseCredentialsFile(bytes, FILE)).to.deep.equal(expected)
    })

    it('reads the Windows-1252 bytes 0x80–0x9F as Windows-1252, not as Latin-1 control characters', () => {
      const bytes = Uint8Array.from([
        ...cp1252('API user: u\nAPI password: '),
        0x93,
        0x80,
        0x92,
        0x9f,
        0x8a,
        0x94,
      ])
      expect(parseCredentialsFile(bytes, FILE).apiPassword).to.equal('\u201c€\u2019ŸŠ\u201d')
    })

    it('reads UTF-16 with a BOM, as older Notepad saves "Unicode"', () => {
      expect(parseCredentialsFile(utf16le(germanFile('\r\n')), FILE)).to.deep.equal(expected)
      const bigEndian = Buffer.from(utf16le(germanFile('\n'), false)).swap16()
      const withBom = Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian])
      expect(parseCredentialsFile(withBom, FILE)).to.deep.equal(expected)
    })
  })

  describe('labels', () => {
    const variants: Array<[string, string]> = [
      ['API-Benutzer', 'API-Passwort'],
      ['API Benutzer', 'API-Kennwort'],
      ['API-Benutzername', 'API Passwort'],
      ['api-benutzer', 'API-PASSWORT'],
      ['API user', 'API password'],
      ['API-User', 'API-Password'],
      ['API username', 'api password'],
      ['API User Name', 'API Password'],
    ]
    for (const [userLabel, passwordLabel] of variants) {
      it(`reads "${userLabel}:" and "${passwordLabel}:"`, () => {
        const text = `${userLabel}: rmm-4711\n${passwordLabel}: ${PASSWORD}\n`
        expect(parseCredentialsFile(utf8(text), FILE)).to.deep.equal(expected)
      })
    }

    it('allows spaces and tabs around the colon and indentation before the label', () => {
      const text = `  API-Benutzer\t :  rmm-4711  \n\tAPI-Passwort :${PASSWORD}\t\n`
      expect(parseCredentialsFile(utf8(text), FILE)).to.deep.equal(expected)
    })

    it('takes everything after the first colon, keeping colons and inner spaces of the password', () => {
      const text = 'API user: a:b\nAPI password:  p:w: with  two  spaces :  \n'
      expect(parseCredentialsFile(utf8(text), FILE)).to.deep.equal({
        apiUser: 'a:b',
        apiPassword: 'p:w: with  two  spaces :',
      })
    })

    it('ignores greetings, the company, comments and prose that merely mentions a label', () => {
      const text = [
        '# API-Passwort: commented-out',
        '// API user: commented-out',
        'API-Benutzer und Passwort finden Sie unten.',
        "API user's guide: see the website",
        'API-Passwörter: bitte sicher aufbewahren',
        'Firma: Café "Zeit" / Büro',
        'Kundennummer: 123',
        'API-Benutzer: rmm-4711',
        `API-Passwort: ${PASSWORD}`,
      ].join('\r\n')
      expect(parseCredentialsFile(utf8(text), FILE)).to.deep.equal(expected)
    })

    it('accepts the same label twice with the same value', () => {
      const text = `API-Benutzer: rmm-4711\nAPI user: rmm-4711\nAPI-Passwort: ${PASSWORD}\n`
      expect(parseCredentialsFile(utf8(text), FILE)).to.deep.equal(expected)
    })
  })

  describe('refuses, naming the file and the line', () => {
    it('a label with an empty value', () => {
      const error = failure(utf8(`Hallo\r\nAPI-Benutzer:   \r\nAPI-Passwort: ${PASSWORD}\r\n`))
      expect(error.message).to.contain('line 2').and.to.contain('API-Benutzer')
    })

    it('an empty password, without a word about any other secret', () => {
      const error = failure(utf8('API-Benutzer: rmm-4711\nAPI-Passwort:\n'))
      expect(error.message).to.contain('line 2').and.to.contain('API-Passwort')
    })

    it('a label without a colon', () => {
      const error = failure(utf8(`API-Benutzer: rmm-4711\n\nAPI-Passwort = ${PASSWORD}\n`))
      expect(error.message).to.contain('line 3')
      expectNoSecret(error, PASSWORD)
    })

    it('a password given twice with different values, without showing either', () => {
      const text = `API-Benutzer: rmm-4711\r\nAPI-Passwort: ${PASSWORD}\r\nAPI password: other-secret\r\n`
      const error = failure(utf8(text))
      expect(error.message).to.contain('line 3').and.to.contain('line 2')
      expectNoSecret(error, PASSWORD)
      expectNoSecret(error, 'other-secret')
    })

    it('a user given twice with different values (in the other language)', () => {
      const error = failure(utf8(`API user: a\nAPI-Passwort: ${PASSWORD}\nAPI-Benutzer: b\n`))
      expect(error.message).to.contain('line 3')
    })

    it('a missing password, saying so', () => {
      const error = failure(utf8('Firma: X\nAPI-Benutzer: rmm-4711\n'))
      expect(error.message).to.match(/no API password/)
    })

    it('a missing user, without showing the password', () => {
      const error = failure(cp1252(`Firma: X\r\nAPI-Passwort: ${PASSWORD}\r\n`))
      expect(error.message).to.match(/no API user/)
      expectNoSecret(error, PASSWORD)
    })

    it('a file that is not a credentials file at all (empty, binary)', () => {
      expect(failure(new Uint8Array()).message).to.match(/neither an API user nor an API password/)
      expect(failure(Uint8Array.from([0, 1, 2, 0xff, 0xfe, 0x80])).message).to.match(/neither/)
    })

    it('with a hint on the expected lines', () => {
      const error = failure(utf8('nothing here\n'))
      expect(error.hints.join(' ')).to.contain('API-Benutzer:').and.to.contain('API-Passwort:')
    })
  })
})

describe('formatCredentialsFile', () => {
  it('writes the German file with CRLF line ends, greeting, company, user and password', () => {
    const text = formatCredentialsFile('Müller & Söhne GmbH', 'rmm-4711', PASSWORD)
    expect(text.endsWith('\r\n')).to.equal(true)
    expect(text.replace(/\r\n/g, '')).not.to.match(/[\r\n]/)
    const lines = text.split('\r\n')
    expect(lines[0]).to.match(/Zugangsdaten/)
    expect(lines).to.include('Firma: Müller & Söhne GmbH')
    expect(lines).to.include('API-Benutzer: rmm-4711')
    expect(lines).to.include(`API-Passwort: ${PASSWORD}`)
    expect(lines.some((line) => line.startsWith('Sehr geehrte'))).to.equal(true)
  })

  it('reads back what it wrote, as UTF-8 and as Windows-1252', () => {
    const text = formatCredentialsFile('Café "Zeit" / Büro', 'rmm-4711', PASSWORD)
    expect(parseCredentialsFile(utf8(text), FILE)).to.deep.equal({apiUser: 'rmm-4711', apiPassword: PASSWORD})
    const latin = text.replaceAll('→', '->') // the only character outside Windows-1252
    expect(parseCredentialsFile(cp1252(latin), FILE)).to.deep.equal({
      apiUser: 'rmm-4711',
      apiPassword: PASSWORD,
    })
  })

  it('refuses values the file could not give back, without showing the password', () => {
    for (const [company, user, password] of [
      ['A\r\nAPI-Passwort: x', 'u', 'p'],
      ['', 'u', 'p'],
      ['A', '', 'p'],
      ['A', 'u', ' secret '],
      ['A', 'u', 'sec\nret'],
    ] as const) {
      try {
        formatCredentialsFile(company, user, password)
        expect.fail(`accepted ${JSON.stringify([company, user])}`)
      } catch (error) {
        expect(error).to.be.instanceOf(CliError)
        expect((error as CliError).code).to.equal('CREDENTIALS_VALUE_INVALID')
        expect((error as CliError).message)
          .not.to.contain('secret')
          .and.not.to.contain('sec\nret')
      }
    }
  })
})
