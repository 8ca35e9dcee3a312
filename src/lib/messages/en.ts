/**
 * Every sentence a user reads, in English. German (de.ts) follows the same shape.
 * Functions take the variable parts; nothing else in the code builds user-facing prose.
 */
import {apiMessages} from './api.en.js'

export const en = {
  api: apiMessages,

  common: {
    errorPrefix: 'Error',
    unexpected: (detail: string) => `Unexpected failure: ${detail}`,
    flagColor: 'Colour the output (default: only on a terminal, never with NO_COLOR).',
    usageFailed: (detail: string) => detail,
    interrupted: 'Interrupted.',
    emptyFlag: (flag: string) => `${flag} must not be empty.`,
    missingFlag: (flag: string) => `${flag} is required when tcrmm cannot ask (no terminal, or CI is set).`,
    badProfile: (name: string) => `Profile names are letters, digits, "_", "." and "-": "${name}"`,
    flagProfile: 'Profile to use (default: TCRMM_PROFILE or "default").',
  },

  config: {
    badServer: (url: string) => `"${url}" is not an http(s) server address.`,
    serverWithCredentials: 'The server address must not contain a user name or password.',
    insecureServer: (url: string) =>
      `${url} uses plain http: only https is allowed, except for the local sandbox (127.0.0.1, localhost).`,
    caFileUnreadable: (file: string, reason: string) => `Cannot read the CA file ${file}: ${reason}`,
    credentialsUnreadable: (file: string, reason: string) =>
      `Cannot read the credentials file ${file}: ${reason}`,
    noCredentials: 'No API credentials.',
    noCredentialsHints: [
      'Pass the "Zugangsdaten für … .txt" file from the RMM project room: --credentials-file FILE',
      'Or set TCRMM_API_USER and TCRMM_API_PASSWORD (never written to disk).',
    ],
  },

  apiFlags: {
    server: 'RMM server URL (default: TCRMM_SERVER, the profile, or https://rmm.timecard.de).',
    profile: 'Profile to use (default: TCRMM_PROFILE or "default").',
    caFile: "PEM file with CA certificates to trust for the server's TLS (in addition to the system's).",
    debug: 'Print each request with its status and timing on stderr (never a token or password).',
  },

  auth: {
    notLoggedIn: (profile: string) => `Not logged in (profile "${profile}").`,
    tokenExpired: (profile: string, at: string) => `The session of profile "${profile}" expired at ${at}.`,
    tokenMissing: (profile: string) => `The token of profile "${profile}" is missing from its store.`,
    loginHints: [
      'Log in with `tcrmm login --credentials-file "Zugangsdaten für … .txt"` (or --user with --password-stdin).',
      'In CI, set TCRMM_API_USER and TCRMM_API_PASSWORD instead: nothing is written to disk then.',
    ],
    unauthorizedHint: 'Log in again with `tcrmm login`.',
    badTrustRoots: (server: string) => `${server} sent license trust roots that are not PEM certificates.`,
  },

  login: {
    summary:
      'Log in to the RMM: exchange the API user and password for a token and cache it for this profile.',
    description:
      'Caches the token (OS keyring, else a 0600 file), the partner profile, and the license trust roots and ' +
      'revocation list, so `tcrmm license verify` works offline afterwards. The password is never stored.',
    flagUser: 'API user (API-Benutzer).',
    flagPasswordStdin: 'Read the API password from stdin (never pass it as a flag value).',
    flagCredentialsFile: 'The "Zugangsdaten für … .txt" file from the RMM project room.',
    promptUser: 'API user (API-Benutzer):',
    promptPassword: 'API password (API-Passwort):',
    passwordStdinNeedsUser: '--password-stdin needs --user.',
    emptyPassword: 'The password read from stdin is empty.',
    missingCredentials: 'No credentials: pass --credentials-file FILE, or --user with --password-stdin.',
    done: (apiUser: string, server: string) => `Logged in as ${apiUser} at ${server}`,
    partner: (company: string, partnerId: string, edition: string) =>
      `Partner: ${company} (${partnerId}), ${edition} edition`,
    expires: (at: string) => `Token valid until ${at}`,
    trust: (roots: number, revoked: number) =>
      `License trust cached: ${roots} ${roots === 1 ? 'root' : 'roots'}, ${revoked} revoked ${revoked === 1 ? 'license' : 'licenses'} (license verify works offline now)`,
    fileNotice: (file: string) =>
      `Note: no OS keyring is available, so the token is stored in ${file} (readable only by you, mode 0600).`,
  },
  logout: {
    summary: 'Log out: revoke the token on the server when reachable, and remove it locally in any case.',
    done: (profile: string) => `Logged out of profile "${profile}".`,
    revoked: 'The token was revoked on the server.',
    notRevoked:
      'The server could not be reached to revoke the token; it was removed locally and expires by itself.',
    notLoggedIn: (profile: string) => `Profile "${profile}" was not logged in.`,
  },
  whoami: {
    summary: 'Show who is logged in: profile, server, API user, partner, edition, token expiry.',
    labels: {
      profile: 'Profile',
      server: 'Server',
      apiUser: 'API user',
      company: 'Partner',
      partnerId: 'Partner id',
      edition: 'Edition',
      tokenExpiresAt: 'Token valid until',
      source: 'Credentials',
    },
    sourceProfile: 'tcrmm login',
    sourceEnvironment: 'TCRMM_API_USER / TCRMM_API_PASSWORD (not stored)',
  },
  agent: {
    list: {
      summary: 'List the installations (agents) that have connected.',
      flagUnassigned: 'Only agents that belong to no customer yet.',
      flagLimit: 'At most this many.',
      columns: {
        agentId: 'Agent id',
        tcVersion: 'Version',
        lastContactAt: 'Last contact',
        customerNumber: 'Customer',
      },
      none: 'No agents.',
      unassigned: '(none)',
    },
  },
  customer: {
    add: {
      summary: 'Create the customer for an agent ("+ Neuer Kunde"), with its customer number.',
      description:
        'Safe to re-run: the same pair again reports "unchanged" (exit 0); retries after network errors reuse one ' +
        'idempotency key, so a customer is never created twice.',
      flagId: 'The customer number (Kundennummer), required by the RMM.',
      flagAgent: "The agent id: the company name from the installation's registration data, exactly.",
      flagName: 'A display name for the customer.',
      emptyId: '--id must not be empty: the RMM needs a customer number.',
      promptId: (agentId: string) => `Customer number for "${agentId}":`,
      created: (number: string, agentId: string) => `Created customer ${number} for agent "${agentId}".`,
      unchanged: (number: string, agentId: string) =>
        `Unchanged: agent "${agentId}" already is customer ${number}.`,
      unknownAgent: (agentId: string) => `No agent "${agentId}" has connected to the RMM.`,
      closest: (ids: string) => `Closest agent ids: ${ids}`,
      noAgents: 'No agent has connected yet: configure the installation first (tcrmm link shows how).',
      numberTaken: (number: string, agentId: string) =>
        `Customer number ${number} already belongs to agent "${agentId}".`,
      agentAssigned: (agentId: string, number: string) => `Agent "${agentId}" already is customer ${number}.`,
    },
    list: {
      summary: 'List all customers (follows every page), with status and warnings.',
      flagLimit: 'At most this many.',
      columns: {
        customerNumber: 'Number',
        agentId: 'Agent id',
        name: 'Name',
        status: 'Status',
        warningCount: 'Warnings',
        tcVersion: 'Version',
        lastContactAt: 'Last contact',
      },
      none: 'No customers.',
      count: (n: number) => `${n} ${n === 1 ? 'customer' : 'customers'}`,
    },
    show: {
      summary: 'Show one customer.',
      argId: 'The customer number.',
      labels: {
        customerNumber: 'Customer number',
        agentId: 'Agent id',
        name: 'Name',
        status: 'Status',
        warningCount: 'Warnings',
        tcVersion: 'timeCard version',
        lastContactAt: 'Last contact',
        createdAt: 'Created',
      },
    },
    remove: {
      summary: 'Remove a customer; its agent becomes unassigned again.',
      argId: 'The customer number.',
      flagYes: 'Do not ask for confirmation (required when tcrmm cannot ask).',
      confirm: (number: string, agentId: string) => `Remove customer ${number} (agent "${agentId}")?`,
      cancelled: 'Nothing removed.',
      removed: (number: string, agentId: string) =>
        `Removed customer ${number}; agent "${agentId}" is unassigned again.`,
      needsYes: 'Removing a customer needs --yes when tcrmm cannot ask (no terminal, or CI is set).',
    },
  },
  link: {
    summary: 'Link a customer installation to the RMM, step by step (the on-site wizard).',
    description:
      'Checks the prerequisites, shows the registration data to enter in timeCard (Allgemein → Einstellungen → ' +
      'Registrierungsdaten), waits until the installation connects, creates the customer with its number and ' +
      'shows its dashboard row. Every question has a flag, so it also runs unattended. Re-running it for a ' +
      'linked customer reports "already linked".',
    flagCompany:
      "The company name in the installation's registration data (Firmenname): it becomes the agent id.",
    flagId: 'The customer number (Kundennummer) to create.',
    flagLicense: 'The license file you enter in the installation (standard or premium).',
    flagTcVersion: 'The timeCard version of the installation, e.g. 23.04.01.',
    flagWait: 'How long to wait for the installation to connect (default 10m).',
    flagYes: 'Do not ask for confirmation.',
    flagCa: 'PEM file with the license trust root (default: the roots cached by tcrmm login, or the server).',
    promptCompany: 'Company name (Firmenname) in the registration data:',
    promptTcVersion: 'timeCard version of the installation:',
    promptLicense: 'License file (license_rma_…_signed.xml):',
    promptId: 'Customer number (Kundennummer):',
    promptContinue: 'Continue with this company name?',
    promptCreate: (number: string, agentId: string) => `Create customer ${number} for agent "${agentId}"?`,
    cancelled: 'Cancelled; nothing was created.',
    step: (n: number, title: string) => `Step ${n}/5: ${title}`,
    titles: {
      prerequisites: 'Prerequisites',
      registration: 'Registration data for the installation',
      wait: 'Wait for the installation to connect',
      create: 'Create the customer',
      row: 'Dashboard',
    },
    credentialsOk: (apiUser: string, partner: string) => `Credentials: ${apiUser} (${partner})`,
    versionOk: (version: string) => `timeCard ${version} (23.04.01 or newer)`,
    versionTooOld: (version: string) => `timeCard ${version} is too old: the RMM needs 23.04.01 or newer.`,
    versionTooOldFix:
      'Update the installation to timeCard 23.04.01 or newer first, then run tcrmm link again.',
    versionInvalid: (version: string) => `"${version}" is not a timeCard version (like 23.04.01).`,
    versionInvalidFix: 'Look it up in timeCard (Hilfe → Info) and pass it with --tc-version.',
    licenseOk: (edition: string, file: string) =>
      `${edition === 'premium' ? 'Premium-Lizenz' : 'Standard-Lizenz'} (${edition}): ${file}`,
    licenseInvalid: (reason: string) => `The license file is not valid: ${reason}`,
    licenseInvalidFix:
      'Download the license file again from your Projektraum in the RMM (Dateien → Projekträume).',
    licenseForeign: (company: string, partnerId: string) =>
      `The license belongs to ${company} (${partnerId}), not to you.`,
    licenseForeignFix: 'Use your own license_rma_<Ihr Unternehmen>_…_signed.xml from your Projektraum.',
    licenseUnreadable: (file: string, reason: string) => `Cannot read the license file ${file}: ${reason}`,
    enterIn: 'In timeCard, open Allgemein → Einstellungen → Registrierungsdaten and enter:',
    fieldCompany: 'Firmenname',
    fieldApiUser: 'API-Benutzer',
    fieldApiPassword: 'API-Passwort',
    fieldLicense: 'Lizenzdatei',
    passwordWhere: (file: string | undefined) =>
      file
        ? `from ${file} (not shown here)`
        : 'from "Zugangsdaten für Ihr Unternehmen.txt" in your Projektraum (not shown here)',
    clickApply:
      'Then click "Übernehmen". The company name becomes the agent id in the RMM, exactly as typed.',
    agentIdIs: (shown: string) => `Agent id (Agent-Kennung): ${shown}`,
    trapEdgeSpaces:
      'The company name starts or ends with a space: the agent id will too, and nobody sees it.',
    trapDoubleSpaces: 'The company name contains two spaces in a row.',
    trapNotNfc:
      'The umlauts are in decomposed form (NFD, e.g. copied from a Mac): the RMM compares them byte for byte.',
    trapLookalike: (chars: string) => `Characters that only look like ordinary ones: ${chars}`,
    trapNearExisting: (ids: string) => `An agent with a near-identical id already exists: ${ids}`,
    trapFix: 'Make the Firmenname in timeCard and --company identical, character for character.',
    alreadyConnected: (agentId: string) => `The installation "${agentId}" is connected already.`,
    alreadyLinked: (agentId: string, number: string) =>
      `Already linked: agent "${agentId}" is customer ${number}.`,
    linkedElsewhere: (agentId: string, number: string) =>
      `Agent "${agentId}" already is customer ${number}, not the number you gave.`,
    waiting: (agentId: string, elapsed: string, limit: string) =>
      `Waiting for "${agentId}" to connect… ${elapsed} of ${limit}`,
    connected: (agentId: string, elapsed: string) => `"${agentId}" connected after ${elapsed}.`,
    timeout: (agentId: string, limit: string) => `"${agentId}" did not connect within ${limit}.`,
    timeoutFix: [
      'Check on the installation (Allgemein → Einstellungen → Registrierungsdaten):',
      '  - API-Benutzer and API-Passwort exactly as in the Zugangsdaten file',
      '  - the license file is loaded and "Übernehmen" was clicked',
      '  - the Firmenname is exactly the company name given here (spaces, umlauts)',
      '  - the server can reach the RMM (firewall, proxy)',
      'Then run tcrmm link again; it continues where it stopped.',
    ],
    created: (number: string, agentId: string) => `Customer ${number} created for agent "${agentId}".`,
    unchanged: (number: string, agentId: string) =>
      `Customer ${number} exists for agent "${agentId}" already.`,
    done: (number: string) => `Linked: customer ${number} is now managed in the RMM.`,
    badWait: (value: string) => `--wait expects a duration like 10m or 90s, got "${value}".`,
  },

  dashboard: {
    summary: 'Customers, their status and warnings: worst first, for people and for monitoring.',
    description:
      'One line per customer with status, warnings (details in the premium edition), version and last contact. ' +
      '--fail-on makes it a check for monitoring scripts: exit 1 when the threshold is reached.',
    flagWatch: 'Redraw every SECONDS (default 10) until Ctrl-C; in place on a terminal, repeated otherwise.',
    flagWarningsOnly: 'Only customers with warnings or a status other than ok.',
    flagFailOn:
      'Exit 1 when a customer has this status or worse (warning: anything not ok; critical: critical or offline).',
    badWatch: (value: string) => `--watch expects a number of seconds (1 or more), got "${value}".`,
    customers: (n: number) => `${n} ${n === 1 ? 'customer' : 'customers'}:`,
    count: (n: number, status: string) => `${n} ${status}`,
    none: 'No customers yet.',
    since: (when: string) => `since ${when}`,
    columns: {
      status: 'Status',
      customerNumber: 'Number',
      customer: 'Customer',
      warnings: 'Warnings',
      tcVersion: 'Version',
      lastContactAt: 'Last contact',
    },
    watching: (seconds: number, at: string) => `Refreshing every ${seconds} s (last: ${at}); Ctrl-C to stop.`,
    failOnReached: (threshold: string) => `--fail-on ${threshold}: reached.`,
  },

  time: {
    never: 'never',
    justNow: 'just now',
    ago: (amount: string) => `${amount} ago`,
    inFuture: (amount: string) => `in ${amount}`,
  },

  sandbox: {
    start: {
      summary: 'Start a local RMM emulator (the sandbox) on 127.0.0.1.',
      description:
        'Creates a partner with API credentials, a license CA and signed standard and premium licenses, writes ' +
        'them to the data dir, and serves the RMM API until Ctrl-C. With --data-dir, everything survives a restart.',
      flagPort: 'Port on 127.0.0.1 (0 picks a free one).',
      flagDataDir: 'Keep state and files here across restarts (default: memory and a temporary dir).',
      flagSeed: 'Create N customers with agents in a realistic mix of states, plus N/10 unassigned agents.',
      flagEdition: "The partner's edition: standard shows warning counts, premium the warnings.",
      flagCompany: "The partner's company name.",
      flagOfflineAfter: 'An agent without heartbeat for this long is offline (e.g. 15m, 30s).',
      flagTokenTtl: 'How long an API token lasts (e.g. 1h).',
      flagFaults: 'Fault injection for /v1 calls, e.g. error=0.2,drop=0.05,latency=100ms,ratelimit=0.1',
      badDuration: (flag: string, value: string) =>
        `${flag} expects a duration like 30s, 15m or 1h, got "${value}".`,
      badFaults: (reason: string) => `--faults: ${reason}`,
      badDataDir: (dir: string, reason: string) => `Cannot use the data dir ${dir}: ${reason}`,
      portInUse: (port: number) =>
        `Port ${port} on 127.0.0.1 is in use; pick another with --port (0 picks a free one).`,
      bannerTitle: (url: string) => `tcrmm sandbox is running at ${url}`,
      bannerPartner: (company: string, partnerId: string, edition: string) =>
        `Partner: ${company} (${partnerId}), ${edition} edition`,
      bannerFiles: 'Files:',
      bannerCredentials: (path: string) => `  credentials       ${path}`,
      bannerStandard: (path: string) => `  standard license  ${path}`,
      bannerPremium: (path: string) => `  premium license   ${path}`,
      bannerRoot: (path: string) => `  license root CA   ${path}`,
      bannerTry: 'Try next (in another terminal):',
      bannerStop: 'Stop with Ctrl-C.',
      stopped: 'Sandbox stopped.',
    },
    installation: {
      summary:
        'Play a customer installation that clicks "Übernehmen": register an agent and report heartbeats.',
      description:
        "Registers the agent with the partner's API user and password and a license file, sends one heartbeat " +
        'and exits; with --interval it keeps reporting until stopped. A refused registration exits 1 with the reason.',
      flagServer: 'RMM server URL (default: TCRMM_SERVER, the profile, or https://rmm.timecard.de).',
      flagCompany: 'Company name from the registration data: it becomes the agent id.',
      flagTcVersion: 'timeCard version of the installation, e.g. 23.04.01.',
      flagLicense: 'The license file entered in the installation.',
      flagCredentialsFile: 'The "Zugangsdaten für … .txt" file with API user and password.',
      flagInterval: 'Keep sending heartbeats at this interval (e.g. 30s) until stopped.',
      flagWarning: 'A warning to report, CODE[:warning|critical] (repeatable).',
      badWarning: (value: string) => `--warning expects CODE or CODE:warning|critical, got "${value}".`,
      licenseUnreadable: (file: string, reason: string) => `Cannot read the license file ${file}: ${reason}`,
      registered: (agentId: string, version: string, edition: string) =>
        `Registered agent "${agentId}" (timeCard ${version}, ${edition} license)`,
      updated: (agentId: string, version: string, edition: string) =>
        `Updated agent "${agentId}" (timeCard ${version}, ${edition} license)`,
      heartbeat: (status: string, warnings: number) =>
        `Heartbeat sent: ${status}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
      refused: (reason: string) => `The RMM refused the registration: ${reason}`,
      stopped: 'Installation stopped reporting.',
    },
  },

  license: {
    verify: {
      summary: 'Verify signed RMM license files offline.',
      description:
        'Checks each file against the strict signature profile, the trusted roots, its validity period and the ' +
        'expectations you give. A directory means every *.xml below it. One bad file never stops the batch. ' +
        'Exit 0 only when every license is valid, 1 otherwise.',
      argFiles: 'License files, directories or glob patterns.',
      flagCa:
        'PEM file with trusted root certificates (repeatable). Also: TCRMM_LICENSE_CA, or the cache of `tcrmm login`.',
      flagAt: 'Check validity at this date/time (ISO 8601) instead of now.',
      flagEdition: 'Require this edition.',
      flagCompany: 'Require this licensee company (compared after Unicode NFC and trimming).',
      flagJunit: 'Also write a JUnit XML report to this file.',
      flagProfile: 'Profile whose cached trust roots are used (default: TCRMM_PROFILE or "default").',
      summaryLine: (total: number, valid: number, invalid: number) =>
        `${total} ${total === 1 ? 'file' : 'files'}: ${valid} valid, ${invalid} invalid`,
      validUntil: (date: string) => `valid until ${date}`,
      noEnd: 'no end date',
    },
    inspect: {
      summary: 'Show the fields of a license file, marked UNVERIFIED unless its signature checks out.',
      description:
        'Reads the license fields. Without a trusted root, or when verification fails, every field is shown as ' +
        'UNVERIFIED: it is what the file claims, not what was signed.',
      argFile: 'The license file.',
      verified: 'VERIFIED: signed by a trusted root',
      unverified: (reason: string) => `UNVERIFIED: ${reason}`,
      noTrustRoot: 'no trusted root was given (--ca, TCRMM_LICENSE_CA or tcrmm login)',
      notReadable: 'The file could not be read as a license.',
      fieldLabels: {
        licenseId: 'License id',
        edition: 'Edition',
        company: 'Company',
        partnerId: 'Partner id',
        issuedAt: 'Issued at',
        validFrom: 'Valid from',
        validUntil: 'Valid until',
        maxCustomers: 'Max. customers',
        features: 'Features',
        unknownFields: 'Unknown fields',
        signer: 'Signer',
        fingerprint: 'SHA-256 fingerprint',
        algorithm: 'Algorithm',
      },
      none: '(none)',
    },
    trust: {
      noRoot: 'No trusted root certificate for license verification.',
      noRootHints: [
        'Log in once with `tcrmm login`: it caches the license trust roots for offline use.',
        'Or pass the root certificate: `tcrmm license verify --ca root.pem …` (or set TCRMM_LICENSE_CA=root.pem).',
      ],
      caUnreadable: (file: string, reason: string) => `Cannot read the trusted root file ${file}: ${reason}`,
      caEmpty: (file: string) => `${file} contains no PEM certificate.`,
      caInvalid: (file: string) => `${file} contains a certificate that cannot be parsed.`,
      cacheUnreadable: (file: string) =>
        `The cached trust roots in ${file} cannot be read; run \`tcrmm login\` again.`,
    },
    inputs: {
      notFound: (path: string) => `No such file or directory: ${path}`,
      noMatch: (pattern: string) => `No file matches ${pattern}`,
      noXmlInDir: (dir: string) => `No *.xml file in ${dir}`,
      noFiles: 'No license files given.',
      badDate: (value: string) => `--at expects an ISO 8601 date or date-time, got "${value}".`,
      junitUnwritable: (file: string, reason: string) => `Cannot write the JUnit report ${file}: ${reason}`,
    },
    /** Plain words for every verification code: what it means for the technician. */
    codes: {
      FILE_TOO_LARGE: 'The file is larger than 1 MiB; a license file is a few kilobytes.',
      FILE_UNREADABLE: 'The file cannot be read.',
      DTD_FORBIDDEN: 'The file contains a DOCTYPE or entity declaration, which a license never has.',
      MALFORMED_XML: 'The file is not well-formed UTF-8 XML.',
      SIGNATURE_MISSING: 'The license is not signed.',
      PROFILE_VIOLATION: 'The signature is not in the form that RMM licenses use.',
      UNSUPPORTED_ALGORITHM: 'The signature uses an algorithm that is not allowed (weak or unsupported).',
      UNTRUSTED_SIGNER: 'The license was not signed by a trusted certificate authority.',
      CERT_INVALID: 'The signing certificate is not valid for this license.',
      DIGEST_MISMATCH: 'The license content was changed after it was signed.',
      SIGNATURE_INVALID: 'The signature value does not match; the license is not genuine.',
      FIELD_INVALID: 'A signed license field is missing or invalid.',
      REVOKED: 'The license has been revoked.',
      NOT_YET_VALID: 'The license is not valid yet.',
      EXPIRED: 'The license has expired.',
      EDITION_MISMATCH: 'The license is for another edition.',
      COMPANY_MISMATCH: 'The license belongs to another company.',
      EXPIRES_SOON: 'The license expires within 30 days.',
    },
    details: {
      tooLarge: 'more than 1 MiB',
      notRegularFile: 'not a regular file',
      readFailed: (reason: string) => reason,
      noSuchFile: 'no such file',
      permissionDenied: 'permission denied',
      isDirectory: 'is a directory',
      notUtf8: 'the bytes are not valid UTF-8',
      utf16: 'UTF-16 is not supported; save the file as UTF-8',
      encodingDeclared: (encoding: string) => `declared encoding "${encoding}" is not UTF-8`,
      empty: 'the file is empty',
      invalidChar: (codePoint: string) => `character ${codePoint} is not allowed in XML`,
      doctype: 'DOCTYPE declaration',
      entityDeclaration: 'entity declaration',
      parser: (message: string) => message,
      multipleRoots: 'more than one root element',
      tooDeep: (levels: number) => `elements nested deeper than ${levels} levels`,
      textOutsideRoot: 'text outside the root element',
      noRoot: 'no root element',
      lateDeclaration: 'XML declaration not at the start of the file',
      unboundPrefix: (prefix: string) => `namespace prefix "${prefix}" is not declared`,
      notALicense: (found: string) =>
        `the root element is ${found}, not License in urn:timecard:rmm:license:1`,
      noSignature: 'no ds:Signature element',
      twoSignatures: (count: number) => `${count} ds:Signature elements; exactly one is allowed`,
      signatureNotChildOfRoot:
        'the ds:Signature is not a direct child of the License element (wrapped or nested)',
      dsigOutsideSignature: (name: string) => `a signature element <${name}> stands outside the ds:Signature`,
      unexpectedElement: (name: string, parent: string) => `unexpected <${name}> in <${parent}>`,
      missingElement: (name: string, parent: string) => `<${parent}> lacks <${name}>`,
      objectForbidden: 'ds:Object (and Manifest) is not allowed',
      textInStructure: (parent: string) => `unexpected text in <${parent}>`,
      referenceCount: (count: number) => `${count} References; exactly one is allowed`,
      referenceNoUri: 'the Reference has no URI attribute',
      referenceType: 'a Reference Type attribute is not allowed',
      referenceUri: (uri: string) => `Reference URI "${uri}" does not point to the License element`,
      duplicateId: (id: string) => `the Id "${id}" occurs more than once`,
      badIdValue: (id: string) => `the Id "${id}" is not a plain name`,
      transforms: 'the transforms must be exactly enveloped-signature, then exclusive c14n',
      algorithm: (what: string, uri: string) => `${what} ${uri || '(none)'}`,
      canonicalization: 'canonicalization',
      signatureMethod: 'signature method',
      digestMethod: 'digest method',
      transform: 'transform',
      noCertificate: 'KeyInfo carries no X509Certificate',
      badBase64: (parent: string) => `<${parent}> is not base64`,
      certUnparseable: (index: number) => `certificate ${index + 1} in KeyInfo cannot be parsed`,
      rsaTooSmall: (bits: number) => `RSA key of ${bits} bits; at least 2048 are required`,
      curveUnsupported: (curve: string) => `elliptic curve ${curve} is not allowed`,
      keyTypeUnsupported: (type: string) => `key type ${type} is not allowed`,
      noChain: (subject: string) => `no chain from "${subject}" to a trusted root`,
      chainTooLong: 'the certificate chain is too long',
      certNotValidAt: (subject: string, date: string) =>
        `certificate "${subject}" is not valid at ${date} (IssuedAt)`,
      leafKeyUsage: 'the signing certificate does not allow digital signatures (KeyUsage)',
      caNotCa: (subject: string) => `"${subject}" is not a CA certificate but signs another certificate`,
      caKeyUsage: (subject: string) => `"${subject}" may not sign certificates (KeyUsage)`,
      digest: 'the digest of the signed content does not match',
      signatureValue: 'the signature value does not verify with the signing certificate',
      keyMismatch: 'the certificate key does not fit the signature method',
      verifierFailure: (reason: string) => reason,
      fieldMissing: (field: string) => `${field} is missing`,
      fieldTwice: (field: string) => `${field} occurs more than once`,
      fieldEdition: (value: string) => `Edition "${value}" is neither standard nor premium`,
      fieldDate: (field: string, value: string) => `${field} "${value}" is not an xs:dateTime`,
      fieldMaxCustomers: (value: string) => `MaxCustomers "${value}" is not a positive integer`,
      fieldEmpty: (field: string) => `${field} is empty`,
      fieldMarkup: (field: string) => `${field} contains elements instead of text`,
      fieldOrder: 'ValidUntil is before ValidFrom',
      revoked: (licenseId: string) => `license ${licenseId} is on the revocation list`,
      notYetValid: (date: string) => `valid from ${date}`,
      expired: (date: string) => `expired on ${date}`,
      expiresSoon: (date: string, days: number) =>
        `expires on ${date} (in ${days} ${days === 1 ? 'day' : 'days'})`,
      edition: (actual: string, expected: string) => `edition ${actual}, expected ${expected}`,
      company: (actual: string, expected: string) => `licensee "${actual}", expected "${expected}"`,
    },
  },
}

export type Messages = typeof en
