/** The `lianbanContext` service: departments and form fields (see LianbanContext). */
import LianbanContext from './LianbanContext';

export default {
  __init__: ['lianbanContext'],
  lianbanContext: ['type', LianbanContext],
};
