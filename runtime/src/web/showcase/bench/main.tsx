/**
 * Stand-alone entry of the renderer benchmark page (bench/forms.bench.ts builds it on its own,
 * so the benchmark does not depend on the rest of the portal). The portal also serves the
 * same page at /bench/forms.
 */
import { createRoot } from 'react-dom/client';
import '../../base.css';
import { FormsBenchPage } from './FormsBenchPage';

createRoot(document.getElementById('root')!).render(<FormsBenchPage />);
