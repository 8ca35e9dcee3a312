import {Flags} from '@oclif/core'

import {messages} from '../messages/index.js'

/** The flags every command that talks to the RMM API has. */
export const apiFlags = {
  server: Flags.string({description: messages.apiFlags.server, helpValue: 'URL', helpGroup: 'API'}),
  profile: Flags.string({description: messages.apiFlags.profile, helpValue: 'NAME', helpGroup: 'API'}),
  'ca-file': Flags.string({description: messages.apiFlags.caFile, helpValue: 'FILE', helpGroup: 'API'}),
  debug: Flags.boolean({description: messages.apiFlags.debug, helpGroup: 'API'}),
}
