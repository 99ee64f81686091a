// Committed migrations of the agencies schema, oldest first. Never edit one that has shipped:
// add a new one.
import { Migration20261122000000Initial } from './Migration20261122000000Initial.ts';
import { Migration20261122010000DirectoryReadModel } from './Migration20261122010000DirectoryReadModel.ts';
import { Migration20261202100000AgencyReviewStatus } from './Migration20261202100000AgencyReviewStatus.ts';
import { Migration20261215000000NormaliseAgencyNames } from './Migration20261215000000NormaliseAgencyNames.ts';
import { internalNonceMigration } from '../../../lib/auth/nonceStore.ts';
import { cacheChangeLogMigration } from '../../../lib/cache/changeLog.ts';
import { sampleRemovalMigration } from '../../../lib/database/sampleMarker.ts';

export const agenciesMigrations = [
  { name: 'Migration20261122000000Initial', class: Migration20261122000000Initial },
  { name: 'Migration20261122010000DirectoryReadModel', class: Migration20261122010000DirectoryReadModel },
  { name: 'Migration20261202100000AgencyReviewStatus', class: Migration20261202100000AgencyReviewStatus },
  { name: 'Migration20261215000000NormaliseAgencyNames', class: Migration20261215000000NormaliseAgencyNames },
  // the gateway's signature nonces, shared by the subgraph's replicas (lib/auth/nonceStore.ts)
  internalNonceMigration('agencies'),
  // whether `gongkai sample remove` ran: the sample is then not loaded again (lib/database/sampleMarker.ts)
  sampleRemovalMigration('agencies'),
  // where its writes changed something, for the gateway's answer cache (lib/cache/changeLog.ts)
  cacheChangeLogMigration('agencies'),
];
