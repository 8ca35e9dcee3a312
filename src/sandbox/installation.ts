import {type ApiClient, pathOf} from '../lib/api/client.js'

export interface WarningToReport {
  code: string
  severity: 'warning' | 'critical'
}

export interface AgentView {
  agentId: string
  tcVersion: string
  licenseEdition: 'standard' | 'premium'
  status: string
  warningCount: number
  customerNumber: string | null
}

/**
 * What a customer's timeCard server does after "Übernehmen": log in with the partner's API user and password,
 * register as an agent under its company name with its version and license, then report.
 */
export class PlayedInstallation {
  private token: string | undefined

  constructor(
    private readonly client: (getToken: () => Promise<string | undefined>) => ApiClient,
    private readonly credentials: {apiUser: string; apiPassword: string},
    private readonly agent: {agentId: string; tcVersion: string; licenseXml: string},
  ) {}

  private api(): ApiClient {
    return this.client(async () => this.token)
  }

  async login(): Promise<void> {
    const response = await this.api().post<{accessToken: string}>(
      '/v1/auth/token',
      {username: this.credentials.apiUser, password: this.credentials.apiPassword},
      {retryPost: true},
    )
    this.token = response.body.accessToken
  }

  /** Registering is idempotent (the agent id is the key), so the POST may be retried. */
  async register(): Promise<{created: boolean; agent: AgentView}> {
    const response = await this.api().post<AgentView>('/v1/agents/register', this.agent, {retryPost: true})
    return {created: response.status === 201, agent: response.body}
  }

  async heartbeat(warnings: WarningToReport[]): Promise<AgentView> {
    const path = pathOf('/v1/agents/{agentId}/heartbeat', {agentId: this.agent.agentId})
    const body = {tcVersion: this.agent.tcVersion, warnings}
    try {
      return (await this.api().post<AgentView>(path, body, {retryPost: true})).body
    } catch (error) {
      // A long-running installation outlives its token: log in again once and repeat.
      if ((error as {status?: number}).status !== 401) throw error
      await this.login()
      return (await this.api().post<AgentView>(path, body, {retryPost: true})).body
    }
  }
}
