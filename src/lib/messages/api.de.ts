/**
 * Every sentence the API client and the credentials-file reader show, in German. Same shape as api.en.ts;
 * the type makes every key required. No message ever receives a password or a token.
 */
import type {ApiMessages} from './api.en.js'

export const apiMessagesDe: ApiMessages = {
  credentialsFile: {
    noColon: (file: string, line: number, label: string) =>
      `Fehler in ${file}, Zeile ${line}: Auf „${label}“ folgt kein Doppelpunkt.`,
    emptyValue: (file: string, line: number, label: string) =>
      `Fehler in ${file}, Zeile ${line}: „${label}“ hat keinen Wert.`,
    conflicting: (file: string, line: number, label: string, firstLine: number) =>
      `Fehler in ${file}, Zeile ${line}: „${label}“ weicht von dem Wert ab, der bereits in Zeile ${firstLine} steht.`,
    missingUser: (file: string) =>
      `${file} enthält keinen API-Benutzer (eine Zeile „API-Benutzer: …“ oder „API user: …“).`,
    missingPassword: (file: string) =>
      `${file} enthält kein API-Passwort (eine Zeile „API-Passwort: …“ oder „API password: …“).`,
    missingBoth: (file: string) =>
      `${file} enthält weder einen API-Benutzer noch ein API-Passwort. Ist es die Datei „Zugangsdaten für …“ aus dem Projektraum im RMM?`,
    expectedShape:
      'Die Datei braucht eine Zeile „API-Benutzer: <Benutzer>“ und eine Zeile „API-Passwort: <Passwort>“ („API user:“ und „API password:“ gehen auch).',
    fieldCompany: 'Firmenname',
    fieldUser: 'API-Benutzer',
    fieldPassword: 'API-Passwort',
    cannotWrite: (field: string) =>
      `Die Zugangsdaten-Datei kann nicht geschrieben werden: Das Feld „${field}“ darf weder leer sein noch Zeilenumbrüche enthalten, und Benutzer und Passwort dürfen nicht mit Leerzeichen beginnen oder enden.`,
  },

  client: {
    serverUrlInvalid: (url: string) => `„${url}“ ist keine http://- oder https://-Serveradresse.`,
    serverUrlCredentials:
      'Die Serveradresse darf keinen Benutzernamen und kein Passwort enthalten; verwenden Sie `tcrmm login` oder TCRMM_API_USER/TCRMM_API_PASSWORD.',
    pathParamMissing: (name: string) => `Kein Wert für den Pfadparameter {${name}}.`,
    pathSegmentInvalid: (value: string) =>
      `„${value}“ lässt sich nicht in einer URL ansprechen: Ein leerer Wert, „.“ und „..“ sind dort nicht möglich.`,
    unreachable: (server: string, cause: string) =>
      `Der RMM-Server ${server} ist nicht erreichbar: ${cause}.`,
    unreachableHints: [
      'Prüfen Sie die Serveradresse (--server, TCRMM_SERVER) und das Netzwerk; hinter einem Proxy setzen Sie HTTPS_PROXY.',
    ],
    mayHaveHappened:
      'Die Verbindung brach ab, nachdem die Anfrage gesendet war: Der Server hat sie möglicherweise ausgeführt. Prüfen Sie das, bevor Sie sie wiederholen.',
    tlsFailed: (server: string, cause: string) =>
      `Die sichere Verbindung zu ${server} ist fehlgeschlagen: ${cause}.`,
    tlsHints: [
      'Wenn ein Proxy oder eine Firewall TLS prüft, geben Sie Node dessen Stammzertifikat: NODE_EXTRA_CA_CERTS=/pfad/zu/root.pem.',
      'Die Zertifikatsprüfung wird nie abgeschaltet.',
    ],
    redirected: (url: string, location: string) =>
      `Der Server hat auf ${url} mit einer Weiterleitung nach ${location || '(nirgendwohin)'} geantwortet; prüfen Sie die Serveradresse (--server).`,
    badResponse: (url: string, status: number) =>
      `Die Antwort des Servers auf ${url} (HTTP ${status}) ist nicht das JSON, das die API zusagt.`,
    cursorLoop: (url: string) => `Der Server hat für ${url} zweimal denselben Seiten-Cursor gesendet.`,
    httpStatus: (status: number, url: string) => `Der Server hat auf ${url} mit HTTP ${status} geantwortet.`,
    gaveUp: (attempts: number) =>
      `Nach ${attempts} ${attempts === 1 ? 'Versuch' : 'Versuchen'} aufgegeben; versuchen Sie es später erneut.`,
    /** Why a connection failed, by the error code Node reports. */
    causes: {
      ECONNREFUSED: 'die Verbindung wurde abgelehnt (läuft der Server, stimmt der Port?)',
      ECONNRESET: 'die Verbindung wurde getrennt',
      EPIPE: 'die Verbindung wurde beim Senden getrennt',
      ECONNABORTED: 'die Verbindung wurde abgebrochen',
      ETIMEDOUT: (ms: number) => `keine Antwort innerhalb von ${ms} ms`,
      ENOTFOUND: 'der Hostname ist unbekannt (DNS)',
      EAI_AGAIN: 'der Hostname lässt sich gerade nicht auflösen (DNS)',
      ENETUNREACH: 'das Netzwerk ist nicht erreichbar',
      EHOSTUNREACH: 'der Host ist nicht erreichbar',
      other: (code: string, detail: string) => `${detail} (${code})`,
      afterAttempts: (cause: string, attempts: number) => `${cause}, nach ${attempts} Versuchen`,
    },
  },

  debug: {
    attempt: (method: string, url: string, outcome: string, ms: number, attempt: number, attempts: number) =>
      `${method} ${url} → ${outcome} in ${ms} ms (Versuch ${attempt}/${attempts})`,
    retryIn: (line: string, ms: number) => `${line}; neuer Versuch in ${ms} ms`,
  },
}
