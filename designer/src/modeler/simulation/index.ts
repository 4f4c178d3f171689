/**
 * Token simulation (bpmn-js-token-simulation, modeler flavour) with Chinese labels. Toggle it
 * with the in-canvas 流程模拟 switch or `modeler.get('toggleMode').toggleMode()`.
 */
import tokenSimulationModule from 'bpmn-js-token-simulation';
import 'bpmn-js-token-simulation/assets/css/bpmn-js-token-simulation.css';
import SimulationLocalizer from './SimulationLocalizer';

export default {
  __depends__: [tokenSimulationModule],
  __init__: ['simulationLocalizer'],
  simulationLocalizer: ['type', SimulationLocalizer],
};
