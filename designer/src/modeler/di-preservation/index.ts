/** Keeps foreign diagrams' DI intact on save (see DiPreservation). */
import DiPreservation from './DiPreservation';

export default {
  __init__: ['diPreservation'],
  diPreservation: ['type', DiPreservation],
};
