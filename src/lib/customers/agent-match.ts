/**
 * Why "agent not found" happens on-site: the agent id is the company name exactly as typed into the
 * installation, so `Müller GmbH` vs `Mueller GmbH`, a trailing space, NFD umlauts or a different case all miss.
 * This finds the ids a person most likely meant.
 */
export function foldAgentId(id: string): string {
  return id
    .normalize('NFC')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ')
    .trim()
}

/** Levenshtein distance, two rows of memory. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length] as number
}

/**
 * Up to `max` known ids closest to `wanted`: identical after folding first, then by edit distance of the folded
 * forms, within a third of the length (at least 2).
 */
export function closestAgentIds(wanted: string, known: string[], max = 3): string[] {
  const folded = foldAgentId(wanted)
  const limit = Math.max(2, Math.floor(folded.length / 3))
  return known
    .map((id) => ({id, distance: editDistance(folded, foldAgentId(id))}))
    .filter(({distance}) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
    .slice(0, max)
    .map(({id}) => id)
}

/**
 * An id in quotes with its invisible differences made visible: anything but printable ASCII and Latin letters
 * (a non-breaking space, a Cyrillic "а", typographic quotes, a combining umlaut of NFD) is shown as \u{…}.
 */
export function showExactly(id: string): string {
  const body = [...id]
    .map((char) =>
      /^[\x20-\x7e]$/.test(char) || /^\p{Script=Latin}$/u.test(char)
        ? char
        : `\\u{${(char.codePointAt(0) as number).toString(16).toUpperCase()}}`,
    )
    .join('')
  return `"${body}"`
}
