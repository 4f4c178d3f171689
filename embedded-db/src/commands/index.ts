/** The command table: every command the embedded server answers, by name. Anything else is CommandNotFound (59). */
import { adminCommands } from './admin';
import { aggregateCommands } from './aggregate';
import { authCommands } from './auth';
import type { CommandSpec } from './context';
import { ddlCommands } from './ddl';
import { readCommands } from './read';
import { sessionCommands } from './sessions';
import { writeCommands } from './write';

export const commands: Record<string, CommandSpec> = {
  ...adminCommands,
  ...authCommands,
  ...readCommands,
  ...writeCommands,
  ...aggregateCommands,
  ...ddlCommands,
  ...sessionCommands,
};

export type { CommandSpec, Ctx, ServerState } from './context';
