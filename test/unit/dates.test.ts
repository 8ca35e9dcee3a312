/** xs:dateTime as license-format.md uses it (IssuedAt, ValidFrom, ValidUntil) and the `--at` flag. */
import {expect} from 'chai'

import {formatInstant, parseAtFlag, parseXsDateTime} from '../../src/lib/license/dates.js'

/** The parsed instant as an ISO string in UTC, or undefined when refused. */
const iso = (value: string) => parseXsDateTime(value)?.toISOString()

describe('parseXsDateTime', () => {
  describe('accepts', () => {
    it('UTC with Z', () => {
      expect(iso('2026-01-15T09:00:00Z')).to.equal('2026-01-15T09:00:00.000Z')
    })

    it('a positive offset, converted to UTC (+02:00 is two hours earlier in UTC)', () => {
      expect(iso('2026-01-15T09:00:00+02:00')).to.equal('2026-01-15T07:00:00.000Z')
    })

    it('a negative offset with minutes, converted to UTC', () => {
      expect(iso('2026-01-15T09:00:00-05:30')).to.equal('2026-01-15T14:30:00.000Z')
    })

    it('an offset that crosses midnight and the year', () => {
      expect(iso('2026-01-01T01:00:00+02:00')).to.equal('2025-12-31T23:00:00.000Z')
      expect(iso('2026-12-31T23:30:00-01:00')).to.equal('2027-01-01T00:30:00.000Z')
    })

    it('the extreme offsets +14:00 and -14:00', () => {
      expect(iso('2026-01-15T09:00:00+14:00')).to.equal('2026-01-14T19:00:00.000Z')
      expect(iso('2026-01-15T09:00:00-14:00')).to.equal('2026-01-15T23:00:00.000Z')
    })

    it('+00:00 and -00:00 as UTC', () => {
      expect(iso('2026-01-15T09:00:00+00:00')).to.equal('2026-01-15T09:00:00.000Z')
      expect(iso('2026-01-15T09:00:00-00:00')).to.equal('2026-01-15T09:00:00.000Z')
    })

    it('fractional seconds, with one to many digits (milliseconds kept, the rest truncated)', () => {
      expect(iso('2026-01-15T09:00:00.5Z')).to.equal('2026-01-15T09:00:00.500Z')
      expect(iso('2026-01-15T09:00:00.123Z')).to.equal('2026-01-15T09:00:00.123Z')
      expect(iso('2026-01-15T09:00:00.123456789Z')).to.equal('2026-01-15T09:00:00.123Z')
      expect(iso('2026-01-15T09:00:00.25+01:00')).to.equal('2026-01-15T08:00:00.250Z')
    })

    it('no zone at all, read as UTC (never as local time)', () => {
      expect(iso('2026-01-15T09:00:00')).to.equal('2026-01-15T09:00:00.000Z')
      expect(iso('2026-07-15T09:00:00')).to.equal('2026-07-15T09:00:00.000Z')
    })

    it('24:00:00 as the first instant of the next day', () => {
      expect(iso('2026-01-15T24:00:00Z')).to.equal('2026-01-16T00:00:00.000Z')
      expect(iso('2026-12-31T24:00:00Z')).to.equal('2027-01-01T00:00:00.000Z')
      expect(iso('2026-01-15T24:00:00.000Z')).to.equal('2026-01-16T00:00:00.000Z')
    })

    it('29 February in leap years (2028, 2000)', () => {
      expect(iso('2028-02-29T00:00:00Z')).to.equal('2028-02-29T00:00:00.000Z')
      expect(iso('2000-02-29T12:00:00Z')).to.equal('2000-02-29T12:00:00.000Z')
    })

    it('the last day of 30- and 31-day months, and 23:59:59', () => {
      expect(iso('2026-04-30T23:59:59Z')).to.equal('2026-04-30T23:59:59.000Z')
      expect(iso('2027-12-31T23:59:59Z')).to.equal('2027-12-31T23:59:59.000Z')
    })

    it('surrounding white space (xs:dateTime collapses it)', () => {
      expect(iso('  2026-01-15T09:00:00Z\n')).to.equal('2026-01-15T09:00:00.000Z')
    })
  })

  describe('refuses', () => {
    const refused: Array<[string, string]> = [
      ['month 13', '2026-13-01T00:00:00Z'],
      ['month 00', '2026-00-10T00:00:00Z'],
      ['day 00', '2026-01-00T00:00:00Z'],
      ['30 February', '2026-02-30T00:00:00Z'],
      ['30 February in a leap year', '2028-02-30T00:00:00Z'],
      ['29 February in a non-leap year (2026)', '2026-02-29T00:00:00Z'],
      ['29 February in a century non-leap year (2100)', '2100-02-29T00:00:00Z'],
      ['31 April', '2026-04-31T00:00:00Z'],
      ['32 January', '2026-01-32T00:00:00Z'],
      ['hour 25', '2026-01-15T25:00:00Z'],
      ['24:00:01', '2026-01-15T24:00:01Z'],
      ['24:01:00', '2026-01-15T24:01:00Z'],
      ['24:00:00.5', '2026-01-15T24:00:00.5Z'],
      ['minute 60', '2026-01-15T09:60:00Z'],
      ['second 60', '2026-01-15T09:00:60Z'],
      ['a date without a time', '2026-01-15'],
      ['a word', 'tomorrow'],
      ['the empty string', ''],
      ['white space only', '   '],
      ['a space instead of T', '2026-01-15 09:00:00Z'],
      ['a lower-case t', '2026-01-15t09:00:00Z'],
      ['missing seconds', '2026-01-15T09:00Z'],
      ['single-digit month', '2026-1-15T09:00:00Z'],
      ['offset +15:00', '2026-01-15T09:00:00+15:00'],
      ['offset -15:00', '2026-01-15T09:00:00-15:00'],
      ['offset +14:01', '2026-01-15T09:00:00+14:01'],
      ['offset minutes 60', '2026-01-15T09:00:00+01:60'],
      ['offset without colon', '2026-01-15T09:00:00+0200'],
      ['offset hours only', '2026-01-15T09:00:00+02'],
      ['a lower-case z', '2026-01-15T09:00:00z'],
      ['a fraction without digits', '2026-01-15T09:00:00.Z'],
      ['a comma as decimal separator', '2026-01-15T09:00:00,5Z'],
      ['trailing garbage', '2026-01-15T09:00:00Zjunk'],
      ['a Unix timestamp', '1768467600'],
      ['an RFC 2822 date', 'Thu, 15 Jan 2026 09:00:00 GMT'],
    ]
    for (const [what, value] of refused) {
      it(`${what}: ${JSON.stringify(value)}`, () => {
        expect(parseXsDateTime(value)).to.equal(undefined)
      })
    }
  })
})

describe('formatInstant', () => {
  it('prints UTC ISO 8601 without ".000"', () => {
    expect(formatInstant(new Date('2027-12-31T23:59:59.000Z'))).to.equal('2027-12-31T23:59:59Z')
  })

  it('keeps milliseconds when there are some', () => {
    expect(formatInstant(new Date('2027-12-31T23:59:59.120Z'))).to.equal('2027-12-31T23:59:59.120Z')
    expect(formatInstant(new Date('2027-12-31T23:59:59.001Z'))).to.equal('2027-12-31T23:59:59.001Z')
  })

  it('round-trips a parsed offset value as UTC', () => {
    expect(formatInstant(parseXsDateTime('2026-01-15T09:00:00+02:00') as Date)).to.equal(
      '2026-01-15T07:00:00Z',
    )
  })
})

describe('parseAtFlag', () => {
  it('accepts a plain date as its start in UTC', () => {
    expect(parseAtFlag('2027-06-01')?.toISOString()).to.equal('2027-06-01T00:00:00.000Z')
  })

  it('accepts a plain date with surrounding white space', () => {
    expect(parseAtFlag(' 2027-06-01 ')?.toISOString()).to.equal('2027-06-01T00:00:00.000Z')
  })

  it('accepts a full xs:dateTime, with Z or an offset', () => {
    expect(parseAtFlag('2026-06-01T12:00:00Z')?.toISOString()).to.equal('2026-06-01T12:00:00.000Z')
    expect(parseAtFlag('2027-06-01T10:00:00+02:00')?.toISOString()).to.equal('2027-06-01T08:00:00.000Z')
  })

  it('refuses an impossible plain date and anything that is not a date', () => {
    expect(parseAtFlag('2027-02-30')).to.equal(undefined)
    expect(parseAtFlag('2027-13-01')).to.equal(undefined)
    expect(parseAtFlag('2027-6-1')).to.equal(undefined)
    expect(parseAtFlag('now')).to.equal(undefined)
    expect(parseAtFlag('')).to.equal(undefined)
  })
})
