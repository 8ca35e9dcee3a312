import type {AgentRecord, CustomerRecord, WarningRecord} from './store.js'

/**
 * Realistic demo data: German company names (umlauts, `&`, quotes), timeCard versions, and the status mix of
 * rmm-api.md (about 70 % ok, 20 % warning, 7 % critical, 3 % offline), plus N/10 unassigned agents.
 * Deterministic: the same N gives the same world.
 */
const SURNAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hartmann',
  'Lange',
  'Werner',
  'Krause',
  'Lehmann',
  'Köhler',
  'König',
  'Walter',
  'Huber',
  'Kaiser',
  'Fuchs',
  'Peters',
  'Scholz',
  'Möller',
  'Weiß',
  'Jung',
  'Hahn',
  'Vogel',
]
const TRADES = [
  'Bäckerei',
  'Metallbau',
  'Elektrotechnik',
  'Sanitär',
  'Zahnarztpraxis',
  'Autohaus',
  'Steuerberatung',
  'Logistik',
  'Druckerei',
  'Gärtnerei',
  'Tischlerei',
  'Pflegedienst',
  'Apotheke',
  'Kfz-Werkstatt',
  'Malerbetrieb',
]
const CITIES = [
  'München',
  'Köln',
  'Düsseldorf',
  'Nürnberg',
  'Lübeck',
  'Göttingen',
  'Würzburg',
  'Mönchengladbach',
  'Osnabrück',
  'Saarbrücken',
  'Fürth',
  'Tübingen',
  'Lüneburg',
  'Völklingen',
  'Gießen',
  'Zweibrücken',
]
const WORDS = ['Zeit', 'Sonne', 'Am Markt', 'Lindenhof', 'Zur Post', 'Rheinblick', 'Alte Mühle']
const VERSIONS = [
  '23.04.01',
  '23.04.03',
  '23.10.02',
  '24.01.05',
  '24.04.01',
  '24.10.03',
  '25.04.02',
  '25.10.01',
]
const WARNINGS: Array<Omit<WarningRecord, 'since'>> = [
  {code: 'TERMINAL_OFFLINE', severity: 'warning', message: 'Terminal "Eingang Halle 2" antwortet nicht'},
  {code: 'BACKUP_FAILED', severity: 'critical', message: 'Datensicherung fehlgeschlagen'},
  {code: 'DISK_SPACE_LOW', severity: 'warning', message: 'Weniger als 5 GB freier Speicher'},
  {code: 'LICENSE_EXPIRING', severity: 'warning', message: 'Lizenz läuft in 21 Tagen ab'},
  {code: 'VERSION_OUTDATED', severity: 'warning', message: 'timeCard-Version veraltet'},
]

export interface SeedOptions {
  count: number
  now: Date
  offlineAfterMs: number
  licenseEdition: 'standard' | 'premium'
}

export function seedWorld({count, now, offlineAfterMs, licenseEdition}: SeedOptions): {
  agents: AgentRecord[]
  customers: CustomerRecord[]
} {
  const random = mulberry32(count)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const used = new Set<string>()
  const uniqueName = (): string => {
    const base = [
      () => `${pick(TRADES)} ${pick(SURNAMES)}`,
      () => `${pick(SURNAMES)} & ${pick(SURNAMES)} GmbH`,
      () => `${pick(SURNAMES)} ${pick(TRADES)} GmbH & Co. KG`,
      () => `Café "${pick(WORDS)}"`,
      () => `${pick(TRADES)} ${pick(SURNAMES)} e.K.`,
    ][Math.floor(random() * 5)]!()
    for (const candidate of [base, `${base} ${pick(CITIES)}`]) {
      if (!used.has(candidate)) return (used.add(candidate), candidate)
    }
    for (let n = 2; ; n++) {
      const candidate = `${base} ${n}`
      if (!used.has(candidate)) return (used.add(candidate), candidate)
    }
  }
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString()
  const agents: AgentRecord[] = []
  const customers: CustomerRecord[] = []
  const unassigned = Math.floor(count / 10)
  for (let i = 0; i < count + unassigned; i++) {
    const roll = random()
    const offline = roll >= 0.97
    const warnings: WarningRecord[] = []
    if (roll >= 0.7 && roll < 0.9) {
      for (let w = 0; w < 1 + Math.floor(random() * 2); w++) {
        const warning = pick(WARNINGS.filter((x) => x.severity === 'warning'))
        if (!warnings.some((x) => x.code === warning.code))
          warnings.push({...warning, since: minutesAgo(30 + random() * 5000)})
      }
    } else if (roll >= 0.9 && roll < 0.97) {
      warnings.push({...WARNINGS[1]!, since: minutesAgo(10 + random() * 3000)})
    }
    const lastContact = offline ? offlineAfterMs / 60_000 + 5 + random() * 4000 : random() * 4
    const agentId = uniqueName()
    agents.push({
      agentId,
      tcVersion: pick(VERSIONS),
      licenseEdition,
      registeredAt: minutesAgo(10_000 + random() * 500_000),
      lastContactAt: minutesAgo(lastContact),
      warnings,
    })
    if (i < count) {
      customers.push({
        customerNumber: String(10_001 + i),
        agentId,
        name: agentId.replace(/ (GmbH & Co\. KG|GmbH|e\.K\.)$/, ''),
        createdAt: minutesAgo(5_000 + random() * 400_000),
      })
    }
  }
  return {agents, customers}
}

/** A small, fast, seedable PRNG; good enough for demo data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
