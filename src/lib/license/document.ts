import {LICENSE_NS} from './namespaces.js'

/** What an issuer puts into a license (format 1). Dates are written as given (xs:dateTime). */
export interface LicenseDraft {
  licenseId: string
  edition: string
  company: string
  partnerId: string
  issuedAt: string
  validFrom?: string
  validUntil?: string
  maxCustomers?: number
  features?: string[]
}

export interface LicenseLayout {
  /** Namespace prefix for the license elements; none by default. */
  prefix?: string
  /** The root's Id attribute; `null` for none. Default `license`. */
  id?: string | null
  /** Line end between elements. */
  newline?: '\n' | '\r\n'
}

/** The unsigned license document in the layout of license-format.md, ready for `signXml`. */
export function buildLicenseXml(draft: LicenseDraft, layout: LicenseLayout = {}): string {
  const nl = layout.newline ?? '\n'
  const p = layout.prefix ? `${layout.prefix}:` : ''
  const el = (name: string, value: string, indent = '  ') =>
    `${indent}<${p}${name}>${escapeText(value)}</${p}${name}>`
  const id = layout.id === undefined ? 'license' : layout.id
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${p}License xmlns${layout.prefix ? `:${layout.prefix}` : ''}="${LICENSE_NS}"${id === null ? '' : ` Id="${escapeText(id)}"`}>`,
    el('LicenseId', draft.licenseId),
    el('Edition', draft.edition),
    `  <${p}Licensee>`,
    el('Company', draft.company, '    '),
    el('PartnerId', draft.partnerId, '    '),
    `  </${p}Licensee>`,
    el('IssuedAt', draft.issuedAt),
  ]
  if (draft.validFrom !== undefined) lines.push(el('ValidFrom', draft.validFrom))
  if (draft.validUntil !== undefined) lines.push(el('ValidUntil', draft.validUntil))
  if (draft.maxCustomers !== undefined) lines.push(el('MaxCustomers', String(draft.maxCustomers)))
  if (draft.features?.length) {
    lines.push(
      `  <${p}Features>`,
      ...draft.features.map((f) => el('Feature', f, '    ')),
      `  </${p}Features>`,
    )
  }
  lines.push(`</${p}License>`)
  return lines.join(nl) + nl
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
