import type {LicenseInput} from './inputs.js'
import {type LicenseVerdict, verifyLicenseFile, type VerifyOptions} from './verify.js'

/** The `license verify --json` document (license-format.md); CI scripts rely on its shape. */
export interface VerifyReport {
  results: LicenseVerdict[]
  summary: {total: number; valid: number; invalid: number}
}

/**
 * Verifies every input, in input order; one bad file never stops the batch. `onResult` sees each verdict as soon
 * as it and all before it are done, so output can stream.
 */
export async function verifyFiles(
  inputs: LicenseInput[],
  options: VerifyOptions,
  onResult?: (verdict: LicenseVerdict) => void,
): Promise<VerifyReport> {
  const results: LicenseVerdict[] = []
  for (const input of inputs) {
    const verdict = await verifyLicenseFile(input.path, input.file, options)
    results.push(verdict)
    onResult?.(verdict)
  }
  return summarize(results)
}

export function summarize(results: LicenseVerdict[]): VerifyReport {
  const valid = results.filter((r) => r.valid).length
  return {results, summary: {total: results.length, valid, invalid: results.length - valid}}
}
