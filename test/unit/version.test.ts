/** timeCard versions: parsed number by number, compared number by number, never as strings. */
import {expect} from 'chai'

import {
  compareTcVersions,
  isSupportedTcVersion,
  MIN_TC_VERSION,
  parseTcVersion,
} from '../../src/lib/version.js'

describe('parseTcVersion', () => {
  it('reads one to four dot-separated numbers', () => {
    expect(parseTcVersion('24')).to.deep.equal([24])
    expect(parseTcVersion('23.4')).to.deep.equal([23, 4])
    expect(parseTcVersion('23.04.01')).to.deep.equal([23, 4, 1])
    expect(parseTcVersion('23.4.1.2')).to.deep.equal([23, 4, 1, 2])
  })

  it('accepts leading zeros and surrounding whitespace', () => {
    expect(parseTcVersion('  023.004.0001\t')).to.deep.equal([23, 4, 1])
    expect(parseTcVersion('00009999')).to.deep.equal([9999])
  })

  it('refuses a part above 9999', () => {
    expect(parseTcVersion('10000')).to.equal(undefined)
    expect(parseTcVersion('23.4.99999')).to.equal(undefined)
  })

  for (const garbage of [
    'abc',
    '23..1',
    '23.4.1.2.3',
    '-1',
    '23.4.1-beta',
    '',
    '   ',
    '.23',
    '23.',
    'v23.4',
    '23,4',
    '２３.4',
    '1e3',
    '23 .4',
  ]) {
    it(`refuses ${JSON.stringify(garbage)}`, () => {
      expect(parseTcVersion(garbage)).to.equal(undefined)
    })
  }
})

describe('compareTcVersions', () => {
  const compare = (a: string, b: string) => compareTcVersions(parseTcVersion(a)!, parseTcVersion(b)!)

  it('treats 23.4.1 and 23.04.01 as equal', () => {
    expect(compare('23.4.1', '23.04.01')).to.equal(0)
  })

  it('counts missing parts as 0', () => {
    expect(compare('24', '24.0.0')).to.equal(0)
    expect(compare('24', '24.0.1')).to.be.lessThan(0)
  })

  it('compares numbers, not strings (23.10 is newer than 23.9)', () => {
    expect(compare('23.10', '23.9')).to.be.greaterThan(0)
    expect(compare('9', '10')).to.be.lessThan(0)
  })

  it('is antisymmetric', () => {
    expect(compare('22.12.05', '23.04.01')).to.equal(-1)
    expect(compare('23.04.01', '22.12.05')).to.equal(1)
  })
})

describe('isSupportedTcVersion', () => {
  it('has 23.04.01 as the minimum', () => {
    expect(MIN_TC_VERSION).to.equal('23.04.01')
  })

  for (const version of ['23.04.01', '23.4.1', '23.04.02', '23.5', '24', '24.01.00.7']) {
    it(`accepts ${version}`, () => {
      expect(isSupportedTcVersion(version)).to.equal('ok')
    })
  }

  for (const version of ['22.12.05', '23.03.99', '23.4.0', '23', '1.0']) {
    it(`calls ${version} too old`, () => {
      expect(isSupportedTcVersion(version)).to.equal('too-old')
    })
  }

  for (const garbage of ['abc', '23..1', '23.4.1.2.3', '-1', '23.4.1-beta', '']) {
    it(`calls ${JSON.stringify(garbage)} invalid`, () => {
      expect(isSupportedTcVersion(garbage)).to.equal('invalid')
    })
  }
})
