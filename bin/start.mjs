#!/usr/bin/env node
// `npm start`: infra/local/start.ts, run from its bundle (bin/bundle.mjs). Only the project's
// own modules are bundled; packages load from node_modules as they are (the local servers,
// esbuild for the portal, the OpenID provider), so what runs is what the sources and the
// installed packages say, without a TypeScript loader in every import.
import { importBundled } from './bundle.mjs';

if (process.env.BACKOFFICE_DEBUG) process.setSourceMapsEnabled(true);
await importBundled({ entry: 'infra/local/start.ts', name: 'start', inputs: ['bin/start.mjs'], esbuildOptions: { packages: 'external' } });
