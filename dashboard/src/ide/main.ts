// Entry of ide.html, the GraphQL IDE the gateway serves to a browser at /graphql. Everything it
// needs, the editor's web workers included, is built into dashboard/dist: nothing from a CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './ide.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { IdeApp } from './IdeApp';
import { forgetTabsOfOtherExamples } from './examples';

forgetTabsOfOtherExamples();
createRoot(document.getElementById('ide')!).render(createElement(IdeApp));
