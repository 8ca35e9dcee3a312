/**
 * The "Zugangsdaten für <Company>.txt" file the RMM project room hands to a partner. It is written by people
 * and by Windows editors, so the reader is lenient about encoding, line ends and label spelling, and strict
 * only where a mistake would log in with the wrong secret. The password never appears in an error message.
 */
import {CliError} from '../errors.js'
import {messages} from '../messages/index.js'

export interface ApiCredentials {
  apiUser: string
  apiPassword: string
}

const m = messages.api.credentialsFile

// A label at the start of a line, then what follows it: a colon (the value comes after it), `=` or nothing.
// Requiring one of those right after the label keeps prose such as "API-Benutzer und Passwort finden Sie
// unten" an ordinary line instead of a broken label.
const LABEL_LINE =
  /^[ \t]*(api[ \t_-]?(benutzername|benutzer|user[ \t-]?name|user|passwort|kennwort|password))[ \t]*(:|=|$)/i
const PASSWORD_WORD = /^(passwort|kennwort|password)$/i

interface Found {
  value: string
  line: number
}

/** Reads API user and password; throws CliError USAGE `CREDENTIALS_FILE_INVALID` naming the file and line. */
export function parseCredentialsFile(bytes: Uint8Array, fileName: string): ApiCredentials {
  const lines = decode(bytes).split(/\r\n|\r|\n/)
  let user: Found | undefined
  let password: Found | undefined

  lines.forEach((text, index) => {
    const line = index + 1
    const match = LABEL_LINE.exec(text)
    if (match === null) return // greetings, company, blank lines, comments
    const label = match[1] as string
    if (match[3] !== ':') throw invalid(m.noColon(fileName, line, label))
    // Everything after the first colon: a password may itself contain colons and inner spaces.
    const value = text.slice(text.indexOf(':') + 1).trim()
    if (value === '') throw invalid(m.emptyValue(fileName, line, label))
    const isPassword = PASSWORD_WORD.test(match[2] as string)
    const earlier = isPassword ? password : user
    if (earlier !== undefined) {
      // The same value twice is harmless (a pasted block); two different ones leave us guessing.
      if (earlier.value !== value) throw invalid(m.conflicting(fileName, line, label, earlier.line))
      return
    }
    if (isPassword) password = {value, line}
    else user = {value, line}
  })

  if (user === undefined && password === undefined) throw invalid(m.missingBoth(fileName))
  if (user === undefined) throw invalid(m.missingUser(fileName))
  if (password === undefined) throw invalid(m.missingPassword(fileName))
  return {apiUser: user.value, apiPassword: password.value}
}

function invalid(message: string): CliError {
  return new CliError('USAGE', 'CREDENTIALS_FILE_INVALID', message, [m.expectedShape])
}

/**
 * UTF-8 (a BOM is dropped by TextDecoder), else Windows-1252, which decodes any byte sequence. UTF-16 with a
 * BOM is recognised too: older Notepad saves "Unicode" that way, and read as Windows-1252 every label would
 * be hidden behind NUL bytes.
 */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    // Node 20.18.3+ and 22.13+ decode 'windows-1252' as Latin-1 (nodejs/node#60888), turning € in a password
    // into U+0080; mapping 0x80–0x9F ourselves gives the right text on fixed and unfixed versions alike.
    return new TextDecoder('windows-1252')
      .decode(bytes)
      .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] as string)
  }
}

// WHATWG index-windows-1252 for the bytes 0x80–0x9F; the five unassigned ones stay C1 controls.
const WINDOWS_1252_HIGH = [
  ...'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f',
  ...'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178',
]

// The file's own text is German whatever language tcrmm speaks: it imitates what the vendor's project room
// ships, so it is data, not a message of this program.
const GREETING = [
  'Zugangsdaten für das timeCard RMM',
  '',
  'Sehr geehrte Damen und Herren,',
  '',
  'mit diesen Zugangsdaten verbinden Sie die timeCard-Installationen Ihrer Kunden mit dem RMM',
  '(Allgemein → Einstellungen → Registrierungsdaten) und melden sich mit tcrmm an.',
  '',
]
const CLOSING = [
  '',
  'Bitte bewahren Sie diese Datei sicher auf und geben Sie das Passwort nicht weiter.',
  '',
  'Mit freundlichen Grüßen',
  'Ihr timeCard-Team',
]

/** The credentials file as the RMM project room ships it: German, CRLF line ends, ending in CRLF. */
export function formatCredentialsFile(company: string, apiUser: string, apiPassword: string): string {
  // A line break would split a field. Surrounding spaces in user or password would be trimmed away by the
  // reader, so the file could not give back what was written; the company is only shown, never read back.
  const checks: Array<[string, string, boolean]> = [
    [company, m.fieldCompany, false],
    [apiUser, m.fieldUser, true],
    [apiPassword, m.fieldPassword, true],
  ]
  for (const [value, field, readBack] of checks) {
    if (value.trim() === '' || /[\r\n]/.test(value) || (readBack && value.trim() !== value)) {
      throw new CliError('USAGE', 'CREDENTIALS_VALUE_INVALID', m.cannotWrite(field))
    }
  }
  const lines = [
    ...GREETING,
    `Firma: ${company}`,
    `API-Benutzer: ${apiUser}`,
    `API-Passwort: ${apiPassword}`,
    ...CLOSING,
  ]
  return lines.join('\r\n') + '\r\n'
}
