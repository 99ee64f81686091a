// The chart component in a chunk of its own (ECharts is most of a view's weight): a view calls
// chartComponent() when it starts loading its data, so the chunk arrives alongside the answer
// instead of after it; the charts' defineAsyncComponent gets the same promise.
import type { Component } from 'vue';

let loading: Promise<Component> | null = null;

export function chartComponent(): Promise<Component> {
  loading ??= import('./EChart.vue').then((module) => module.default);
  return loading;
}
