import {Ajv} from 'ajv'
import Fastify, {type FastifyInstance, type FastifyReply, type FastifyRequest} from 'fastify'
import {setTimeout as sleep} from 'node:timers/promises'

import {type ContractOperation, loadContract} from './contract.js'
import {completeFaults, type Faults} from './faults.js'
import {ProblemError} from './problems.js'
import type {Reply, SandboxService} from './service.js'

type Handler = (request: FastifyRequest, context: {tokenHash: string}) => Reply

/** One handler per operationId of the contract; the server refuses to start when the two differ. */
function handlers(service: SandboxService, faults: {current: Faults}): Record<string, Handler> {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const body = (r: FastifyRequest) => r.body as any
  const query = (r: FastifyRequest) => r.query as any
  const params = (r: FastifyRequest) => r.params as any
  /* eslint-enable @typescript-eslint/no-explicit-any */
  return {
    createToken: (r) => service.createToken(body(r)),
    revokeToken: (_r, c) => service.revokeToken(c.tokenHash),
    getPartner: () => service.partner(),
    getLicenseTrust: () => service.licenseTrust(),
    getLicenseRevocations: () => service.licenseRevocations(),
    registerAgent: (r) => service.registerAgent(body(r)),
    agentHeartbeat: (r) => service.heartbeat(params(r).agentId, body(r)),
    listAgents: (r) => service.listAgents(query(r)),
    listCustomers: (r) => service.listCustomers(query(r)),
    createCustomer: (r) =>
      service.createCustomer(body(r), r.headers['idempotency-key'] as string | undefined),
    getCustomer: (r) => service.getCustomer(params(r).customerNumber),
    deleteCustomer: (r) => service.deleteCustomer(params(r).customerNumber),
    getDashboard: (r) => service.dashboard(query(r)),
    getSandboxFaults: () => ({status: 200, body: faults.current}),
    putSandboxFaults: (r) => {
      faults.current = completeFaults(body(r))
      return {status: 200, body: faults.current}
    },
  }
}

export interface SandboxServer {
  app: FastifyInstance
  url: string
  faults: {current: Faults}
  /** Every route served, as `METHOD /contract/path`, for the contract test. */
  routes: string[]
}

const DEFAULT_BODY_LIMIT = 64 * 1024
/** A license may be 1 MiB; JSON escaping can grow it. */
const REGISTER_BODY_LIMIT = 3 * 1024 * 1024
/** Beyond this, the connection is closed without reading on (Fastify's own 413). */
const DRAIN_LIMIT = 16 * 1024 * 1024

/**
 * Fastify, because it validates requests with the JSON Schemas of docs/openapi.yaml through ajv (compiled once),
 * limits bodies per route, and closes cleanly. Loaded only by `tcrmm sandbox`.
 */
export async function startServer(options: {
  service: SandboxService
  faults: Faults
  port: number
  contract?: ContractOperation[]
}): Promise<SandboxServer> {
  const faults = {current: options.faults}
  const app = Fastify({
    logger: false,
    bodyLimit: DRAIN_LIMIT,
    forceCloseConnections: true,
    routerOptions: {maxParamLength: 4096},
  })
  // Query strings, path parameters and headers are text, so their schemas coerce ("100" → 100); a JSON body is
  // typed already and must not be coerced: 4711 is not the customer number "4711". Unknown fields are refused,
  // never silently removed.
  const strictBody = new Ajv({
    removeAdditional: false,
    coerceTypes: false,
    useDefaults: true,
    allErrors: true,
    strict: false,
  })
  const coercing = new Ajv({
    removeAdditional: false,
    coerceTypes: 'array',
    useDefaults: true,
    allErrors: true,
    strict: false,
  })
  app.setValidatorCompiler(({schema, httpPart}) =>
    (httpPart === 'body' ? strictBody : coercing).compile(schema),
  )
  app.removeContentTypeParser(['text/plain', 'application/json'])
  // Bodies are read in full up to DRAIN_LIMIT and only then refused when over the route's own limit: a client
  // that sends a large body then sees the 413 instead of a connection reset in the middle of its upload.
  const routeLimits = new Map<string, number>()
  app.addContentTypeParser(
    'application/json',
    {parseAs: 'buffer', bodyLimit: DRAIN_LIMIT},
    (request, body, done) => {
      const buffer = body as Buffer
      const limit = routeLimits.get(request.routeOptions.url ?? '') ?? DEFAULT_BODY_LIMIT
      if (buffer.length > limit)
        return done(
          new ProblemError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`),
          undefined,
        )
      if (buffer.length === 0)
        return done(new ProblemError(400, 'BAD_REQUEST', 'The body is empty.'), undefined)
      try {
        done(null, JSON.parse(buffer.toString('utf8')))
      } catch (error) {
        done(
          new ProblemError(400, 'BAD_REQUEST', `The body is not valid JSON: ${(error as Error).message}`),
          undefined,
        )
      }
    },
  )

  app.setErrorHandler((error, request, reply) => sendProblem(reply, request, toProblem(error, request)))
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new ProblemError(
        404,
        'NOT_FOUND',
        `${request.method} ${request.url.split('?')[0]} is not part of the API.`,
      ),
    ),
  )

  // A body announced larger than the route allows is refused at once, before authentication or faults, and the
  // connection stays open while Node discards the rest: a client still uploading reads the 413, no reset.
  app.addHook('onRequest', async (request, reply) => {
    const announced = Number(request.headers['content-length'] ?? 0)
    const limit = routeLimits.get(request.routeOptions.url ?? '') ?? DEFAULT_BODY_LIMIT
    if (announced > limit) {
      if (announced > DRAIN_LIMIT) void reply.header('connection', 'close')
      return sendProblem(
        reply,
        request,
        new ProblemError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`),
      )
    }
  })

  // Faults apply to /v1 only: latency first, then a 429 or a 500 before any work, or a drop after the work.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return
    const {latencyMs, rateLimitRate, errorRate, dropRate} = faults.current
    if (latencyMs > 0) await sleep(latencyMs)
    if (Math.random() < rateLimitRate) {
      return sendProblem(
        reply,
        request,
        new ProblemError(429, 'RATE_LIMITED', 'Injected rate limit.', {}, {'Retry-After': '1'}),
      )
    }
    if (Math.random() < errorRate) {
      return sendProblem(reply, request, new ProblemError(500, 'INTERNAL_ERROR', 'Injected server error.'))
    }
    if (Math.random() < dropRate) dropAfterWork.add(request)
  })
  const dropAfterWork = new WeakSet<FastifyRequest>()
  app.addHook('onSend', async (request, _reply, payload) => {
    if (dropAfterWork.has(request)) request.raw.socket?.destroy()
    return payload
  })

  const tokenHashes = new WeakMap<FastifyRequest, string>()
  const routes: string[] = []
  const operations = options.contract ?? loadContract()
  const byOperation = handlers(options.service, faults)
  const unserved = Object.keys(byOperation).filter((id) => !operations.some((op) => op.operationId === id))
  if (unserved.length > 0) throw new Error(`handlers without a contract operation: ${unserved.join(', ')}`)
  for (const operation of operations) {
    const handler = byOperation[operation.operationId]
    if (!handler) throw new Error(`the contract operation ${operation.operationId} has no handler`)
    routes.push(`${operation.method} ${operation.path}`)
    if (operation.operationId === 'registerAgent') routeLimits.set(operation.route, REGISTER_BODY_LIMIT)
    app.route({
      method: operation.method,
      url: operation.route,
      schema: operation.schema,
      bodyLimit: DRAIN_LIMIT,
      // Authentication before the body is even read: an anonymous caller learns nothing from validation errors.
      onRequest: operation.authenticated
        ? async (request) => {
            tokenHashes.set(request, options.service.authenticate(request.headers.authorization))
          }
        : undefined,
      handler: async (request, reply) => {
        const result = handler(request, {tokenHash: tokenHashes.get(request) ?? ''})
        for (const [name, value] of Object.entries(result.headers ?? {})) void reply.header(name, value)
        reply.code(result.status)
        if (result.body === undefined) return reply.send()
        // A replayed error (Idempotency-Key) is still problem details.
        if (result.status >= 400)
          return reply.type('application/problem+json').send(JSON.stringify(result.body))
        return reply.send(result.body)
      },
    })
  }

  await app.listen({host: '127.0.0.1', port: options.port})
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {app, url: `http://127.0.0.1:${port}`, faults, routes}
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) void reply.header(name, value)
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problem.toBody(request.url.split('?')[0])))
}

interface FastifyLikeError {
  statusCode?: number
  code?: string
  message: string
  validation?: Array<{
    instancePath?: string
    keyword?: string
    params?: Record<string, unknown>
    message?: string
  }>
  validationContext?: string
}

/** Fastify's own errors (validation, JSON syntax, media type, size) as the contract's problem codes. */
function toProblem(error: unknown, request: FastifyRequest): ProblemError {
  if (error instanceof ProblemError) return error
  const e = error as FastifyLikeError
  if (e.validation) {
    const context = e.validationContext ?? 'body'
    const missingNumber = e.validation.some(
      (v) =>
        (v.keyword === 'required' && v.params?.missingProperty === 'customerNumber') ||
        (v.instancePath === '/customerNumber' && v.keyword === 'minLength'),
    )
    if (missingNumber && context === 'body' && request.routeOptions.url === '/v1/customers') {
      return new ProblemError(422, 'CUSTOMER_NUMBER_REQUIRED', 'A customer number is required.')
    }
    const errors = e.validation.map((v) => ({
      path: `${context}${v.instancePath ?? ''}`,
      message:
        v.keyword === 'additionalProperties'
          ? `unknown field "${String(v.params?.additionalProperty)}"`
          : (v.message ?? 'invalid'),
    }))
    return new ProblemError(
      400,
      'VALIDATION_FAILED',
      errors.map((x) => `${x.path}: ${x.message}`).join('; '),
      {errors},
    )
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError(413, 'PAYLOAD_TOO_LARGE', 'The body is larger than this call allows.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError(400, 'BAD_REQUEST', 'The body is empty.')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ProblemError(400, 'BAD_REQUEST', 'Content-Length does not match the body.')
  }
  if (e.statusCode === 400)
    return new ProblemError(400, 'BAD_REQUEST', `The body is not valid JSON: ${e.message}`)
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new ProblemError(e.statusCode, 'BAD_REQUEST', e.message)
  return new ProblemError(500, 'INTERNAL_ERROR', 'The sandbox failed on this request.')
}
