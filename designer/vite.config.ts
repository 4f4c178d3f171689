// The designer: built to dist/designer, served by the server at `/designer/`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/designer/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/designer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      // The designer imports only small pieces of `@lianban/runtime` (e.g. the lb: moddle
      // descriptor) through its barrel entry; its modules have no import-time side effects
      // (besides CSS; the web part is left alone), so let unused parts (ajv, FEEL, calendars) drop out of the bundle.
      treeshake: {
        // Exception: the field-type table registers its types as an import side effect (the
        // palette and the live preview need them).
        moduleSideEffects: (id: string) => !/[\\/]runtime[\\/]src[\\/](?!web[\\/]|forms[\\/]field-types[\\/]).*\.tsx?$/.test(id),
      },
      output: {
        // Vendor chunks (Vite 8 / rolldown's replacement for manualChunks): the flow modeler's
        // bpmn.io stack and antd change rarely and cache apart from our code; bpmn-js only
        // loads with the lazy modeler page.
        codeSplitting: {
          groups: [
            { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'vendor-antd', test: /node_modules[\\/](antd|@ant-design|rc-[^\\/]+|@rc-component)[\\/]/, priority: 20 },
            { name: 'vendor-bpmn-panel', test: /node_modules[\\/](bpmn-js-properties-panel|@bpmn-io[\\/]properties-panel|@codemirror|@lezer|@bpmn-io[\\/](lezer-feel|feel-editor|feel-lint)|@camunda|focus-trap)[\\/]/, priority: 15 },
            { name: 'vendor-bpmn', test: /node_modules[\\/](bpmn-js|diagram-js|bpmn-moddle|moddle|moddle-xml|bpmnlint|bpmnlint-utils|bpmn-js-bpmnlint|bpmn-js-token-simulation|min-dash|min-dom|tiny-svg|path-intersection|didi|saxen|inherits-browser|object-refs|ids|hammerjs|diagram-js-direct-editing|preact)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
