/**
 * The `lb:` moddle extension — one descriptor for the engine (parsing) and the designer
 * (bpmn-js properties panel): `new BpmnModdle({ lb: lianbanModdle })` or
 * `new Modeler({ moddleExtensions: { lb: lianbanModdle } })`. Documented in docs/flow-extensions.md.
 * All attributes are strings in XML; the engine compiles and checks them at deploy.
 */
export const LIANBAN_NS = 'http://lianban.gov.cn/schema/bpmn';

const attr = (name: string) => ({ name, isAttr: true, type: 'String' });

export const lianbanModdle = {
  name: 'Lianban',
  prefix: 'lb',
  uri: LIANBAN_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'ActivityAttrs',
      isAbstract: true,
      extends: ['bpmn:Activity'],
      properties: [
        attr('candidateGroups'), // comma-separated department keys, or `=FEEL` (e.g. `=department`)
        attr('formKey'),
        attr('dueIn'), // ISO 8601 duration, e.g. P5D
        attr('dueCalendar'), // `workdays`: days of dueIn are official working days
        attr('outcomes'), // comma-separated allowed outcomes, e.g. approved,rejected
        attr('outcomeItemStatus'), // outcome=status pairs, e.g. not-eligible=standalone
        attr('outcomeVariable'), // also store the outcome in this variable
        attr('linkedItem'),
        attr('itemStatus'), // status the item takes when the activity completes (default done)
        attr('connector'), // service task: connector/outbox name
        attr('department'), // service task / receive task: department handling it
        attr('payload'), // service task: FEEL expression for the pushed payload
        attr('noReturn'), // `true`: 退回 may come back to this step but never to a step before it
        attr('issueDocument'), // user task: the city's document kind completing it issues (文书模板)
      ],
    },
    {
      name: 'CatchEventAttrs',
      isAbstract: true,
      extends: ['bpmn:CatchEvent'],
      properties: [attr('dueCalendar'), attr('linkedItem'), attr('department')],
    },
    {
      name: 'EndEventAttrs',
      isAbstract: true,
      extends: ['bpmn:EndEvent'],
      properties: [attr('caseResult'), attr('linkedItem'), attr('itemStatus')],
    },
    {
      name: 'MultiInstanceAttrs',
      isAbstract: true,
      extends: ['bpmn:MultiInstanceLoopCharacteristics'],
      properties: [attr('collection'), attr('elementVariable')],
    },
    {
      name: 'SequenceFlowAttrs',
      isAbstract: true,
      extends: ['bpmn:SequenceFlow'],
      properties: [attr('linkedItem'), attr('itemStatus')],
    },
  ],
  enumerations: [],
} as const;

/** Attribute names the descriptor declares (to flag typos like `lb:candidateGroup`). */
export const LB_ATTRIBUTES: ReadonlySet<string> = new Set(
  lianbanModdle.types.flatMap((t) => t.properties.map((p) => p.name)),
);
