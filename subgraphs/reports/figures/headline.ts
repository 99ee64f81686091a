// The few figures every rollup sums, taken from a report's full figure set when it is stored
// (annual_report's headline columns). Where a report gives only the parts of a figure (the
// reasons of 不予公开 without the subtotal row, 诉讼 split into direct and after review), the
// headline is the sum of the parts.
import type { FigureValues } from '../oversight/flag.ts';

export interface Headline {
  proactiveTotal: number | null;
  applicationsReceived: number | null;
  granted: number | null;
  partial: number | null;
  denied: number | null;
  reconsiderations: number | null;
  reconsiderationsCorrected: number | null;
  reconsiderationsPending: number | null;
  lawsuits: number | null;
  lawsuitsCorrected: number | null;
  lawsuitsPending: number | null;
  feesAmount: number | null;
}

function sumOfPresent(values: (number | undefined)[]): number | null {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) : null;
}

function deniedReasons(figures: FigureValues): number | null {
  return sumOfPresent([...figures].filter(([key]) => key.startsWith('applications.denied.') && !key.includes('@')).map(([, v]) => v));
}

function litigation(figures: FigureValues, result: string): number | null {
  const all = figures.get(`litigation.${result}`);
  if (all !== undefined) return all;
  const direct = figures.get(`litigation.direct.${result}`);
  const afterReview = figures.get(`litigation.afterReview.${result}`);
  return direct !== undefined && afterReview !== undefined ? direct + afterReview : null;
}

export function headlineOf(figures: FigureValues): Headline {
  const get = (key: string) => figures.get(key) ?? null;
  return {
    proactiveTotal: get('proactive.total'),
    applicationsReceived: get('applications.received'),
    granted: get('applications.outcome.granted'),
    partial: get('applications.outcome.partial'),
    denied: get('applications.outcome.denied') ?? deniedReasons(figures),
    reconsiderations: get('reconsideration.total'),
    reconsiderationsCorrected: get('reconsideration.corrected'),
    reconsiderationsPending: get('reconsideration.pending'),
    lawsuits: litigation(figures, 'total'),
    lawsuitsCorrected: litigation(figures, 'corrected'),
    lawsuitsPending: litigation(figures, 'pending'),
    feesAmount: get('fees.amount'),
  };
}
