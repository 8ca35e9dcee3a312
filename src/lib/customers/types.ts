/** The API's agent and customer as `GET /v1/agents` and `/v1/customers` return them (docs/openapi.yaml). */
export interface Agent {
  agentId: string
  tcVersion: string
  licenseEdition: 'standard' | 'premium'
  registeredAt: string
  lastContactAt: string
  status: 'ok' | 'warning' | 'critical' | 'offline'
  warningCount: number
  customerNumber: string | null
}

export interface Customer {
  customerNumber: string
  agentId: string
  name: string | null
  status: 'ok' | 'warning' | 'critical' | 'offline'
  warningCount: number
  tcVersion: string
  lastContactAt: string
  createdAt: string
}

/** `customer list --json`: the fixed shape of cli.md. */
export function customerListItem(c: Customer) {
  return {
    customerNumber: c.customerNumber,
    agentId: c.agentId,
    name: c.name,
    status: c.status,
    warningCount: c.warningCount,
    tcVersion: c.tcVersion,
    lastContactAt: c.lastContactAt,
  }
}

/** `agent list --json`: the fixed shape of cli.md. */
export function agentListItem(a: Agent) {
  return {
    agentId: a.agentId,
    tcVersion: a.tcVersion,
    lastContactAt: a.lastContactAt,
    customerNumber: a.customerNumber,
  }
}
