// Query._listSizes of the reports subgraph: how long its lists are in its own tables, for the
// gateway's cost estimates (lib/graphql/listSizeStatistics.ts). One statement.
import { listSizesResolver, summarizeSizesSql } from '../../../lib/graphql/listSizeStatistics.ts';

// A report's hotlines are read from its figure keys hotline.<line>.<metric> (figures/views.ts).
const HOTLINE_LINE = `split_part(key, '.', 2)`;

const PER_PARENT = `
  select 'Agency.reports', '*', count(*)::int from reports.annual_report where superseded_at is null group by agency_id
  union all
  select 'AnnualReport.versions', '*', count(*)::int from reports.annual_report group by agency_id, year
  union all
  select 'AnnualReport.figures', '*', count(*)::int from reports.figure group by report_id
  union all
  select 'AnnualReport.changes', '*', 2 * count(*)::int from reports.figure group by report_id
  union all
  select 'AnnualReport.hotlines', '*', count(distinct ${HOTLINE_LINE})::int from reports.figure where key like 'hotline.%' group by report_id
  union all
  select 'AnnualReport.flags', '*', count(*)::int from reports.flag group by report_id
  union all
  select 'Flag.figures', '*', cardinality(figure_keys) from reports.flag`;

// A region's reported hotlines are at most every line any report names.
const WHOLE_LISTS = `
  select 'Region.reportedHotlines', '*', count(distinct ${HOTLINE_LINE})::int, count(distinct ${HOTLINE_LINE})::int
    from reports.figure where key like 'hotline.%' having count(*) > 0`;

export const reportsListSizes = listSizesResolver(`${summarizeSizesSql(PER_PARENT)} union all ${WHOLE_LISTS}`);
