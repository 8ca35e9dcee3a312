import {Flags} from '@oclif/core'

import {ApiCommand} from '../../lib/api-command.js'
import {listAgents} from '../../lib/customers/customers.js'
import {agentListItem} from '../../lib/customers/types.js'
import {messages} from '../../lib/messages/index.js'
import {printable} from '../../lib/render/text.js'
import {renderTable} from '../../lib/render/table.js'
import {relativeTime} from '../../lib/render/time.js'

const m = messages.agent.list

export default class AgentList extends ApiCommand<typeof AgentList> {
  static summary = m.summary
  static flags = {
    unassigned: Flags.boolean({description: m.flagUnassigned}),
    limit: Flags.integer({description: m.flagLimit, min: 1, helpValue: 'N'}),
  }
  static examples = ['<%= config.bin %> agent list', '<%= config.bin %> agent list --unassigned --json']

  async run() {
    const {client} = await this.session()
    const agents = await listAgents(client, {unassigned: this.flags.unassigned, limit: this.flags.limit})
    if (this.jsonEnabled()) return agents.map(agentListItem)
    if (agents.length === 0) this.say(m.none)
    else {
      const now = new Date()
      const c = m.columns
      this.say(
        renderTable(
          [c.agentId, c.tcVersion, c.lastContactAt, c.customerNumber],
          agents.map((a) => [
            printable(a.agentId),
            a.tcVersion,
            relativeTime(a.lastContactAt, now),
            a.customerNumber ?? m.unassigned,
          ]),
          {head: (t) => this.chalk.bold(t)},
        ),
      )
    }
    return agents.map(agentListItem)
  }
}
