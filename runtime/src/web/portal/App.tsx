import { Route, Routes } from 'react-router-dom';
import { Home } from './Home';
import { NotFound } from './NotFound';
import { ShowcaseRoute } from '../showcase/route';
import { FormsBenchRoute } from '../showcase/bench-route';

/** Every portal route, in one table. */
export function App() {
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/showcase" element={<ShowcaseRoute />} />
      <Route path="/bench/forms" element={<FormsBenchRoute />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
