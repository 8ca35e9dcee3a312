/**
 * Makes the example files of `npm run demo` (committed in examples/, so the demo needs no key generation):
 * a root CA, a genuine premium license signed under it, and a forgery: the partner's genuine standard license
 * with its Edition edited to "premium" afterwards. Run: npm run examples
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {buildLicenseXml, type LicenseDraft} from '../src/lib/license/document.js'
import {signXml} from '../src/lib/license/xmldsig.js'
import {issue} from '../test/support/pki.js'

const dir = join(import.meta.dirname, '..', 'examples')
mkdirSync(join(dir, 'trust'), {recursive: true})
mkdirSync(join(dir, 'forged'), {recursive: true})

const notBefore = new Date('2026-01-01T00:00:00Z')
const notAfter = new Date('2046-12-31T23:59:59Z')
const root = await issue({
  subject: 'CN=Example RMM License Root, O=tcrmm examples',
  ca: true,
  notBefore,
  notAfter,
})
const signer = await issue({
  subject: 'CN=Example RMM License Signer, O=tcrmm examples',
  issuer: root,
  notBefore,
  notAfter,
})

const draft: LicenseDraft = {
  licenseId: 'a3c5e7f9-1b2d-4e6f-8a0c-2e4f6a8c0e13',
  edition: 'premium',
  company: 'Beispiel Zeiterfassung GmbH',
  partnerId: 'P-20417',
  issuedAt: '2026-02-01T09:00:00Z',
  validUntil: '2036-12-31T23:59:59Z',
  maxCustomers: 250,
  features: ['dashboard', 'warning-details'],
}
const sign = (d: LicenseDraft) =>
  signXml(buildLicenseXml(d), {
    privateKey: signer.privateKey,
    certificatesPem: signer.pem,
    signatureAlgorithm: 'rsa-sha256',
    digestAlgorithm: 'sha256',
    reference: '',
  })

writeFileSync(join(dir, 'trust', 'root-ca.pem'), root.pem)
writeFileSync(join(dir, 'license_rma_Beispiel_premium_signed.xml'), sign(draft))
const standard = sign({
  ...draft,
  licenseId: 'b4d6f8a0-2c3e-4f7a-9b1d-3f5a7b9d1f24',
  edition: 'standard',
  maxCustomers: 25,
})
writeFileSync(
  join(dir, 'forged', 'license_rma_Beispiel_premium_signed.xml'),
  standard
    .replace('<Edition>standard</Edition>', '<Edition>premium</Edition>')
    .replace('<MaxCustomers>25<', '<MaxCustomers>250<'),
)
process.stdout.write(`examples written to ${dir}\n`)
