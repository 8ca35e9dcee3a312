import {randomUUID} from 'node:crypto'

import {type ApiClient, ApiError, pathOf} from '../api/client.js'
import {CliError} from '../errors.js'
import {messages} from '../messages/index.js'
import {closestAgentIds, showExactly} from './agent-match.js'
import type {Agent, Customer} from './types.js'

export interface AddCustomerResult {
  result: 'created' | 'unchanged'
  customer: Customer
}

/**
 * `POST /v1/customers` with one Idempotency-Key for this invocation, reused by every retry: a response lost to
 * the network never creates a second customer. The same pair again is "unchanged". Conflicts and an unknown
 * agent become exit 5 with the existing pairing, or the closest agent ids.
 */
export async function addCustomer(
  client: ApiClient,
  input: {customerNumber: string; agentId: string; name?: string},
  idempotencyKey: string = randomUUID(),
): Promise<AddCustomerResult> {
  const m = messages.customer.add
  try {
    const response = await client.post<Customer>('/v1/customers', input, {idempotencyKey})
    return {result: response.status === 201 ? 'created' : 'unchanged', customer: response.body}
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const existing = error.problem?.existing as {customerNumber?: string; agentId?: string} | undefined
    if (error.problemCode === 'CUSTOMER_NUMBER_TAKEN' && existing) {
      throw new CliError(
        'CONFLICT',
        error.problemCode,
        m.numberTaken(existing.customerNumber ?? input.customerNumber, existing.agentId ?? ''),
      )
    }
    if (error.problemCode === 'AGENT_ALREADY_ASSIGNED' && existing) {
      throw new CliError(
        'CONFLICT',
        error.problemCode,
        m.agentAssigned(existing.agentId ?? input.agentId, existing.customerNumber ?? ''),
      )
    }
    if (error.problemCode === 'AGENT_NOT_FOUND') {
      const known: string[] = []
      for await (const agent of client.paginate<Agent>('/v1/agents')) known.push(agent.agentId)
      const closest = closestAgentIds(input.agentId, known)
      const hints =
        known.length === 0
          ? [m.noAgents]
          : closest.length
            ? [m.closest(closest.map(showExactly).join(', '))]
            : []
      throw new CliError('CONFLICT', 'AGENT_NOT_FOUND', m.unknownAgent(input.agentId), hints)
    }
    throw error
  }
}

export async function listCustomers(client: ApiClient, limit?: number): Promise<Customer[]> {
  const customers: Customer[] = []
  for await (const customer of client.paginate<Customer>('/v1/customers', {}, {limit}))
    customers.push(customer)
  return customers
}

export async function listAgents(
  client: ApiClient,
  options: {unassigned?: boolean; limit?: number},
): Promise<Agent[]> {
  const agents: Agent[] = []
  const query = options.unassigned ? {unassigned: true} : {}
  for await (const agent of client.paginate<Agent>('/v1/agents', query, {limit: options.limit}))
    agents.push(agent)
  return agents
}

export async function getCustomer(client: ApiClient, customerNumber: string): Promise<Customer> {
  return (await client.get<Customer>(pathOf('/v1/customers/{customerNumber}', {customerNumber}))).body
}

export async function removeCustomer(client: ApiClient, customerNumber: string): Promise<void> {
  await client.delete(pathOf('/v1/customers/{customerNumber}', {customerNumber}))
}

/** The agent that has this customer number, or undefined when the number is free. */
export async function customerOwning(client: ApiClient, customerNumber: string): Promise<string | undefined> {
  try {
    return (await getCustomer(client, customerNumber)).agentId
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined
    throw error
  }
}
