// scimctl: administration from the repo root (`pnpm scimctl …`). Every command has --json.
import { Command, InvalidArgumentError } from 'commander';
import { registerDbCommands } from './db.command.js';
import { registerNotifyCommands } from './notify.command.js';
import { registerOrgCommands } from './org.command.js';
import { registerScimCommands } from './scim.command.js';
import { registerSimulateCommands } from './simulate/simulate.command.js';
import { registerTokenCommands } from './token.command.js';

export const uuidArg = (value: string): string => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new InvalidArgumentError('not an organization id (a UUID)');
  }
  return value.toLowerCase();
};

const program = new Command('scimctl')
  .description('Administer the SCIM provisioning service')
  .showHelpAfterError(false)
  .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n') })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 1));

registerOrgCommands(program);
registerScimCommands(program);
registerTokenCommands(program);
registerNotifyCommands(program);
registerDbCommands(program);
registerSimulateCommands(program);

await program.parseAsync(process.argv);
