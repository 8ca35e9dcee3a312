/**
 * Every sentence the API client and the credentials-file reader show, in English. Plugged into en.ts by the
 * lead; German follows the same shape. Functions take the variable parts. No message ever receives a password
 * or a token: callers pass labels, line numbers, URLs and error codes only.
 */
export const apiMessages = {
  credentialsFile: {
    noColon: (file: string, line: number, label: string) =>
      `Cannot read ${file}, line ${line}: "${label}" is not followed by a colon.`,
    emptyValue: (file: string, line: number, label: string) =>
      `Cannot read ${file}, line ${line}: "${label}" has no value.`,
    conflicting: (file: string, line: number, label: string, firstLine: number) =>
      `Cannot read ${file}, line ${line}: "${label}" differs from the value already given on line ${firstLine}.`,
    missingUser: (file: string) =>
      `${file} contains no API user (a line "API-Benutzer: …" or "API user: …").`,
    missingPassword: (file: string) =>
      `${file} contains no API password (a line "API-Passwort: …" or "API password: …").`,
    missingBoth: (file: string) =>
      `${file} contains neither an API user nor an API password; is it the "Zugangsdaten für …" file from the RMM project room?`,
    expectedShape:
      'The file needs one line "API-Benutzer: <user>" and one line "API-Passwort: <password>" ("API user:" and "API password:" work too).',
    fieldCompany: 'company',
    fieldUser: 'API user',
    fieldPassword: 'API password',
    cannotWrite: (field: string) =>
      `Cannot write a credentials file: the ${field} must not be empty or contain line breaks, and user and password must not start or end with spaces.`,
  },

  client: {
    serverUrlInvalid: (url: string) => `"${url}" is not an http:// or https:// server address.`,
    serverUrlCredentials:
      'The server address must not contain a user name or password; use `tcrmm login` or TCRMM_API_USER/TCRMM_API_PASSWORD.',
    pathParamMissing: (name: string) => `No value for the path parameter {${name}}.`,
    pathSegmentInvalid: (value: string) =>
      `"${value}" cannot be addressed in a URL: an empty value, "." and ".." are not possible there.`,
    unreachable: (server: string, cause: string) => `Cannot reach the RMM server ${server}: ${cause}.`,
    unreachableHints: [
      'Check the server address (--server, TCRMM_SERVER) and the network; behind a proxy set HTTPS_PROXY.',
    ],
    mayHaveHappened:
      'The connection broke after the request was sent: the server may have carried it out. Check before repeating it.',
    tlsFailed: (server: string, cause: string) => `The secure connection to ${server} failed: ${cause}.`,
    tlsHints: [
      'If a proxy or firewall inspects TLS, give Node its root certificate: NODE_EXTRA_CA_CERTS=/path/to/root.pem.',
      'Certificate verification is never switched off.',
    ],
    redirected: (url: string, location: string) =>
      `The server answered ${url} with a redirect to ${location || '(nowhere)'}; check the server address (--server).`,
    badResponse: (url: string, status: number) =>
      `The server's answer to ${url} (HTTP ${status}) is not the JSON the API promises.`,
    cursorLoop: (url: string) => `The server sent the same page cursor twice for ${url}.`,
    httpStatus: (status: number, url: string) => `The server answered HTTP ${status} to ${url}.`,
    gaveUp: (attempts: number) =>
      `Gave up after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}; try again later.`,
    /** Why a connection failed, by the error code Node reports. */
    causes: {
      ECONNREFUSED: 'the connection was refused (is the server running, is the port right?)',
      ECONNRESET: 'the connection was dropped',
      EPIPE: 'the connection was dropped while sending',
      ECONNABORTED: 'the connection was aborted',
      ETIMEDOUT: (ms: number) => `no answer within ${ms} ms`,
      ENOTFOUND: 'the host name is unknown (DNS)',
      EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
      ENETUNREACH: 'the network is unreachable',
      EHOSTUNREACH: 'the host is unreachable',
      other: (code: string, detail: string) => `${detail} (${code})`,
      afterAttempts: (cause: string, attempts: number) => `${cause}, after ${attempts} attempts`,
    },
  },

  debug: {
    attempt: (method: string, url: string, outcome: string, ms: number, attempt: number, attempts: number) =>
      `${method} ${url} → ${outcome} in ${ms} ms (attempt ${attempt}/${attempts})`,
    retryIn: (line: string, ms: number) => `${line}; retrying in ${ms} ms`,
  },
}

export type ApiMessages = typeof apiMessages
