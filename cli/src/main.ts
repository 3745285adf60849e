import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.ts';
import { registerForwardCommands } from './commands/forward.ts';
import { registerProjectCommands } from './commands/project.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerStoreCommands } from './commands/store.ts';
import { ConfigError } from './config.ts';

const program = new Command('tooltrace')
  .description('Monitoring for AI-agent tool calls and integration trigger pipelines')
  .showHelpAfterError();

registerStartCommand(program);
registerProjectCommands(program);
registerForwardCommands(program);
registerDemoCommand(program);
registerStoreCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`tooltrace: ${message}\n`);
  process.exitCode = 1;
}
