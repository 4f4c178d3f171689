import type { ClientSession } from 'mongoose';
import type { Models } from '../models';

/** Who did something, from where: taken from the request by the controllers. */
export interface Actor {
  tenant: string;
  name: string;
  ip?: string;
}

/** Appends one audit record. Callers await it: an action that cannot be audited does not happen. */
export async function audit(models: Models, actor: Actor, action: string, target?: string, details?: Record<string, unknown>, session?: ClientSession): Promise<void> {
  await models.Audit.create([{ tenant: actor.tenant, at: new Date(), actor: actor.name, action, target, ip: actor.ip, details }], { session });
}
