import {ApiCommand} from '../lib/api-command.js'
import {logout} from '../lib/auth/login.js'
import {profileName} from '../lib/config/paths.js'
import {messages} from '../lib/messages/index.js'

const m = messages.logout

export default class Logout extends ApiCommand<typeof Logout> {
  static summary = m.summary
  static examples = ['<%= config.bin %> logout', '<%= config.bin %> logout --profile sandbox']

  async run() {
    const profile = profileName(this.flags.profile)
    const result = await logout({
      profile,
      env: process.env,
      caFile: this.flags['ca-file'],
      debug: this.debugSink(),
    })
    if (!result.wasLoggedIn) {
      this.say(m.notLoggedIn(profile))
      return result
    }
    this.say(`${this.chalk.green('✓')} ${m.done(profile)}`)
    this.say(`  ${result.revoked ? m.revoked : m.notRevoked}`)
    return result
  }
}
