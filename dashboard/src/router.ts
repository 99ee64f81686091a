// One route per view; each view loads its own chunk, so the first page carries only its own code.
import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
    { path: '/region/:code', name: 'region', component: () => import('./views/RegionView.vue'), props: true },
    { path: '/region/:code/flags', name: 'flags', component: () => import('./views/FlagsView.vue'), props: true },
    { path: '/region/:code/filers', name: 'filers', component: () => import('./views/FilersView.vue'), props: true },
    { path: '/agency/:id', name: 'agency', component: () => import('./views/AgencyView.vue'), props: true },
    { path: '/report/:id', name: 'report', component: () => import('./views/ReportView.vue'), props: true },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
  ],
});
