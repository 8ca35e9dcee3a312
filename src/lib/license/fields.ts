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
  key:
    | 'licenseId'
    | 'edition'
    | 'company'
    | 'partnerId'
    | 'issuedAt'
    | 'validFrom'
    | 'validUntil'
    | 'maxCustomers'
  type: FieldType
  required: boolean
}

/**
 * Format 1, table-driven: the one place that maps elements to fields. A second format adds a table, not code.
 * Containers group fields; `Features/Feature` is the one repeatable element.
 */
const FORMAT_1 = {
  fields: [
    {path: 'LicenseId', key: 'licenseId', type: 'token', required: true},
    {path: 'Edition', key: 'edition', type: 'edition', required: true},
    {path: 'Licensee/Company', key: 'company', type: 'text', required: true},
    {path: 'Licensee/PartnerId', key: 'partnerId', type: 'token', required: true},
    {path: 'IssuedAt', key: 'issuedAt', type: 'dateTime', required: true},
    {path: 'ValidFrom', key: 'validFrom', type: 'dateTime', required: false},
    {path: 'ValidUntil', key: 'validUntil', type: 'dateTime', required: false},
    {path: 'MaxCustomers', key: 'maxCustomers', type: 'positiveInteger', required: false},
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

/** The field names of `LicenseFields`, with the raw text of each (null when absent), for showing unverified claims. */
export type ClaimedFields = Record<FieldRule['key'], string | null> & {
  features: string[]
  unknownFields: string[]
}

export function claimedFields(raw: RawLicense): ClaimedFields {
  const claimed = Object.fromEntries(
    FORMAT_1.fields.map((rule) => [rule.key, raw.values.get(rule.path) ?? null]),
  )
  return {
    ...(claimed as Record<FieldRule['key'], string | null>),
    features: raw.lists.get('Features/Feature') ?? [],
    unknownFields: raw.unknownFields,
  }
}

/** Validates the raw values against the table and builds the fields, or throws FIELD_INVALID. */
export function toLicenseContent(raw: RawLicense): LicenseContent {
  const d = messages.license.details
  const typed = new Map<FieldRule['key'], string | number | Date>()
  for (const rule of FORMAT_1.fields) {
    const value = raw.values.get(rule.path)
    if (value === undefined) {
      if (rule.required) throw new LicenseCheckError('FIELD_INVALID', d.fieldMissing(rule.path))
      continue
    }
    typed.set(rule.key, convert(rule, value))
  }
  const issuedAt = typed.get('issuedAt') as Date
  const validFrom = (typed.get('validFrom') as Date | undefined) ?? issuedAt
  const validUntil = typed.get('validUntil') as Date | undefined
  if (validUntil && validUntil < validFrom) throw new LicenseCheckError('FIELD_INVALID', d.fieldOrder)
  return {
    issuedAt,
    validFrom,
    validUntil,
    fields: {
      licenseId: typed.get('licenseId') as string,
      edition: typed.get('edition') as Edition,
      company: typed.get('company') as string,
      partnerId: typed.get('partnerId') as string,
      issuedAt: formatInstant(issuedAt),
      validFrom: formatInstant(validFrom),
      validUntil: validUntil ? formatInstant(validUntil) : null,
      maxCustomers: (typed.get('maxCustomers') as number | undefined) ?? null,
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
      if (!(EDITIONS as readonly string[]).includes(trimmed))
        throw new LicenseCheckError('FIELD_INVALID', d.fieldEdition(trimmed))
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
