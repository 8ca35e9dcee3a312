/**
 * A parser for the plain argv shapes of one command, used by the start-up fast path (src/fast/) instead of
 * loading oclif. It accepts only what it can read exactly as oclif reads it — `--name value`, `--name=value`,
 * booleans, `--no-<name>` where oclif allows it, repeatable options, positionals anywhere — and returns
 * `undefined` for everything else (`--help`, short flags, `--`, an unknown flag, a repeated single flag, a value
 * that looks like a flag, a value outside its options), so that oclif parses that argv and reports its errors.
 * test/unit/fast-argv.test.ts holds it to oclif's own parser.
 */
export interface SimpleFlag {
  type: 'option' | 'boolean'
  multiple?: boolean
  options?: readonly string[]
  allowNo?: boolean
}

export interface SimpleParse {
  flags: Record<string, string | string[] | boolean>
  positionals: string[]
}

export function parseSimpleArgv(argv: string[], spec: Record<string, SimpleFlag>): SimpleParse | undefined {
  const flags: Record<string, string | string[] | boolean> = {}
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string
    if (!token.startsWith('-')) {
      positionals.push(token)
      continue
    }
    if (!token.startsWith('--') || token === '--') return undefined
    const equals = token.indexOf('=')
    let name = equals === -1 ? token.slice(2) : token.slice(2, equals)
    let definition = Object.hasOwn(spec, name) ? spec[name] : undefined
    let negated = false
    if (!definition && name.startsWith('no-')) {
      const positive = name.slice(3)
      definition = Object.hasOwn(spec, positive) ? spec[positive] : undefined
      if (!definition?.allowNo) return undefined
      negated = true
      name = positive
    }
    if (!definition) return undefined
    // A single flag given twice: oclif decides (it refuses some, keeps the last of others).
    if (Object.hasOwn(flags, name) && !definition.multiple) return undefined
    if (definition.type === 'boolean') {
      if (equals !== -1) return undefined
      flags[name] = !negated
      continue
    }
    if (negated) return undefined
    const value = equals === -1 ? argv[++i] : token.slice(equals + 1)
    if (value === undefined || value === '' || value.startsWith('-')) return undefined
    if (definition.options && !definition.options.includes(value)) return undefined
    if (definition.multiple) flags[name] = [...((flags[name] as string[] | undefined) ?? []), value]
    else flags[name] = value
  }
  return {flags, positionals}
}
