/** The German catalog mirrors the English one: same keys, same function parameters, actually translated. */
import {expect} from 'chai'

import {apiMessages} from '../../src/lib/messages/api.en.js'
import {apiMessagesDe} from '../../src/lib/messages/api.de.js'
import {de} from '../../src/lib/messages/de.js'
import {en} from '../../src/lib/messages/en.js'

type Fn = (...args: unknown[]) => unknown

interface Leaf {
  path: string
  value: unknown
}

const isBranch = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

/** Every string or function below `node`, arrays included (by index), with its dotted path. */
function leaves(node: unknown, path = ''): Leaf[] {
  if (!isBranch(node)) return [{path, value: node}]
  return Object.keys(node).flatMap((key) => leaves(node[key], path ? `${path}.${key}` : key))
}

/** Every object or array below `node` (itself included), with its dotted path. */
function branches(node: unknown, path = ''): {path: string; node: Record<string, unknown>}[] {
  if (!isBranch(node)) return []
  return [
    {path, node},
    ...Object.keys(node).flatMap((key) => branches(node[key], path ? `${path}.${key}` : key)),
  ]
}

/** What a leaf says: the string itself, or the function called with the same sample for every parameter. */
function render(value: unknown, sample: string | number): unknown {
  if (typeof value !== 'function') return value
  const fn = value as Fn
  return fn(...Array.from({length: fn.length}, () => sample))
}

const SAMPLES = ['X', 1, 2] as const

const enLeaves = leaves(en)
const deLeaves = leaves(de)
const enByPath = new Map(enLeaves.map((leaf) => [leaf.path, leaf.value]))

describe('message catalogs', () => {
  it('the German API catalog is the one plugged into de', () => {
    expect(de.api).to.equal(apiMessagesDe)
    expect(en.api).to.equal(apiMessages)
  })

  it('have the same keys at every level', () => {
    const enBranches = branches(en)
    const deBranches = new Map(branches(de).map((b) => [b.path, b.node]))
    expect([...deBranches.keys()].sort()).to.deep.equal(enBranches.map((b) => b.path).sort())
    for (const {path, node} of enBranches) {
      const other = deBranches.get(path)
      expect(other, `de.${path}`).to.not.equal(undefined)
      expect(Array.isArray(other), `de.${path} is an array exactly when en.${path} is`).to.equal(
        Array.isArray(node),
      )
      expect(Object.keys(other ?? {}).sort(), `keys of de.${path}`).to.deep.equal(Object.keys(node).sort())
    }
  })

  it('have a leaf of the same kind for every path', () => {
    expect(deLeaves.map((leaf) => leaf.path)).to.deep.equal(enLeaves.map((leaf) => leaf.path))
    for (const {path, value} of deLeaves) {
      expect(typeof value, `de.${path}`).to.equal(typeof enByPath.get(path))
      expect(['string', 'function'], `de.${path}`).to.include(typeof value)
    }
  })

  for (const [name, catalog] of [
    ['en', enLeaves],
    ['de', deLeaves],
  ] as const) {
    it(`${name}: every string is non-empty`, () => {
      for (const {path, value} of catalog) {
        if (typeof value === 'string') expect(value.trim(), `${name}.${path}`).to.not.equal('')
      }
    })

    it(`${name}: every function returns a non-empty string for sample arguments`, () => {
      for (const {path, value} of catalog) {
        if (typeof value !== 'function') continue
        for (const sample of SAMPLES) {
          const text = render(value, sample)
          // A pass-through (`(detail: string) => detail`) hands a number back as it is: its parameter is a string.
          if (typeof sample === 'number' && text === sample) continue
          expect(text, `${name}.${path}(${sample})`).to.be.a('string')
          expect((text as string).trim(), `${name}.${path}(${sample})`).to.not.equal('')
        }
      }
    })
  }

  it('functions take the same number of parameters in both languages', () => {
    for (const {path, value} of deLeaves) {
      if (typeof value !== 'function') continue
      const english = enByPath.get(path) as Fn
      expect(value.length, `de.${path}.length`).to.equal(english.length)
    }
  })

  it('German differs from English for at least 90 % of the leaves', () => {
    const same = deLeaves.filter(({path, value}) => render(value, 'X') === render(enByPath.get(path), 'X'))
    const share = 1 - same.length / deLeaves.length
    expect(share, `identical in both languages: ${same.map((leaf) => leaf.path).join(', ')}`).to.be.at.least(
      0.9,
    )
  })

  it('no German text contains the English words " the " or " your "', () => {
    for (const {path, value} of deLeaves) {
      for (const sample of SAMPLES) {
        const text = ` ${String(render(value, sample))} `.toLowerCase()
        expect(text, `de.${path}`).to.not.include(' the ')
        expect(text, `de.${path}`).to.not.include(' your ')
      }
    }
  })

  it('German plurals follow the count like the English ones', () => {
    expect(de.customer.list.count(1)).to.equal('1 Kunde')
    expect(de.customer.list.count(2)).to.equal('2 Kunden')
    expect(de.license.verify.summaryLine(1, 1, 0)).to.equal('1 Datei: 1 gültig, 0 ungültig')
    expect(de.license.verify.summaryLine(3, 2, 1)).to.equal('3 Dateien: 2 gültig, 1 ungültig')
    expect(de.api.client.gaveUp(1)).to.contain('1 Versuch ')
    expect(de.api.client.gaveUp(3)).to.contain('3 Versuchen')
    expect(de.license.details.expiresSoon('2026-01-01', 1)).to.contain('(in 1 Tag)')
    expect(de.license.details.expiresSoon('2026-01-01', 5)).to.contain('(in 5 Tagen)')
  })

  it('hint lists have as many lines in German as in English', () => {
    expect(de.link.timeoutFix).to.have.length(en.link.timeoutFix.length)
    expect(de.auth.loginHints).to.have.length(en.auth.loginHints.length)
    expect(de.license.trust.noRootHints).to.have.length(en.license.trust.noRootHints.length)
    expect(de.config.noCredentialsHints).to.have.length(en.config.noCredentialsHints.length)
  })

  it('prompts keep their trailing colon', () => {
    for (const {path, value} of enLeaves) {
      if (!/\.prompt\w*$/.test(path)) continue
      const english = String(render(value, 'X'))
      const german = String(render(deLeaves.find((leaf) => leaf.path === path)?.value, 'X'))
      expect(german.endsWith(':'), `de.${path}`).to.equal(english.endsWith(':'))
    }
  })

  it('the sandbox banner keeps its file paths aligned', () => {
    const lines = [
      de.sandbox.start.bannerCredentials('/tmp/f'),
      de.sandbox.start.bannerStandard('/tmp/f'),
      de.sandbox.start.bannerPremium('/tmp/f'),
      de.sandbox.start.bannerRoot('/tmp/f'),
    ]
    expect(new Set(lines.map((line) => line.indexOf('/tmp/f'))).size).to.equal(1)
  })
})
