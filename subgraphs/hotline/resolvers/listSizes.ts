// Query._listSizes of the hotline subgraph: how long its lists are in its own tables, for the
// gateway's cost estimates (lib/graphql/listSizeStatistics.ts). One statement.
import { listSizesResolver, summarizeSizesSql } from '../../../lib/graphql/listSizeStatistics.ts';

const PER_PARENT = `
  select 'Ticket.statusHistory', '*', count(*)::int from hotline.ticket_status_change group by ticket_id`;

// A breakdown by line, category or channel has at most one entry for each of them, and one
// (code null) for the tickets without a category or channel.
const WHOLE_LISTS = `
  select 'Query.hotlineLines', '*', count(*)::int, count(*)::int from hotline.line
  union all
  select 'Query.hotlineCategories', '*', count(*)::int, count(*)::int from hotline.category
  union all
  select 'Query.hotlineChannels', '*', count(*)::int, count(*)::int from hotline.channel
  union all
  select 'HotlineFigures.byLine', '*', count(*)::int, count(*)::int from hotline.line
  union all
  select 'HotlineFigures.byCategory', '*', count(*)::int + 1, count(*)::int + 1 from hotline.category
  union all
  select 'HotlineFigures.byChannel', '*', count(*)::int + 1, count(*)::int + 1 from hotline.channel`;

export const hotlineListSizes = listSizesResolver(`${summarizeSizesSql(PER_PARENT)} union all ${WHOLE_LISTS}`);
