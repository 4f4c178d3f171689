/**
 * The handler table: one handler per BPMN element type. Adding an element type means a new
 * file here, a compiler in deploy/elements.ts, and a row in each table.
 */
import type { ElementType } from '../../types';
import type { ElementHandler } from '../run';
import { boundaryEvent } from './boundary-event';
import { endEvent } from './end-event';
import { exclusiveGateway } from './exclusive-gateway';
import { inclusiveGateway } from './inclusive-gateway';
import { intermediateCatchEvent } from './intermediate-catch-event';
import { intermediateThrowEvent } from './intermediate-throw-event';
import { parallelGateway } from './parallel-gateway';
import { receiveTask } from './receive-task';
import { serviceTask } from './service-task';
import { startEvent } from './start-event';
import { subProcess } from './sub-process';
import { task } from './task';
import { userTask } from './user-task';

export const HANDLERS: Record<ElementType, ElementHandler> = {
  startEvent,
  endEvent,
  intermediateCatchEvent,
  intermediateThrowEvent,
  boundaryEvent,
  userTask,
  serviceTask,
  receiveTask,
  task,
  subProcess,
  exclusiveGateway,
  parallelGateway,
  inclusiveGateway,
};
