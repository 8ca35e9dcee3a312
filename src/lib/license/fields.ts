import {messages} from '../messages/index.js'
import {LicenseCheckError} from './codes.js'
import {formatInstant, parseXsDateTime} from './dates.js'
import {LICENSE_NS} from './namespaces.js'

export type Edition = 'standard' | 'premium'
export const EDITIONS: readonly Edition[] = ['standard', 'premium']

/** The license as `--json` reports it (license-format.md); absent optional fields are null. */
export interface LicenseFields {
  licenseId: string
  edition: Edition
  company: string
  partnerId: string
  issuedAt: string
  validFrom: string
  validUntil: string | null
  maxCustomers: number | null
  features: string[]
  unknownFields: string[]
}

/** The fields plus the instants the time checks need. */
export interface LicenseContent {
  fields: LicenseFields
  issuedAt: Date
  validFrom: Date
  validUntil: Date | undefined
}

type FieldType = 'text' | 'token' | 'edition' | 'dateTime' | 'positiveInteger'
interface FieldRule {
  path: string
  type: FieldType
  required: boolean
}

/**
 * Format 1, table-driven: the one place that maps elements to fields. A second format adds a table, not code.
 * Containers group fields; `Features/Feature` is the one repeatable element.
 */
const FORMAT_1 = {
  fields: [
    {path: 'LicenseId', type: 'token', required: true},
    {path: 'Edition', type: 'edition', required: true},
    {path: 'Licensee/Company', type: 'text', required: true},
    {path: 'Licensee/PartnerId', type: 'token', required: true},
    {path: 'IssuedAt', type: 'dateTime', required: true},
    {path: 'ValidFrom', type: 'dateTime', required: false},
    {path: 'ValidUntil', type: 'dateTime', required: false},
    {path: 'MaxCustomers', type: 'positiveInteger', required: false},
  ] satisfies FieldRule[],
  containers: new Set(['Licensee', 'Features']),
  lists: new Set(['Features/Feature']),
}

/** Raw text values by path, read from a License element; shared by the verifier and `license inspect`. */
export interface RawLicense {
  values: Map<string, string>
  lists: Map<string, string[]>
  unknownFields: string[]
}

export function readRawLicense(license: Element): RawLicense {
  const d = messages.license.details
  const raw: RawLicense = {values: new Map(), lists: new Map(), unknownFields: []}
  const seenContainers = new Set<string>()
  const known = new Set(FORMAT_1.fields.map((f) => f.path))
  const visit = (parent: Element, prefix: string) => {
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType !== node.ELEMENT_NODE) continue
      const element = node as Element
      if (element.namespaceURI !== LICENSE_NS) {
        // The enveloped signature is not part of the signed content; anything else foreign is listed.
        if (!(prefix === '' && element.localName === 'Signature')) {
          raw.unknownFields.push(`${prefix}{${element.namespaceURI ?? ''}}${element.localName}`)
        }
        continue
      }
      const path = prefix + element.localName
      if (FORMAT_1.containers.has(path)) {
        if (seenContainers.has(path)) throw new LicenseCheckError('FIELD_INVALID', d.fieldTwice(path))
        seenContainers.add(path)
        visit(element, `${path}/`)
      } else if (FORMAT_1.lists.has(path)) {
        raw.lists.set(path, [...(raw.lists.get(path) ?? []), textOnly(element, path)])
      } else if (known.has(path)) {
        if (raw.values.has(path)) throw new LicenseCheckError('FIELD_INVALID', d.fieldTwice(path))
        raw.values.set(path, textOnly(element, path))
      } else {
        raw.unknownFields.push(path)
      }
    }
  }
  visit(license, '')
  return raw
}

/** Validates the raw values against the table and builds the fields, or throws FIELD_INVALID. */
export function toLicenseContent(raw: RawLicense): LicenseContent {
  const d = messages.license.details
  const typed = new Map<string, string | number | Date>()
  for (const rule of FORMAT_1.fields) {
    const value = raw.values.get(rule.path)
    if (value === undefined) {
      if (rule.required) throw new LicenseCheckError('FIELD_INVALID', d.fieldMissing(rule.path))
      continue
    }
    typed.set(rule.path, convert(rule, value))
  }
  const issuedAt = typed.get('IssuedAt') as Date
  const validFrom = (typed.get('ValidFrom') as Date | undefined) ?? issuedAt
  const validUntil = typed.get('ValidUntil') as Date | undefined
  if (validUntil && validUntil < validFrom) throw new LicenseCheckError('FIELD_INVALID', d.fieldOrder)
  return {
    issuedAt,
    validFrom,
    validUntil,
    fields: {
      licenseId: typed.get('LicenseId') as string,
      edition: typed.get('Edition') as Edition,
      company: typed.get('Licensee/Company') as string,
      partnerId: typed.get('Licensee/PartnerId') as string,
      issuedAt: formatInstant(issuedAt),
      validFrom: formatInstant(validFrom),
      validUntil: validUntil ? formatInstant(validUntil) : null,
      maxCustomers: (typed.get('MaxCustomers') as number | undefined) ?? null,
      features: (raw.lists.get('Features/Feature') ?? []).map((f) => f.trim()),
      unknownFields: raw.unknownFields,
    },
  }
}

function convert(rule: FieldRule, value: string): string | number | Date {
  const d = messages.license.details
  const trimmed = value.trim()
  if (trimmed === '') throw new LicenseCheckError('FIELD_INVALID', d.fieldEmpty(rule.path))
  switch (rule.type) {
    case 'text':
      return value
    case 'token':
      return trimmed
    case 'edition':
      if (!(EDITIONS as readonly string[]).includes(trimmed)) throw new LicenseCheckError('FIELD_INVALID', d.fieldEdition(trimmed))
      return trimmed
    case 'dateTime': {
      const date = parseXsDateTime(trimmed)
      if (!date) throw new LicenseCheckError('FIELD_INVALID', d.fieldDate(rule.path, trimmed))
      return date
    }
    case 'positiveInteger': {
      if (!/^\+?\d+$/.test(trimmed) || !/[1-9]/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
        throw new LicenseCheckError('FIELD_INVALID', d.fieldMaxCustomers(trimmed))
      }
      return Number(trimmed)
    }
  }
}

/** A field holds text only; markup inside a field is not a value we could report faithfully. */
function textOnly(element: Element, path: string): string {
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === node.ELEMENT_NODE) {
      throw new LicenseCheckError('FIELD_INVALID', messages.license.details.fieldMarkup(path))
    }
  }
  return element.textContent ?? ''
}
