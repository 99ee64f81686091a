// Committed migrations of the hotline schema, oldest first. Never edit one that has shipped.
import { Migration20261122000000Initial } from './Migration20261122000000Initial.ts';
import { Migration20261122020000PersonalDataAudit } from './Migration20261122020000PersonalDataAudit.ts';
import { Migration20261122100000TicketRollupIndex } from './Migration20261122100000TicketRollupIndex.ts';
import { Migration20261123000000YearRollup } from './Migration20261123000000YearRollup.ts';
import { Migration20261202000000ImportRun } from './Migration20261202000000ImportRun.ts';
import { internalNonceMigration } from '../../../lib/auth/nonceStore.ts';
import { cacheChangeLogMigration } from '../../../lib/cache/changeLog.ts';
import { sampleRemovalMigration } from '../../../lib/database/sampleMarker.ts';

export const hotlineMigrations = [
  { name: 'Migration20261122000000Initial', class: Migration20261122000000Initial },
  { name: 'Migration20261122020000PersonalDataAudit', class: Migration20261122020000PersonalDataAudit },
  { name: 'Migration20261122100000TicketRollupIndex', class: Migration20261122100000TicketRollupIndex },
  { name: 'Migration20261123000000YearRollup', class: Migration20261123000000YearRollup },
  { name: 'Migration20261202000000ImportRun', class: Migration20261202000000ImportRun },
  // the gateway's signature nonces, shared by the subgraph's replicas (lib/auth/nonceStore.ts)
  internalNonceMigration('hotline'),
  // whether `gongkai sample remove` ran: the sample is then not loaded again (lib/database/sampleMarker.ts)
  sampleRemovalMigration('hotline'),
  // where its writes changed something, for the gateway's answer cache (lib/cache/changeLog.ts)
  cacheChangeLogMigration('hotline'),
];
