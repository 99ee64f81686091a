// The typed GraphQL views of a report's sections, built from its figures by key. Every key of
// the vocabulary is also reachable through AnnualReport.figures(prefix).
import { APPLICANTS, HOTLINE_LINES, HOTLINE_METRICS } from './vocabulary.ts';

export type FigureLookup = (key: string) => number | null;

const pick = <K extends string>(get: FigureLookup, prefix: string, fields: readonly K[]): Record<K, number | null> =>
  Object.fromEntries(fields.map((field) => [field, get(`${prefix}${field}`)])) as Record<K, number | null>;

function breakdown(get: FigureLookup, key: string) {
  return { total: get(key), ...Object.fromEntries(APPLICANTS.map((applicant) => [applicant, get(`${key}@${applicant}`)])) };
}

const breakdowns = <K extends string>(get: FigureLookup, prefix: string, fields: readonly K[]) =>
  Object.fromEntries(fields.map((field) => [field, breakdown(get, `${prefix}${field}`)])) as Record<K, ReturnType<typeof breakdown>>;

export function proactiveView(get: FigureLookup) {
  return {
    ...pick(get, 'proactive.', ['total', 'cumulative', 'normativeDocs', 'normativeDocsIssued'] as const),
    channels: pick(get, 'proactive.channel.', ['gazette', 'website', 'weibo', 'wechat', 'media', 'other'] as const),
    rules: pick(get, 'art20.rules.', ['issued', 'repealed', 'inForce'] as const),
    normativeDocuments: pick(get, 'art20.normativeDocs.', ['issued', 'repealed', 'inForce'] as const),
    ...pick(get, 'art20.', ['licensing', 'punishment', 'coercion', 'feesCollected'] as const),
  };
}

export function applicationsView(get: FigureLookup) {
  return {
    received: breakdown(get, 'applications.received'),
    carriedOver: breakdown(get, 'applications.carriedOver'),
    granted: breakdown(get, 'applications.outcome.granted'),
    partial: breakdown(get, 'applications.outcome.partial'),
    denied: breakdown(get, 'applications.outcome.denied'),
    deniedReasons: breakdowns(get, 'applications.denied.', [
      'stateSecret',
      'commercialSecret',
      'privacy',
      'securityStability',
      'notGovInfo',
      'otherLaw',
      'thirdParty',
      'internalAffairs',
      'processInfo',
      'enforcementFiles',
      'queryMatters',
    ] as const),
    unavailable: breakdown(get, 'applications.outcome.unavailable'),
    unavailableReasons: breakdowns(get, 'applications.unavailable.', ['notHeld', 'needsCreation', 'unclear'] as const),
    notProcessed: breakdown(get, 'applications.outcome.notProcessed'),
    notProcessedReasons: breakdowns(get, 'applications.notProcessed.', ['petition', 'duplicate', 'publications', 'abusive', 'confirmation'] as const),
    otherHandling: breakdown(get, 'applications.outcome.otherHandling'),
    otherHandlingReasons: breakdowns(get, 'applications.otherHandling.', ['noCorrection', 'feeUnpaid', 'other'] as const),
    outcomeTotal: breakdown(get, 'applications.outcome.total'),
    carriedForward: breakdown(get, 'applications.carriedForward'),
  };
}

const REVIEW_FIELDS = ['total', 'upheld', 'corrected', 'other', 'pending'] as const;

export function reviewView(get: FigureLookup) {
  return {
    reconsideration: pick(get, 'reconsideration.', REVIEW_FIELDS),
    litigation: pick(get, 'litigation.', REVIEW_FIELDS),
    litigationDirect: pick(get, 'litigation.direct.', REVIEW_FIELDS),
    litigationAfterReview: pick(get, 'litigation.afterReview.', REVIEW_FIELDS),
  };
}

export function feesAndCapacityView(get: FigureLookup) {
  return {
    feesAmount: get('fees.amount'),
    ...pick(get, 'capacity.', ['units', 'readingRooms', 'staff', 'fullTime', 'partTime', 'budget'] as const),
    trainingMeetings: get('training.meetings'),
    trainingSessions: get('training.sessions'),
    trainees: get('training.trainees'),
  };
}

/** One entry per line the report says anything about. */
export function hotlinesView(get: FigureLookup) {
  const metrics = HOTLINE_METRICS.map(([metric]) => metric);
  return HOTLINE_LINES.map((line) => ({ line, ...pick(get, `hotline.${line}.`, metrics) })).filter((entry) =>
    metrics.some((metric) => entry[metric] !== null),
  );
}
