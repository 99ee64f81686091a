// Committed migrations of the reports schema, oldest first. Never edit one that has shipped.
import { Migration20261122000000Initial } from './Migration20261122000000Initial.ts';
import { Migration20261123100000DisclosureRollupIndex } from './Migration20261123100000DisclosureRollupIndex.ts';
import { Migration20261124100000HotlineFigureIndex } from './Migration20261124100000HotlineFigureIndex.ts';
import { Migration20261202100000ReportSelfCheck } from './Migration20261202100000ReportSelfCheck.ts';
import { Migration20261220010000SameOriginComparisons } from './Migration20261220010000SameOriginComparisons.ts';
import { Migration20261221000000IngestRun } from './Migration20261221000000IngestRun.ts';
import { internalNonceMigration } from '../../../lib/auth/nonceStore.ts';
import { cacheChangeLogMigration } from '../../../lib/cache/changeLog.ts';
import { sampleRemovalMigration } from '../../../lib/database/sampleMarker.ts';

export const reportsMigrations = [
  { name: 'Migration20261122000000Initial', class: Migration20261122000000Initial },
  { name: 'Migration20261123100000DisclosureRollupIndex', class: Migration20261123100000DisclosureRollupIndex },
  { name: 'Migration20261124100000HotlineFigureIndex', class: Migration20261124100000HotlineFigureIndex },
  { name: 'Migration20261202100000ReportSelfCheck', class: Migration20261202100000ReportSelfCheck },
  // the gateway's signature nonces, shared by the subgraph's replicas (lib/auth/nonceStore.ts)
  internalNonceMigration('reports'),
  // whether `gongkai sample remove` ran: the sample is then not loaded again (lib/database/sampleMarker.ts)
  sampleRemovalMigration('reports'),
  { name: 'Migration20261220010000SameOriginComparisons', class: Migration20261220010000SameOriginComparisons },
  { name: 'Migration20261221000000IngestRun', class: Migration20261221000000IngestRun },
  // where its writes changed something, for the gateway's answer cache (lib/cache/changeLog.ts)
  cacheChangeLogMigration('reports'),
];
