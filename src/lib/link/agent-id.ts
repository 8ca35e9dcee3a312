import {closestAgentIds, showExactly} from '../customers/agent-match.js'
import {messages} from '../messages/index.js'

export type AgentIdTrap = 'EDGE_SPACES' | 'DOUBLE_SPACES' | 'NOT_NFC' | 'LOOKALIKE' | 'NEAR_EXISTING'

export interface AgentIdWarning {
  code: AgentIdTrap
  message: string
}

/** Characters that pass for ordinary ones: unusual spaces, typographic quotes, Cyrillic and Greek letters. */
const LOOKALIKE =
  /[\u00a0\u2000-\u200b\u202f\u205f\u3000\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2032\u2033\u0400-\u04ff\u0370-\u03ff\u2010-\u2015\ufeff]/gu

/**
 * The known trap of the help article: the agent id equals the company name in the registration data, character
 * for character. These are the ways it silently differs from what a person reads.
 */
export function agentIdWarnings(agentId: string, knownAgentIds: string[]): AgentIdWarning[] {
  const l = messages.link
  const warnings: AgentIdWarning[] = []
  if (/^\s|\s$/u.test(agentId)) warnings.push({code: 'EDGE_SPACES', message: l.trapEdgeSpaces})
  if (/\s{2,}/u.test(agentId.trim())) warnings.push({code: 'DOUBLE_SPACES', message: l.trapDoubleSpaces})
  if (agentId !== agentId.normalize('NFC')) warnings.push({code: 'NOT_NFC', message: l.trapNotNfc})
  const lookalikes = [...new Set(agentId.match(LOOKALIKE) ?? [])]
  if (lookalikes.length > 0) {
    const described = lookalikes.map(
      (c) =>
        `${showExactly(c)} (U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`,
    )
    warnings.push({code: 'LOOKALIKE', message: l.trapLookalike(described.join(', '))})
  }
  const near = closestAgentIds(
    agentId,
    knownAgentIds.filter((id) => id !== agentId),
  )
  if (near.length > 0)
    warnings.push({code: 'NEAR_EXISTING', message: l.trapNearExisting(near.map(showExactly).join(', '))})
  return warnings
}
