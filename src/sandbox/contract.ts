import {readFileSync} from 'node:fs'
import {parse} from 'yaml'

/** One operation of docs/openapi.yaml, with its JSON Schemas resolved, ready to become a Fastify route. */
export interface ContractOperation {
  operationId: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** As the contract writes it: `/v1/customers/{customerNumber}`. */
  path: string
  /** As Fastify routes it: `/v1/customers/:customerNumber`. */
  route: string
  authenticated: boolean
  schema: {body?: object; params?: object; querystring?: object; headers?: object}
}

type Json = Record<string, unknown>

export const CONTRACT_URL = new URL('../../docs/openapi.yaml', import.meta.url)

/** Reads the contract; every request the sandbox serves is validated against these schemas. */
export function loadContract(text: string = readFileSync(CONTRACT_URL, 'utf8')): ContractOperation[] {
  const doc = parse(text) as Json
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve)
    if (value === null || typeof value !== 'object') return value
    const object = value as Json
    if (typeof object.$ref === 'string') return resolve(pointer(doc, object.$ref))
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v)]))
  }
  const globalSecurity = (doc.security as unknown[] | undefined) ?? []
  const operations: ContractOperation[] = []
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, rawOperation] of Object.entries(item as Json)) {
      const operation = resolve(rawOperation) as Json
      const parameters = (operation.parameters as Json[] | undefined) ?? []
      const schema: ContractOperation['schema'] = {}
      for (const location of ['path', 'query', 'header'] as const) {
        const ofLocation = parameters.filter((p) => p.in === location)
        if (ofLocation.length === 0) continue
        const key = location === 'path' ? 'params' : location === 'query' ? 'querystring' : 'headers'
        schema[key] = {
          type: 'object',
          properties: Object.fromEntries(
            ofLocation.map((p) => [location === 'header' ? String(p.name).toLowerCase() : p.name, p.schema]),
          ),
          required: ofLocation
            .filter((p) => p.required)
            .map((p) => (location === 'header' ? String(p.name).toLowerCase() : p.name)),
        }
      }
      const body = (operation.requestBody as Json | undefined)?.content as Json | undefined
      const bodySchema = (body?.['application/json'] as Json | undefined)?.schema
      if (bodySchema) schema.body = bodySchema as object
      const security = (operation.security as unknown[] | undefined) ?? globalSecurity
      operations.push({
        operationId: String(operation.operationId),
        method: method.toUpperCase() as ContractOperation['method'],
        path,
        route: path.replace(/\{(\w+)\}/g, ':$1'),
        authenticated: security.length > 0,
        schema,
      })
    }
  }
  return operations
}

function pointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`)
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
}
