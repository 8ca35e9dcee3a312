/**
 * The one HTTP layer under every API command (rmm-api.md, docs/openapi.yaml). It owns what every call needs
 * and no command should repeat: the bearer token, JSON, retries with backoff that never send a creating POST
 * twice, problem+json → CliError with the right exit code, and a debug trace that never shows a secret.
 */
import got, {type Agents, RequestError} from 'got'
import {performance} from 'node:perf_hooks'

import {CliError, type ExitKind} from '../errors.js'
import {messages} from '../messages/index.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'
export type Query = Record<string, string | number | boolean | undefined>
export type ResponseHeaders = Record<string, string | string[] | undefined>

export interface ApiClientOptions {
  /** Server root such as `https://rmm.timecard.de`; request paths (`/v1/…`) are appended to it. */
  baseUrl: string
  /** Asked before every attempt, so a token renewed meanwhile is used by the retry. */
  getToken?: () => Promise<string | undefined>
  timeoutMs?: number
  /** Retries after the first attempt, for the calls that may be retried at all. */
  maxRetries?: number
  /** No retry is scheduled that would start later than this after the first attempt. */
  retryBudgetMs?: number
  /** One line per attempt; never given headers, bodies or tokens. */
  debug?: (line: string) => void
  sleep?: (ms: number) => Promise<void>
  /** For tests of the backoff; Math.random otherwise. */
  random?: () => number
  /** Passed to got, e.g. a proxy agent for HTTPS_PROXY (got does not read the proxy variables itself). */
  agent?: Agents
  /** Trusted CAs for the server's TLS certificate, replacing Node's defaults (see transport.ts). Never "insecure". */
  certificateAuthority?: string[]
  userAgent?: string
}

export interface ApiRequest {
  method: HttpMethod
  /** Starts with `/`; path parameters already percent-encoded, see `pathOf`. */
  path: string
  query?: Query
  body?: unknown
  idempotencyKey?: string
  /** Retry a POST without an idempotency key: only for calls that create nothing (login, revoke). */
  retryPost?: boolean
}

export interface ApiResponse<T> {
  status: number
  body: T
  headers: ResponseHeaders
}

/** RFC 9457 problem details with the API's stable `code`, plus whatever else the server adds. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  code?: string
  [field: string]: unknown
}

/** An HTTP error answer of the API; `code` is the problem's code (or `HTTP_<status>` without one). */
export class ApiError extends CliError {
  readonly status: number
  readonly problemCode: string | undefined
  readonly problem: Problem | undefined

  constructor(status: number, problem: Problem | undefined, message: string, hints: string[] = []) {
    const problemCode = typeof problem?.code === 'string' ? problem.code : undefined
    super(exitKindOfStatus(status), problemCode ?? `HTTP_${status}`, message, hints)
    this.name = 'ApiError'
    this.status = status
    this.problemCode = problemCode
    this.problem = problem
  }
}

/** cli.md's exit codes for an HTTP error status. */
export function exitKindOfStatus(status: number): ExitKind {
  if (status === 401) return 'AUTH'
  if (status === 403 || status === 404 || status === 409 || status === 410) return 'CONFLICT'
  if (status === 422) return 'CHECK_FAILED'
  if (status === 408 || status === 429 || status >= 500) return 'SERVER'
  if (status >= 400) return 'USAGE'
  return 'SERVER'
}

/**
 * Fills `{name}` placeholders with percent-encoded values: agent ids are company names such as
 * `Café "Zeit" / Büro`, whose slash must not become a path separator.
 */
export function pathOf(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(messages.api.client.pathParamMissing(name))
    const text = String(value)
    // URL parsers resolve `.` and `..` segments (even as %2E) and an empty one addresses the collection
    // instead: such a value would silently act on another resource.
    if (text === '' || text === '.' || text === '..') {
      throw new CliError('USAGE', 'PATH_SEGMENT_INVALID', messages.api.client.pathSegmentInvalid(text))
    }
    return encodeURIComponent(text)
  })
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
// Failures where the server may simply be busy or the network flaky. ECONNREFUSED is only retried once a
// previous attempt got through: on the first attempt it means nothing listens there, and waiting won't help.
const RETRY_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN'])
const BROKEN_AFTER_SENDING = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED'])
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
  'EPROTO',
])
// A flaky network (30 % errors, 10 % drops, 10 % rate limits) fails ~45 % of attempts: 12 retries make a
// request give up about once in 30,000; the time budget keeps a dead server from holding a command for minutes.
const DEFAULT_MAX_RETRIES = 12
const DEFAULT_RETRY_BUDGET_MS = 60_000
const BACKOFF_BASE_MS = 200
const BACKOFF_CAP_MS = 5000
const RETRY_AFTER_CAP_MS = 30_000
const MAX_PAGE_SIZE = 1000

export class ApiClient {
  private readonly baseUrl: string
  private readonly getToken: () => Promise<string | undefined>
  private readonly timeoutMs: number
  private readonly maxRetries: number
  private readonly retryBudgetMs: number
  private readonly debug: ((line: string) => void) | undefined
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  private readonly agent: Agents | undefined
  private readonly certificateAuthority: string[] | undefined
  private readonly userAgent: string

  constructor(options: ApiClientOptions) {
    this.baseUrl = checkedBaseUrl(options.baseUrl)
    this.getToken = options.getToken ?? (async () => undefined)
    this.timeoutMs = options.timeoutMs ?? 15_000
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES
    this.retryBudgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS
    this.debug = options.debug
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.random = options.random ?? Math.random
    this.agent = options.agent
    this.certificateAuthority = options.certificateAuthority
    this.userAgent = options.userAgent ?? 'tcrmm'
  }

  get<T>(path: string, query?: Query): Promise<ApiResponse<T>> {
    return this.request<T>({method: 'GET', path, query})
  }

  post<T>(
    path: string,
    body: unknown,
    options: {idempotencyKey?: string; retryPost?: boolean} = {},
  ): Promise<ApiResponse<T>> {
    return this.request<T>({method: 'POST', path, body, ...options})
  }

  put<T>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>({method: 'PUT', path, body})
  }

  delete<T = undefined>(path: string, query?: Query): Promise<ApiResponse<T>> {
    return this.request<T>({method: 'DELETE', path, query})
  }

  /** Every item of a cursor-paginated list (`items`, or `customers` for the dashboard), up to `limit`. */
  async *paginate<T>(path: string, query: Query = {}, options: {limit?: number} = {}): AsyncGenerator<T> {
    const {limit} = options
    if (limit !== undefined && limit <= 0) return
    // The largest pages the API gives (fewer round trips for long lists), but no more than the caller will take.
    const pageSize = query.limit ?? (limit === undefined ? MAX_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE))
    const seenCursors = new Set<string>()
    let cursor: string | undefined
    let yielded = 0
    for (;;) {
      const {status, body} = await this.get<Record<string, unknown>>(path, {
        ...query,
        limit: pageSize,
        cursor,
      })
      const items = Array.isArray(body?.items)
        ? body.items
        : Array.isArray(body?.customers)
          ? body.customers
          : undefined
      if (items === undefined) throw badResponse(this.displayUrl(path), status)
      for (const item of items as T[]) {
        yield item
        yielded++
        if (limit !== undefined && yielded >= limit) return
      }
      const next = body.nextCursor
      if (next === null || next === undefined) return
      if (typeof next !== 'string') throw badResponse(this.displayUrl(path), status)
      // A server that hands out a cursor again would keep us paging forever.
      if (seenCursors.has(next)) {
        throw new CliError(
          'SERVER',
          'SERVER_BAD_RESPONSE',
          messages.api.client.cursorLoop(this.displayUrl(path)),
        )
      }
      seenCursors.add(next)
      cursor = next
    }
  }

  async request<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const url = this.baseUrl + request.path + queryString(request.query)
    const shown = this.displayUrl(request.path + queryString(request.query))
    // A POST that creates something and has no key could create it twice; the server can't tell.
    const retryable =
      request.method !== 'POST' || request.idempotencyKey !== undefined || request.retryPost === true
    const attempts = retryable ? this.maxRetries + 1 : 1
    const firstAttempt = performance.now()
    const withinBudget = (delay: number) => performance.now() - firstAttempt + delay <= this.retryBudgetMs

    for (let attempt = 1; ; attempt++) {
      const headers = await this.headersFor(request)
      const started = performance.now()
      let response
      try {
        response = await got(url, {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          responseType: 'text',
          throwHttpErrors: false,
          // Retries are ours (POST rules, Retry-After, debug lines); a redirect would carry the token to
          // wherever it points and turn a POST into something else.
          retry: {limit: 0},
          followRedirect: false,
          timeout: {request: this.timeoutMs},
          agent: this.agent,
          https: this.certificateAuthority ? {certificateAuthority: this.certificateAuthority} : undefined,
        })
      } catch (error) {
        if (!(error instanceof RequestError)) throw error
        const ms = Math.round(performance.now() - started)
        const code = error.code ?? 'UNKNOWN'
        const line = messages.api.debug.attempt(request.method, shown, code, ms, attempt, attempts)
        if (isTlsCode(code)) {
          this.debug?.(line)
          throw new CliError(
            'SERVER',
            'TLS_FAILED',
            messages.api.client.tlsFailed(this.baseUrl, causeOf(code, error.message, this.timeoutMs)),
            messages.api.client.tlsHints,
          )
        }
        const delay = this.backoff(attempt)
        const again =
          attempt < attempts &&
          withinBudget(delay) &&
          (RETRY_CODES.has(code) || (code === 'ECONNREFUSED' && attempt > 1))
        if (again) {
          this.debug?.(messages.api.debug.retryIn(line, delay))
          await this.sleep(delay)
          continue
        }
        this.debug?.(line)
        throw this.unreachable(request, code, error.message, attempt)
      }

      const ms = Math.round(performance.now() - started)
      const {statusCode: status} = response
      const line = messages.api.debug.attempt(request.method, shown, String(status), ms, attempt, attempts)
      const delay = retryAfterMs(response.headers['retry-after']) ?? this.backoff(attempt)
      if (RETRY_STATUSES.has(status) && attempt < attempts && withinBudget(delay)) {
        this.debug?.(messages.api.debug.retryIn(line, delay))
        await this.sleep(delay)
        continue
      }
      this.debug?.(line)

      if (status >= 300 && status < 400) {
        const location = response.headers.location ?? ''
        throw new CliError('SERVER', 'SERVER_REDIRECT', messages.api.client.redirected(shown, location))
      }
      if (status >= 400) throw errorOf(status, response.body, shown, RETRY_STATUSES.has(status) ? attempt : 0)
      return {status, body: parseBody(response.body, shown, status) as T, headers: response.headers}
    }
  }

  private async headersFor(request: ApiRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'user-agent': this.userAgent,
    }
    const token = await this.getToken()
    if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`
    if (request.body !== undefined) headers['content-type'] = 'application/json'
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey
    return headers
  }

  /** Exponential backoff with full jitter, so many clients hit by the same outage don't return in step. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
    return Math.floor(this.random() * ceiling)
  }

  private unreachable(request: ApiRequest, code: string, detail: string, attempt: number): CliError {
    const cause = causeOf(code, detail, this.timeoutMs)
    const message = messages.api.client.unreachable(
      this.baseUrl,
      attempt > 1 ? messages.api.client.causes.afterAttempts(cause, attempt) : cause,
    )
    // The connection broke after a creating POST went out: whatever it creates may exist now. (A `retryPost`
    // call such as the login creates nothing worth checking.)
    const hints =
      request.method === 'POST' && !request.retryPost && BROKEN_AFTER_SENDING.has(code)
        ? [messages.api.client.mayHaveHappened, ...messages.api.client.unreachableHints]
        : messages.api.client.unreachableHints
    return new CliError('SERVER', 'SERVER_UNREACHABLE', message, hints)
  }

  private displayUrl(pathAndQuery: string): string {
    return this.baseUrl + pathAndQuery
  }
}

function checkedBaseUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new CliError('USAGE', 'SERVER_URL_INVALID', messages.api.client.serverUrlInvalid(text))
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CliError('USAGE', 'SERVER_URL_INVALID', messages.api.client.serverUrlInvalid(text))
  }
  // Userinfo would end up in debug lines and error messages, and got would turn it into Basic auth.
  if (url.username !== '' || url.password !== '') {
    throw new CliError('USAGE', 'SERVER_URL_INVALID', messages.api.client.serverUrlCredentials)
  }
  return (url.origin + url.pathname).replace(/\/+$/, '')
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return ''
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, String(value))
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')
}

function causeOf(code: string, detail: string, timeoutMs: number): string {
  const causes = messages.api.client.causes
  if (code === 'ETIMEDOUT') return causes.ETIMEDOUT(timeoutMs)
  const known = causes[code as keyof typeof causes]
  return typeof known === 'string' ? known : causes.other(code, detail)
}

/** Retry-After as seconds or an HTTP date, in ms, capped so a hostile or confused server can't park us. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined
  const text = header.trim()
  let ms: number
  if (/^\d+$/.test(text)) ms = Number(text) * 1000
  else {
    // Date.parse reads bare numbers like "-5" or "1.5" as years; an HTTP date always has a month name.
    const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN
    if (Number.isNaN(date)) return undefined
    ms = Math.max(0, date - now)
  }
  return Math.min(ms, RETRY_AFTER_CAP_MS)
}

function parseBody(text: string, url: string, status: number): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw badResponse(url, status)
  }
}

function badResponse(url: string, status: number): CliError {
  return new CliError('SERVER', 'SERVER_BAD_RESPONSE', messages.api.client.badResponse(url, status))
}

/** The ApiError for an error answer; `attempts` > 0 when it is a retryable status we gave up on. */
function errorOf(status: number, text: string, url: string, attempts: number): ApiError {
  let problem: Problem | undefined
  try {
    const parsed: unknown = JSON.parse(text)
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) problem = parsed as Problem
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to do.
  }
  const message =
    nonEmpty(problem?.detail) ?? nonEmpty(problem?.title) ?? messages.api.client.httpStatus(status, url)
  const hints = attempts > 0 ? [messages.api.client.gaveUp(attempts)] : []
  return new ApiError(status, problem, message, hints)
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}
