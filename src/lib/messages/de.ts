/**
 * Every sentence a user reads, in German. Same shape as en.ts; the type makes every key required.
 * Uses the terms partners know from timeCard and the RMM (Registrierungsdaten, API-Benutzer, Projektraum, …).
 * Technical identifiers, flags, codes, commands and the status words ok/warning/critical/offline stay as they are.
 */
import {apiMessagesDe} from './api.de.js'
import type {Messages} from './en.js'

/** "Standard-Edition" / "Premium-Edition" for the edition values of the API. */
const editionName = (edition: string) =>
  edition === 'premium'
    ? 'Premium-Edition'
    : edition === 'standard'
      ? 'Standard-Edition'
      : `Edition ${edition}`

/** "Standard-Lizenz" / "Premium-Lizenz" for the edition values of the API. */
const licenseName = (edition: string) =>
  edition === 'premium' ? 'Premium-Lizenz' : edition === 'standard' ? 'Standard-Lizenz' : `Lizenz ${edition}`

export const de: Messages = {
  api: apiMessagesDe,

  common: {
    errorPrefix: 'Fehler',
    unexpected: (detail: string) => `Unerwarteter Fehler: ${detail}`,
    flagColor: 'Ausgabe einfärben (Standard: nur in einem Terminal, nie mit NO_COLOR).',
    usageFailed: (detail: string) => detail,
    interrupted: 'Abgebrochen.',
    emptyFlag: (flag: string) => `${flag} darf nicht leer sein.`,
    missingFlag: (flag: string) =>
      `${flag} ist erforderlich, wenn tcrmm nicht nachfragen kann (kein Terminal oder CI gesetzt).`,
    badProfile: (name: string) => `Profilnamen bestehen aus Buchstaben, Ziffern, „_“, „.“ und „-“: „${name}“`,
    flagProfile: 'Zu verwendendes Profil (Standard: TCRMM_PROFILE oder „default“).',
  },

  config: {
    badServer: (url: string) => `„${url}“ ist keine http(s)-Serveradresse.`,
    serverWithCredentials: 'Die Serveradresse darf keinen Benutzernamen und kein Passwort enthalten.',
    insecureServer: (url: string) =>
      `${url} verwendet unverschlüsseltes http: Erlaubt ist nur https, außer für die lokale Sandbox (127.0.0.1, localhost).`,
    caFileUnreadable: (file: string, reason: string) =>
      `Die CA-Datei ${file} kann nicht gelesen werden: ${reason}`,
    credentialsUnreadable: (file: string, reason: string) =>
      `Die Zugangsdaten-Datei ${file} kann nicht gelesen werden: ${reason}`,
    noCredentials: 'Keine API-Zugangsdaten.',
    noCredentialsHints: [
      'Geben Sie die Datei „Zugangsdaten für … .txt“ aus dem Projektraum im RMM an: --credentials-file DATEI',
      'Oder setzen Sie TCRMM_API_USER und TCRMM_API_PASSWORD (werden nie gespeichert).',
    ],
  },

  apiFlags: {
    server: 'URL des RMM-Servers (Standard: TCRMM_SERVER, das Profil oder https://rmm.timecard.de).',
    profile: 'Zu verwendendes Profil (Standard: TCRMM_PROFILE oder „default“).',
    caFile:
      'PEM-Datei mit CA-Zertifikaten, denen für das TLS des Servers vertraut wird (zusätzlich zu denen des Systems).',
    debug: 'Jede Anfrage mit Status und Dauer auf stderr ausgeben (nie ein Token oder Passwort).',
  },

  auth: {
    notLoggedIn: (profile: string) => `Nicht angemeldet (Profil „${profile}“).`,
    tokenExpired: (profile: string, at: string) =>
      `Die Sitzung des Profils „${profile}“ ist am ${at} abgelaufen.`,
    tokenMissing: (profile: string) => `Das Token des Profils „${profile}“ fehlt in seinem Speicher.`,
    loginHints: [
      'Melden Sie sich mit `tcrmm login --credentials-file "Zugangsdaten für … .txt"` an (oder mit --user und --password-stdin).',
      'In CI setzen Sie stattdessen TCRMM_API_USER und TCRMM_API_PASSWORD: Dann wird nichts gespeichert.',
    ],
    unauthorizedHint: 'Melden Sie sich mit `tcrmm login` erneut an.',
    badTrustRoots: (server: string) =>
      `${server} hat Lizenz-Stammzertifikate gesendet, die keine PEM-Zertifikate sind.`,
  },

  login: {
    summary:
      'Am RMM anmelden: API-Benutzer und API-Passwort gegen ein Token tauschen und es für dieses Profil speichern.',
    description:
      'Speichert das Token (im Schlüsselbund des Betriebssystems, sonst in einer Datei mit Modus 0600), das ' +
      'Partnerprofil sowie die Lizenz-Stammzertifikate und die Sperrliste, sodass `tcrmm license verify` danach ' +
      'offline funktioniert. Das Passwort wird nie gespeichert.',
    flagUser: 'API-Benutzer.',
    flagPasswordStdin: 'Das API-Passwort von stdin lesen (nie als Wert eines Flags übergeben).',
    flagCredentialsFile: 'Die Datei „Zugangsdaten für … .txt“ aus dem Projektraum im RMM.',
    promptUser: 'API-Benutzer:',
    promptPassword: 'API-Passwort:',
    passwordStdinNeedsUser: '--password-stdin erfordert --user.',
    emptyPassword: 'Das von stdin gelesene Passwort ist leer.',
    missingCredentials:
      'Keine Zugangsdaten: Geben Sie --credentials-file DATEI an oder --user zusammen mit --password-stdin.',
    done: (apiUser: string, server: string) => `Angemeldet als ${apiUser} bei ${server}`,
    partner: (company: string, partnerId: string, edition: string) =>
      `Partner: ${company} (${partnerId}), ${editionName(edition)}`,
    expires: (at: string) => `Token gültig bis ${at}`,
    trust: (roots: number, revoked: number) =>
      `Lizenz-Vertrauen gespeichert: ${roots} ${roots === 1 ? 'Stammzertifikat' : 'Stammzertifikate'}, ${revoked} ${revoked === 1 ? 'gesperrte Lizenz' : 'gesperrte Lizenzen'} (license verify funktioniert jetzt offline)`,
    fileNotice: (file: string) =>
      `Hinweis: Kein Schlüsselbund des Betriebssystems verfügbar, daher wird das Token in ${file} gespeichert (nur für Sie lesbar, Modus 0600).`,
  },
  logout: {
    summary:
      'Abmelden: das Token auf dem Server widerrufen, wenn er erreichbar ist, und es in jedem Fall lokal löschen.',
    done: (profile: string) => `Vom Profil „${profile}“ abgemeldet.`,
    revoked: 'Das Token wurde auf dem Server widerrufen.',
    notRevoked:
      'Der Server war zum Widerrufen des Tokens nicht erreichbar; es wurde lokal gelöscht und läuft von selbst ab.',
    notLoggedIn: (profile: string) => `Das Profil „${profile}“ war nicht angemeldet.`,
  },
  whoami: {
    summary:
      'Anzeigen, wer angemeldet ist: Profil, Server, API-Benutzer, Partner, Edition, Ablauf des Tokens.',
    labels: {
      profile: 'Profil',
      server: 'Server',
      apiUser: 'API-Benutzer',
      company: 'Partner',
      partnerId: 'Partner-ID',
      edition: 'Edition',
      tokenExpiresAt: 'Token gültig bis',
      source: 'Zugangsdaten',
    },
    sourceProfile: 'tcrmm login',
    sourceEnvironment: 'TCRMM_API_USER / TCRMM_API_PASSWORD (nicht gespeichert)',
  },
  agent: {
    list: {
      summary: 'Die Installationen (Agenten) auflisten, die sich verbunden haben.',
      flagUnassigned: 'Nur Agenten, die noch keinem Kunden zugeordnet sind.',
      flagLimit: 'Höchstens so viele.',
      columns: {
        agentId: 'Agent-Kennung',
        tcVersion: 'Version',
        lastContactAt: 'Letzter Kontakt',
        customerNumber: 'Kunde',
      },
      none: 'Keine Agenten.',
      unassigned: '(keiner)',
    },
  },
  customer: {
    add: {
      summary: 'Den Kunden zu einem Agenten anlegen („+ Neuer Kunde“), mit seiner Kundennummer.',
      description:
        'Kann gefahrlos wiederholt werden: Dasselbe Paar meldet erneut „unverändert“ (Exit-Code 0); Wiederholungen ' +
        'nach Netzwerkfehlern verwenden denselben Idempotenzschlüssel, sodass ein Kunde nie doppelt angelegt wird.',
      flagId: 'Die Kundennummer, die das RMM verlangt.',
      flagAgent: 'Die Agent-Kennung: genau der Firmenname aus den Registrierungsdaten der Installation.',
      flagName: 'Ein Anzeigename für den Kunden.',
      emptyId: '--id darf nicht leer sein: das RMM braucht eine Kundennummer.',
      promptId: (agentId: string) => `Kundennummer für „${agentId}“:`,
      created: (number: string, agentId: string) => `Kunde ${number} für Agent „${agentId}“ angelegt.`,
      unchanged: (number: string, agentId: string) =>
        `Unverändert: Agent „${agentId}“ ist bereits Kunde ${number}.`,
      unknownAgent: (agentId: string) => `Es hat sich kein Agent „${agentId}“ mit dem RMM verbunden.`,
      closest: (ids: string) => `Ähnlichste Agent-Kennungen: ${ids}`,
      noAgents:
        'Es hat sich noch kein Agent verbunden: Richten Sie zuerst die Installation ein (tcrmm link zeigt, wie).',
      numberTaken: (number: string, agentId: string) =>
        `Die Kundennummer ${number} gehört bereits zu Agent „${agentId}“.`,
      agentAssigned: (agentId: string, number: string) => `Agent „${agentId}“ ist bereits Kunde ${number}.`,
    },
    list: {
      summary: 'Alle Kunden auflisten (über alle Seiten), mit Status und Warnungen.',
      flagLimit: 'Höchstens so viele.',
      columns: {
        customerNumber: 'Nummer',
        agentId: 'Agent-Kennung',
        name: 'Name',
        status: 'Status',
        warningCount: 'Warnungen',
        tcVersion: 'Version',
        lastContactAt: 'Letzter Kontakt',
      },
      none: 'Keine Kunden.',
      count: (n: number) => `${n} ${n === 1 ? 'Kunde' : 'Kunden'}`,
    },
    show: {
      summary: 'Einen Kunden anzeigen.',
      argId: 'Die Kundennummer.',
      labels: {
        customerNumber: 'Kundennummer',
        agentId: 'Agent-Kennung',
        name: 'Name',
        status: 'Status',
        warningCount: 'Warnungen',
        tcVersion: 'timeCard-Version',
        lastContactAt: 'Letzter Kontakt',
        createdAt: 'Angelegt',
      },
    },
    remove: {
      summary: 'Einen Kunden entfernen; sein Agent ist danach wieder keinem Kunden zugeordnet.',
      argId: 'Die Kundennummer.',
      flagYes: 'Nicht um Bestätigung bitten (erforderlich, wenn tcrmm nicht nachfragen kann).',
      confirm: (number: string, agentId: string) => `Kunde ${number} (Agent „${agentId}“) entfernen?`,
      cancelled: 'Nichts entfernt.',
      removed: (number: string, agentId: string) =>
        `Kunde ${number} entfernt; Agent „${agentId}“ ist wieder keinem Kunden zugeordnet.`,
      needsYes:
        'Zum Entfernen eines Kunden ist --yes nötig, wenn tcrmm nicht nachfragen kann (kein Terminal oder CI gesetzt).',
    },
  },
  link: {
    summary: 'Eine Kundeninstallation Schritt für Schritt mit dem RMM verbinden (der Assistent für vor Ort).',
    description:
      'Prüft die Voraussetzungen, zeigt die Registrierungsdaten, die in timeCard einzutragen sind (Allgemein → ' +
      'Einstellungen → Registrierungsdaten), wartet, bis sich die Installation verbindet, legt den Kunden mit ' +
      'seiner Kundennummer an und zeigt seine Zeile im Dashboard. Jede Frage hat ein Flag, daher läuft der Befehl ' +
      'auch unbeaufsichtigt. Ein erneuter Aufruf für einen bereits verbundenen Kunden meldet „bereits verbunden“.',
    flagCompany: 'Der Firmenname in den Registrierungsdaten der Installation: Er wird zur Agent-Kennung.',
    flagId: 'Die anzulegende Kundennummer.',
    flagLicense: 'Die Lizenzdatei, die Sie in der Installation laden (Standard oder Premium).',
    flagTcVersion: 'Die timeCard-Version der Installation, z. B. 23.04.01.',
    flagWait: 'Wie lange auf die Verbindung der Installation gewartet wird (Standard 10m).',
    flagYes: 'Nicht um Bestätigung bitten.',
    flagCa:
      'PEM-Datei mit dem Lizenz-Stammzertifikat (Standard: die von tcrmm login gespeicherten Stammzertifikate oder der Server).',
    promptCompany: 'Firmenname in den Registrierungsdaten:',
    promptTcVersion: 'timeCard-Version der Installation:',
    promptLicense: 'Lizenzdatei (license_rma_…_signed.xml):',
    promptId: 'Kundennummer:',
    promptContinue: 'Mit diesem Firmennamen fortfahren?',
    promptCreate: (number: string, agentId: string) => `Kunde ${number} für Agent „${agentId}“ anlegen?`,
    cancelled: 'Abgebrochen; es wurde nichts angelegt.',
    step: (n: number, title: string) => `Schritt ${n}/5: ${title}`,
    titles: {
      prerequisites: 'Voraussetzungen',
      registration: 'Registrierungsdaten für die Installation',
      wait: 'Auf die Verbindung der Installation warten',
      create: 'Kunden anlegen',
      row: 'Dashboard',
    },
    credentialsOk: (apiUser: string, partner: string) => `Zugangsdaten: ${apiUser} (${partner})`,
    versionOk: (version: string) => `timeCard ${version} (23.04.01 oder neuer)`,
    versionTooOld: (version: string) =>
      `timeCard ${version} ist zu alt: Das RMM erfordert 23.04.01 oder neuer.`,
    versionTooOldFix:
      'Aktualisieren Sie die Installation zuerst auf timeCard 23.04.01 oder neuer und führen Sie dann tcrmm link erneut aus.',
    versionInvalid: (version: string) => `„${version}“ ist keine timeCard-Version (wie 23.04.01).`,
    versionInvalidFix: 'Sehen Sie in timeCard nach (Hilfe → Info) und geben Sie sie mit --tc-version an.',
    licenseOk: (edition: string, file: string) => `${licenseName(edition)} (${edition}): ${file}`,
    licenseInvalid: (reason: string) => `Die Lizenzdatei ist ungültig: ${reason}`,
    licenseInvalidFix:
      'Laden Sie die Lizenzdatei erneut aus Ihrem Projektraum im RMM herunter (Dateien → Projekträume).',
    licenseForeign: (company: string, partnerId: string) =>
      `Die Lizenz gehört ${company} (${partnerId}), nicht Ihnen.`,
    licenseForeignFix:
      'Verwenden Sie Ihre eigene license_rma_<Ihr Unternehmen>_…_signed.xml aus Ihrem Projektraum.',
    licenseUnreadable: (file: string, reason: string) =>
      `Die Lizenzdatei ${file} kann nicht gelesen werden: ${reason}`,
    enterIn: 'Öffnen Sie in timeCard Allgemein → Einstellungen → Registrierungsdaten und tragen Sie ein:',
    fieldCompany: 'Firmenname',
    fieldApiUser: 'API-Benutzer',
    fieldApiPassword: 'API-Passwort',
    fieldLicense: 'Lizenzdatei',
    passwordWhere: (file: string | undefined) =>
      file
        ? `aus ${file} (hier nicht angezeigt)`
        : 'aus „Zugangsdaten für Ihr Unternehmen.txt“ in Ihrem Projektraum (hier nicht angezeigt)',
    clickApply:
      'Klicken Sie dann auf „Übernehmen“. Der Firmenname wird im RMM zur Agent-Kennung, genau so, wie er eingegeben wurde.',
    agentIdIs: (shown: string) => `Agent-Kennung: ${shown}`,
    trapEdgeSpaces:
      'Der Firmenname beginnt oder endet mit einem Leerzeichen: Die Agent-Kennung dann auch, und niemand sieht es.',
    trapDoubleSpaces: 'Der Firmenname enthält zwei Leerzeichen hintereinander.',
    trapNotNfc:
      'Die Umlaute liegen in zerlegter Form vor (NFD, z. B. von einem Mac kopiert): Das RMM vergleicht sie Byte für Byte.',
    trapLookalike: (chars: string) => `Zeichen, die nur wie gewöhnliche aussehen: ${chars}`,
    trapNearExisting: (ids: string) => `Es gibt bereits einen Agenten mit fast gleicher Kennung: ${ids}`,
    trapFix: 'Machen Sie den Firmennamen in timeCard und --company identisch, Zeichen für Zeichen.',
    alreadyConnected: (agentId: string) => `Die Installation „${agentId}“ ist bereits verbunden.`,
    alreadyLinked: (agentId: string, number: string) =>
      `Bereits verbunden: Agent „${agentId}“ ist Kunde ${number}.`,
    linkedElsewhere: (agentId: string, number: string) =>
      `Agent „${agentId}“ ist bereits Kunde ${number}, nicht unter der angegebenen Nummer.`,
    waiting: (agentId: string, elapsed: string, limit: string) =>
      `Warte auf die Verbindung von „${agentId}“… ${elapsed} von ${limit}`,
    connected: (agentId: string, elapsed: string) => `„${agentId}“ hat sich nach ${elapsed} verbunden.`,
    timeout: (agentId: string, limit: string) =>
      `„${agentId}“ hat sich nicht innerhalb von ${limit} verbunden.`,
    timeoutFix: [
      'Prüfen Sie an der Installation (Allgemein → Einstellungen → Registrierungsdaten):',
      '  - API-Benutzer und API-Passwort genau wie in der Datei mit den Zugangsdaten',
      '  - die Lizenzdatei ist geladen und „Übernehmen“ wurde geklickt',
      '  - der Firmenname ist genau der hier angegebene (Leerzeichen, Umlaute)',
      '  - der Server erreicht das RMM (Firewall, Proxy)',
      'Führen Sie dann tcrmm link erneut aus; es macht dort weiter, wo es aufgehört hat.',
    ],
    created: (number: string, agentId: string) => `Kunde ${number} für Agent „${agentId}“ angelegt.`,
    unchanged: (number: string, agentId: string) => `Kunde ${number} besteht bereits für Agent „${agentId}“.`,
    done: (number: string) => `Verbunden: Kunde ${number} wird jetzt im RMM verwaltet.`,
    badWait: (value: string) => `--wait erwartet eine Dauer wie 10m oder 90s, erhalten: „${value}“.`,
  },

  dashboard: {
    summary: 'Kunden mit Status und Warnungen: die kritischsten zuerst, für Menschen und für das Monitoring.',
    description:
      'Eine Zeile pro Kunde mit Status, Warnungen (Details in der Premium-Edition), Version und letztem Kontakt. ' +
      'Mit --fail-on wird daraus eine Prüfung für Monitoring-Skripte: Exit-Code 1, wenn die Schwelle erreicht ist.',
    flagWatch:
      'Alle SEKUNDEN neu anzeigen (Standard 10) bis Strg+C; in einem Terminal an derselben Stelle, sonst nacheinander.',
    flagWarningsOnly: 'Nur Kunden mit Warnungen oder einem anderen Status als ok.',
    flagFailOn:
      'Exit-Code 1, wenn ein Kunde diesen oder einen schlechteren Status hat (warning: alles außer ok; critical: critical oder offline).',
    badWatch: (value: string) => `--watch erwartet eine Anzahl Sekunden (1 oder mehr), erhalten: „${value}“.`,
    customers: (n: number) => `${n} ${n === 1 ? 'Kunde' : 'Kunden'}:`,
    count: (n: number, status: string) => `${n} ${status}`,
    none: 'Noch keine Kunden.',
    since: (when: string) => `seit ${when}`,
    columns: {
      status: 'Status',
      customerNumber: 'Nummer',
      customer: 'Kunde',
      warnings: 'Warnungen',
      tcVersion: 'Version',
      lastContactAt: 'Letzter Kontakt',
    },
    watching: (seconds: number, at: string) =>
      `Aktualisierung alle ${seconds} s (zuletzt: ${at}); Beenden mit Strg+C.`,
    failOnReached: (threshold: string) => `--fail-on ${threshold}: erreicht.`,
  },

  time: {
    never: 'nie',
    justNow: 'gerade eben',
    ago: (amount: string) => `vor ${amount}`,
    inFuture: (amount: string) => `in ${amount}`,
  },

  sandbox: {
    start: {
      summary: 'Einen lokalen RMM-Emulator (die Sandbox) auf 127.0.0.1 starten.',
      description:
        'Legt einen Partner mit API-Zugangsdaten, eine Lizenz-CA sowie signierte Standard- und Premium-Lizenzen an, ' +
        'schreibt sie in das Datenverzeichnis und stellt die RMM-API bereit, bis Strg+C gedrückt wird. Mit ' +
        '--data-dir übersteht alles einen Neustart.',
      flagPort: 'Port auf 127.0.0.1 (0 wählt einen freien).',
      flagDataDir:
        'Zustand und Dateien hier über Neustarts hinweg aufbewahren (Standard: im Arbeitsspeicher und in einem temporären Verzeichnis).',
      flagSeed:
        'N Kunden mit Agenten in einer realistischen Mischung von Zuständen anlegen, dazu N/10 nicht zugeordnete Agenten.',
      flagEdition:
        'Die Edition des Partners: standard zeigt die Anzahl der Warnungen, premium die Warnungen selbst.',
      flagCompany: 'Der Firmenname des Partners.',
      flagOfflineAfter: 'Ein Agent, der so lange keinen Heartbeat sendet, gilt als offline (z. B. 15m, 30s).',
      flagTokenTtl: 'Wie lange ein API-Token gültig ist (z. B. 1h).',
      flagFaults: 'Fehlerinjektion für /v1-Aufrufe, z. B. error=0.2,drop=0.05,latency=100ms,ratelimit=0.1',
      badDuration: (flag: string, value: string) =>
        `${flag} erwartet eine Dauer wie 30s, 15m oder 1h, erhalten: „${value}“.`,
      badFaults: (reason: string) => `--faults: ${reason}`,
      badDataDir: (dir: string, reason: string) =>
        `Das Datenverzeichnis ${dir} kann nicht verwendet werden: ${reason}`,
      portInUse: (port: number) =>
        `Port ${port} auf 127.0.0.1 ist belegt; wählen Sie mit --port einen anderen (0 wählt einen freien).`,
      bannerTitle: (url: string) => `tcrmm sandbox läuft unter ${url}`,
      bannerPartner: (company: string, partnerId: string, edition: string) =>
        `Partner: ${company} (${partnerId}), ${editionName(edition)}`,
      bannerFiles: 'Dateien:',
      bannerCredentials: (path: string) => `  Zugangsdaten      ${path}`,
      bannerStandard: (path: string) => `  Standard-Lizenz   ${path}`,
      bannerPremium: (path: string) => `  Premium-Lizenz    ${path}`,
      bannerRoot: (path: string) => `  Lizenz-Stamm-CA   ${path}`,
      bannerTry: 'Als Nächstes ausprobieren (in einem anderen Terminal):',
      bannerStop: 'Beenden mit Strg+C.',
      stopped: 'Sandbox beendet.',
    },
    installation: {
      summary:
        'Eine Kundeninstallation spielen, die auf „Übernehmen“ klickt: einen Agenten registrieren und Heartbeats melden.',
      description:
        'Registriert den Agenten mit API-Benutzer und API-Passwort des Partners und einer Lizenzdatei, sendet einen ' +
        'Heartbeat und endet; mit --interval meldet sie weiter, bis sie gestoppt wird. Eine abgelehnte ' +
        'Registrierung endet mit Exit-Code 1 und dem Grund.',
      flagServer: 'URL des RMM-Servers (Standard: TCRMM_SERVER, das Profil oder https://rmm.timecard.de).',
      flagCompany: 'Firmenname aus den Registrierungsdaten: Er wird zur Agent-Kennung.',
      flagTcVersion: 'timeCard-Version der Installation, z. B. 23.04.01.',
      flagLicense: 'Die in der Installation geladene Lizenzdatei.',
      flagCredentialsFile: 'Die Datei „Zugangsdaten für … .txt“ mit API-Benutzer und API-Passwort.',
      flagInterval: 'In diesem Abstand (z. B. 30s) weiter Heartbeats senden, bis zum Stoppen.',
      flagWarning: 'Eine zu meldende Warnung, CODE[:warning|critical] (mehrfach möglich).',
      badWarning: (value: string) =>
        `--warning erwartet CODE oder CODE:warning|critical, erhalten: „${value}“.`,
      licenseUnreadable: (file: string, reason: string) =>
        `Die Lizenzdatei ${file} kann nicht gelesen werden: ${reason}`,
      registered: (agentId: string, version: string, edition: string) =>
        `Agent „${agentId}“ registriert (timeCard ${version}, ${licenseName(edition)})`,
      updated: (agentId: string, version: string, edition: string) =>
        `Agent „${agentId}“ aktualisiert (timeCard ${version}, ${licenseName(edition)})`,
      heartbeat: (status: string, warnings: number) =>
        `Heartbeat gesendet: ${status}, ${warnings} ${warnings === 1 ? 'Warnung' : 'Warnungen'}`,
      refused: (reason: string) => `Das RMM hat die Registrierung abgelehnt: ${reason}`,
      stopped: 'Die Installation meldet nicht mehr.',
    },
  },

  license: {
    verify: {
      summary: 'Signierte RMM-Lizenzdateien offline prüfen.',
      description:
        'Prüft jede Datei gegen das strikte Signaturprofil, die vertrauenswürdigen Stammzertifikate, ihren ' +
        'Gültigkeitszeitraum und die angegebenen Erwartungen. Ein Verzeichnis steht für alle *.xml darin. Eine ' +
        'fehlerhafte Datei hält die übrigen nie auf. Exit-Code 0 nur, wenn jede Lizenz gültig ist, sonst 1.',
      argFiles: 'Lizenzdateien, Verzeichnisse oder Glob-Muster.',
      flagCa:
        'PEM-Datei mit vertrauenswürdigen Stammzertifikaten (mehrfach möglich). Alternativ: TCRMM_LICENSE_CA oder der Cache von `tcrmm login`.',
      flagAt: 'Die Gültigkeit zu diesem Datum/Zeitpunkt (ISO 8601) statt jetzt prüfen.',
      flagEdition: 'Diese Edition verlangen.',
      flagCompany:
        'Diese Firma als Lizenznehmer verlangen (verglichen nach Unicode-NFC und ohne Leerzeichen am Rand).',
      flagJunit: 'Zusätzlich einen JUnit-XML-Bericht in diese Datei schreiben.',
      flagProfile:
        'Profil, dessen gespeicherte Stammzertifikate verwendet werden (Standard: TCRMM_PROFILE oder „default“).',
      summaryLine: (total: number, valid: number, invalid: number) =>
        `${total} ${total === 1 ? 'Datei' : 'Dateien'}: ${valid} gültig, ${invalid} ungültig`,
      validUntil: (date: string) => `gültig bis ${date}`,
      noEnd: 'kein Enddatum',
    },
    inspect: {
      summary:
        'Die Felder einer Lizenzdatei anzeigen, als UNGEPRÜFT markiert, solange die Signatur nicht bestätigt ist.',
      description:
        'Liest die Lizenzfelder. Ohne vertrauenswürdiges Stammzertifikat oder wenn die Prüfung fehlschlägt, wird ' +
        'jedes Feld als UNGEPRÜFT angezeigt: Es ist, was die Datei behauptet, nicht, was signiert wurde.',
      argFile: 'Die Lizenzdatei.',
      verified: 'GEPRÜFT: von einem vertrauenswürdigen Stammzertifikat signiert',
      unverified: (reason: string) => `UNGEPRÜFT: ${reason}`,
      noTrustRoot:
        'es wurde kein vertrauenswürdiges Stammzertifikat angegeben (--ca, TCRMM_LICENSE_CA oder tcrmm login)',
      notReadable: 'Die Datei konnte nicht als Lizenz gelesen werden.',
      fieldLabels: {
        licenseId: 'Lizenz-ID',
        edition: 'Edition',
        company: 'Firma',
        partnerId: 'Partner-ID',
        issuedAt: 'Ausgestellt am',
        validFrom: 'Gültig ab',
        validUntil: 'Gültig bis',
        maxCustomers: 'Max. Kunden',
        features: 'Funktionen',
        unknownFields: 'Unbekannte Felder',
        signer: 'Unterzeichner',
        fingerprint: 'SHA-256-Fingerabdruck',
        algorithm: 'Algorithmus',
      },
      none: '(keine)',
    },
    trust: {
      noRoot: 'Kein vertrauenswürdiges Stammzertifikat für die Lizenzprüfung.',
      noRootHints: [
        'Melden Sie sich einmal mit `tcrmm login` an: Das speichert die Lizenz-Stammzertifikate für die Offline-Nutzung.',
        'Oder geben Sie das Stammzertifikat an: `tcrmm license verify --ca root.pem …` (oder setzen Sie TCRMM_LICENSE_CA=root.pem).',
      ],
      caUnreadable: (file: string, reason: string) =>
        `Die Datei mit den Stammzertifikaten ${file} kann nicht gelesen werden: ${reason}`,
      caEmpty: (file: string) => `${file} enthält kein PEM-Zertifikat.`,
      caInvalid: (file: string) => `${file} enthält ein Zertifikat, das sich nicht einlesen lässt.`,
      cacheUnreadable: (file: string) =>
        `Die gespeicherten Stammzertifikate in ${file} können nicht gelesen werden; führen Sie \`tcrmm login\` erneut aus.`,
    },
    inputs: {
      notFound: (path: string) => `Datei oder Verzeichnis nicht gefunden: ${path}`,
      noMatch: (pattern: string) => `Keine Datei passt zu ${pattern}`,
      noXmlInDir: (dir: string) => `Keine *.xml-Datei in ${dir}`,
      noFiles: 'Keine Lizenzdateien angegeben.',
      badDate: (value: string) =>
        `--at erwartet ein Datum oder einen Zeitpunkt nach ISO 8601, erhalten: „${value}“.`,
      junitUnwritable: (file: string, reason: string) =>
        `Der JUnit-Bericht ${file} kann nicht geschrieben werden: ${reason}`,
    },
    /** Plain words for every verification code: what it means for the technician. */
    codes: {
      FILE_TOO_LARGE: 'Die Datei ist größer als 1 MiB; eine Lizenzdatei hat nur wenige Kilobyte.',
      FILE_UNREADABLE: 'Die Datei kann nicht gelesen werden.',
      DTD_FORBIDDEN: 'Die Datei enthält eine DOCTYPE- oder Entity-Deklaration, die eine Lizenz nie hat.',
      MALFORMED_XML: 'Die Datei ist kein wohlgeformtes UTF-8-XML.',
      SIGNATURE_MISSING: 'Die Lizenz ist nicht signiert.',
      PROFILE_VIOLATION: 'Die Signatur hat nicht die Form, die RMM-Lizenzen verwenden.',
      UNSUPPORTED_ALGORITHM:
        'Die Signatur verwendet einen nicht zulässigen Algorithmus (schwach oder nicht unterstützt).',
      UNTRUSTED_SIGNER: 'Die Lizenz wurde nicht von einer vertrauenswürdigen Zertifizierungsstelle signiert.',
      CERT_INVALID: 'Das Signaturzertifikat ist für diese Lizenz nicht gültig.',
      DIGEST_MISMATCH: 'Der Inhalt der Lizenz wurde nach dem Signieren verändert.',
      SIGNATURE_INVALID: 'Der Signaturwert stimmt nicht; die Lizenz ist nicht echt.',
      FIELD_INVALID: 'Ein signiertes Lizenzfeld fehlt oder ist ungültig.',
      REVOKED: 'Die Lizenz wurde gesperrt.',
      NOT_YET_VALID: 'Die Lizenz ist noch nicht gültig.',
      EXPIRED: 'Die Lizenz ist abgelaufen.',
      EDITION_MISMATCH: 'Die Lizenz gilt für eine andere Edition.',
      COMPANY_MISMATCH: 'Die Lizenz gehört einer anderen Firma.',
      EXPIRES_SOON: 'Die Lizenz läuft innerhalb von 30 Tagen ab.',
    },
    details: {
      tooLarge: 'mehr als 1 MiB',
      notRegularFile: 'keine reguläre Datei',
      readFailed: (reason: string) => reason,
      noSuchFile: 'Datei nicht gefunden',
      permissionDenied: 'Zugriff verweigert',
      isDirectory: 'ist ein Verzeichnis',
      notUtf8: 'die Bytes sind kein gültiges UTF-8',
      utf16: 'UTF-16 wird nicht unterstützt; speichern Sie die Datei als UTF-8',
      encodingDeclared: (encoding: string) => `die deklarierte Kodierung „${encoding}“ ist nicht UTF-8`,
      empty: 'die Datei ist leer',
      invalidChar: (codePoint: string) => `das Zeichen ${codePoint} ist in XML nicht erlaubt`,
      doctype: 'DOCTYPE-Deklaration',
      entityDeclaration: 'Entity-Deklaration',
      parser: (message: string) => message,
      multipleRoots: 'mehr als ein Wurzelelement',
      tooDeep: (levels: number) => `Elemente sind tiefer als ${levels} Ebenen verschachtelt`,
      textOutsideRoot: 'Text außerhalb des Wurzelelements',
      noRoot: 'kein Wurzelelement',
      lateDeclaration: 'XML-Deklaration nicht am Anfang der Datei',
      unboundPrefix: (prefix: string) => `das Namensraum-Präfix „${prefix}“ ist nicht deklariert`,
      notALicense: (found: string) =>
        `das Wurzelelement ist ${found}, nicht License in urn:timecard:rmm:license:1`,
      noSignature: 'kein ds:Signature-Element',
      twoSignatures: (count: number) => `${count} ds:Signature-Elemente; genau eines ist erlaubt`,
      signatureNotChildOfRoot:
        'ds:Signature ist kein direktes Kindelement des License-Elements (umhüllt oder verschachtelt)',
      dsigOutsideSignature: (name: string) =>
        `ein Signaturelement <${name}> steht außerhalb von ds:Signature`,
      unexpectedElement: (name: string, parent: string) => `unerwartetes <${name}> in <${parent}>`,
      missingElement: (name: string, parent: string) => `in <${parent}> fehlt <${name}>`,
      objectForbidden: 'ds:Object (und Manifest) ist nicht erlaubt',
      textInStructure: (parent: string) => `unerwarteter Text in <${parent}>`,
      referenceCount: (count: number) => `${count} Reference-Elemente; genau eines ist erlaubt`,
      referenceNoUri: 'die Reference hat kein URI-Attribut',
      referenceType: 'ein Type-Attribut an der Reference ist nicht erlaubt',
      referenceUri: (uri: string) => `die Reference-URI „${uri}“ verweist nicht auf das License-Element`,
      duplicateId: (id: string) => `die Id „${id}“ kommt mehrfach vor`,
      badIdValue: (id: string) => `die Id „${id}“ ist kein einfacher Name`,
      transforms: 'die Transformationen müssen genau enveloped-signature und danach exclusive c14n sein',
      algorithm: (what: string, uri: string) => `${what} ${uri || '(keine)'}`,
      canonicalization: 'Kanonisierung',
      signatureMethod: 'Signaturverfahren',
      digestMethod: 'Hash-Verfahren',
      transform: 'Transformation',
      noCertificate: 'KeyInfo enthält kein X509Certificate',
      badBase64: (parent: string) => `<${parent}> ist kein Base64`,
      certUnparseable: (index: number) => `Zertifikat ${index + 1} in KeyInfo lässt sich nicht einlesen`,
      rsaTooSmall: (bits: number) => `RSA-Schlüssel mit ${bits} Bit; mindestens 2048 sind erforderlich`,
      curveUnsupported: (curve: string) => `die elliptische Kurve ${curve} ist nicht erlaubt`,
      keyTypeUnsupported: (type: string) => `der Schlüsseltyp ${type} ist nicht erlaubt`,
      noChain: (subject: string) =>
        `keine Kette von „${subject}“ zu einem vertrauenswürdigen Stammzertifikat`,
      chainTooLong: 'die Zertifikatskette ist zu lang',
      certNotValidAt: (subject: string, date: string) =>
        `das Zertifikat „${subject}“ ist am ${date} (IssuedAt) nicht gültig`,
      leafKeyUsage: 'das Signaturzertifikat erlaubt keine digitalen Signaturen (KeyUsage)',
      caNotCa: (subject: string) =>
        `„${subject}“ ist kein CA-Zertifikat, signiert aber ein anderes Zertifikat`,
      caKeyUsage: (subject: string) => `„${subject}“ darf keine Zertifikate signieren (KeyUsage)`,
      digest: 'der Hashwert des signierten Inhalts stimmt nicht',
      signatureValue: 'der Signaturwert lässt sich mit dem Signaturzertifikat nicht bestätigen',
      keyMismatch: 'der Schlüssel des Zertifikats passt nicht zum Signaturverfahren',
      verifierFailure: (reason: string) => reason,
      fieldMissing: (field: string) => `${field} fehlt`,
      fieldTwice: (field: string) => `${field} kommt mehrfach vor`,
      fieldEdition: (value: string) => `Edition „${value}“ ist weder standard noch premium`,
      fieldDate: (field: string, value: string) => `${field} „${value}“ ist kein xs:dateTime`,
      fieldMaxCustomers: (value: string) => `MaxCustomers „${value}“ ist keine positive ganze Zahl`,
      fieldEmpty: (field: string) => `${field} ist leer`,
      fieldMarkup: (field: string) => `${field} enthält Elemente statt Text`,
      fieldOrder: 'ValidUntil liegt vor ValidFrom',
      revoked: (licenseId: string) => `die Lizenz ${licenseId} steht auf der Sperrliste`,
      notYetValid: (date: string) => `gültig ab ${date}`,
      expired: (date: string) => `abgelaufen am ${date}`,
      expiresSoon: (date: string, days: number) =>
        `läuft am ${date} ab (in ${days} ${days === 1 ? 'Tag' : 'Tagen'})`,
      edition: (actual: string, expected: string) => `Edition ${actual}, erwartet: ${expected}`,
      company: (actual: string, expected: string) => `Lizenznehmer „${actual}“, erwartet: „${expected}“`,
    },
  },
}
