/**
 * The fast path's argv parser against oclif's own parser, with the flags of the real command: wherever the fast
 * parser answers, oclif parses the same argv to the same flags and positionals; wherever oclif refuses an argv,
 * the fast parser declines it (so oclif reports the error). Plus: the fast path's flag table is the manifest's.
 */
import {Flags, Parser} from '@oclif/core'
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import LicenseVerify from '../../src/commands/license/verify.js'
import {LICENSE_VERIFY_FLAGS, parseLicenseVerifyArgv} from '../../src/fast/license-verify.js'
import {REPO_ROOT} from '../support/cli.js'

const TOKENS = [
  'a.xml',
  'dir/',
  '*.xml',
  '--json',
  '--ca',
  'root.pem',
  '--ca=root.pem',
  '--ca=',
  '--at',
  '2027-01-01',
  '--at=2027-06-01T00:00:00Z',
  '--edition',
  'premium',
  '--edition=gold',
  '--edition=standard',
  '--company',
  'Müller & Söhne',
  '--company=-dash',
  '--junit',
  'out.xml',
  '--profile',
  'p',
  '--color',
  '--no-color',
  '--no-json',
  '--json=true',
  '--',
  '-',
  '-x',
  '--unknown',
  '--help',
  '-h',
]

function oclifParse(argv: string[]) {
  return Parser.parse(argv, {
    flags: {...LicenseVerify.baseFlags, ...LicenseVerify.flags, json: Flags.boolean()},
    args: LicenseVerify.args,
    strict: LicenseVerify.strict,
  })
}

describe('fast path argv parser vs oclif', () => {
  it('parses every argv it accepts exactly as oclif does, and declines every argv oclif refuses', async () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    let accepted = 0
    let declinedByBoth = 0
    for (let i = 0; i < 1500; i++) {
      const argv = Array.from(
        {length: Math.floor(random() * 7)},
        () => TOKENS[Math.floor(random() * TOKENS.length)] as string,
      )
      const fast = parseLicenseVerifyArgv(argv)
      let oclif: Awaited<ReturnType<typeof oclifParse>> | undefined
      try {
        oclif = await oclifParse(argv)
      } catch {
        oclif = undefined
      }
      const label = JSON.stringify(argv)
      if (fast === undefined) {
        if (oclif === undefined) declinedByBoth++
        continue
      }
      expect(oclif, `oclif refuses ${label}, the fast path accepted it`).to.not.equal(undefined)
      const {json, ...flags} = oclif?.flags ?? {}
      expect({...flags, ...(json ? {json} : {})}, label).to.deep.equal(fast.flags)
      expect(oclif?.argv, label).to.deep.equal(fast.positionals)
      accepted++
    }
    expect(accepted).to.be.greaterThan(100)
    expect(declinedByBoth).to.be.greaterThan(150)
  })

  it('knows exactly the flags of license verify in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
    const flags = manifest.commands['license:verify'].flags as Record<
      string,
      {type: string; multiple?: boolean; options?: string[]; allowNo?: boolean; char?: string}
    >
    const fromManifest = Object.fromEntries(
      Object.entries(flags).map(([name, flag]) => [
        name,
        {
          type: flag.type,
          ...(flag.multiple ? {multiple: true} : {}),
          ...(flag.options ? {options: flag.options} : {}),
          ...(flag.allowNo ? {allowNo: true} : {}),
          ...(flag.char ? {char: flag.char} : {}),
        },
      ]),
    )
    expect(LICENSE_VERIFY_FLAGS).to.deep.equal(fromManifest)
  })
})
