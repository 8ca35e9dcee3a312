import {Flags} from '@oclif/core'

import {ApiCommand} from '../../lib/api-command.js'
import {listCustomers} from '../../lib/customers/customers.js'
import {customerListItem} from '../../lib/customers/types.js'
import {messages} from '../../lib/messages/index.js'
import {printable} from '../../lib/render/text.js'
import {colourStatus} from '../../lib/render/status.js'
import {renderTable} from '../../lib/render/table.js'
import {relativeTime} from '../../lib/render/time.js'

const m = messages.customer.list

export default class CustomerList extends ApiCommand<typeof CustomerList> {
  static summary = m.summary
  static flags = {
    limit: Flags.integer({description: m.flagLimit, min: 1, helpValue: 'N'}),
  }
  static examples = ['<%= config.bin %> customer list', '<%= config.bin %> customer list --json | jq length']

  async run() {
    const {client} = await this.session()
    const customers = await listCustomers(client, this.flags.limit)
    if (this.jsonEnabled()) return customers.map(customerListItem)
    if (customers.length === 0) this.say(m.none)
    else {
      const now = new Date()
      const c = m.columns
      this.say(
        renderTable(
          [c.customerNumber, c.agentId, c.name, c.status, c.warningCount, c.tcVersion, c.lastContactAt],
          customers.map((x) => [
            printable(x.customerNumber),
            printable(x.agentId),
            printable(x.name ?? ''),
            x.status,
            String(x.warningCount),
            x.tcVersion,
            relativeTime(x.lastContactAt, now),
          ]),
          {
            head: (t) => this.chalk.bold(t),
            cell: (t, column) => (column === 3 ? colourStatus(t, this.chalk) : t),
          },
        ),
      )
      this.say(this.chalk.dim(m.count(customers.length)))
    }
    return customers.map(customerListItem)
  }
}
