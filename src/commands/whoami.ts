import {ApiCommand} from '../lib/api-command.js'
import {messages} from '../lib/messages/index.js'
import {renderFields} from '../lib/render/fields.js'

const m = messages.whoami

export interface WhoamiResult {
  profile: string
  server: string
  apiUser: string
  company: string
  partnerId: string
  edition: string
  tokenExpiresAt: string | null
  source: 'profile' | 'environment'
}

export default class Whoami extends ApiCommand<typeof Whoami> {
  static summary = m.summary
  static examples = ['<%= config.bin %> whoami', '<%= config.bin %> whoami --json']

  async run(): Promise<WhoamiResult> {
    const session = await this.session()
    // From the login cache; with environment credentials there is none, so the partner is asked for.
    const partner =
      session.data?.partner ??
      (await session.client.get<{company: string; partnerId: string; edition: string}>('/v1/partner')).body
    const result: WhoamiResult = {
      profile: session.profile,
      server: session.server,
      apiUser: session.apiUser,
      company: partner.company,
      partnerId: partner.partnerId,
      edition: partner.edition,
      tokenExpiresAt: session.data?.tokenExpiresAt ?? null,
      source: session.source,
    }
    const labels = m.labels
    const rows: Array<[string, string]> = [
      [labels.profile, result.profile],
      [labels.server, result.server],
      [labels.apiUser, result.apiUser],
      [labels.company, result.company],
      [labels.partnerId, result.partnerId],
      [labels.edition, result.edition],
      [labels.tokenExpiresAt, result.tokenExpiresAt ?? '—'],
      [labels.source, result.source === 'profile' ? m.sourceProfile : m.sourceEnvironment],
    ]
    this.say(renderFields(rows, this.chalk))
    return result
  }
}
