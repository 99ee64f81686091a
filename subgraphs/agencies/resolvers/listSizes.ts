// Query._listSizes of the agencies subgraph: how long its lists are in its own tables, for the
// gateway's cost estimates (lib/graphql/listSizeStatistics.ts). One statement.
//
// A region's level is that of its code (levelOfCode): the only thing the gateway knows of a
// region it is asked about. Per-region lists are counted per level of the parent, nationwide
// (`CITY`) and within each province (`43:CITY`, the parents of that level whose code starts with
// 43): a query about 湖南省 is not priced with 重庆市's 38 districts and counties. Query.regions(level:)
// filters on the level column, and is counted by it.
import { levelOfCodeSql } from '../../../lib/regions/codes.ts';
import { listSizesResolver, summarizeSizesSql } from '../../../lib/graphql/listSizeStatistics.ts';

/**
 * A name search (Query.regions(search:)) finds only names holding each of its characters: the
 * characters of more than this many region names (of a level, or of all) are listed with their
 * count; any other one bounds a search by this number.
 */
const SEARCH_CHARACTER_THRESHOLD = 20;

// per parent: (field, scope, province prefix, items); a county's children: 0, from the left join
const PARENTS = `
  select 'Region.children', ${levelOfCodeSql('p.code')}, left(p.code, 2), count(c.code)::int
    from agencies.region p left join agencies.region c on c.parent_code = p.code group by p.code
  union all
  select 'Region.agencies', ${levelOfCodeSql('region_code')}, left(region_code, 2), count(*)::int from agencies.agency group by region_code
  union all
  select 'Region.agencies', 'subtree:PROVINCE', left(region_code, 2), count(*)::int from agencies.agency group by left(region_code, 2)
  union all
  select 'Region.agencies', 'subtree:CITY', left(region_code, 2), count(*)::int from agencies.agency group by left(region_code, 4), left(region_code, 2)
  union all
  select 'Region.agencies', 'subtree:COUNTY', left(region_code, 2), count(*)::int from agencies.agency group by region_code`;

// each parent row counted under its scope, within its province, and (plain levels) under `*`
const PER_PARENT = `
  select field, s.scope, n from (${PARENTS}) as parents(field, scope, province, n)
   cross join lateral (values (scope), (province || ':' || scope), (case when scope not like 'subtree:%' then '*' end)) as s(scope)
   where s.scope is not null
  union all
  select 'Agency.aliases', '*', cardinality(aliases) from agencies.agency
  union all
  select 'Agency.predecessors', '*', count(*)::int from agencies.agency_lineage group by successor_id
  union all
  select 'Agency.successors', '*', count(*)::int from agencies.agency_lineage group by predecessor_id`;

// whole lists (Query fields): their length, as max and p95 alike
const WHOLE_LISTS = `
  select 'Query.regions', '*', count(*)::int, count(*)::int from agencies.region
  union all
  select 'Query.regions', level, count(*)::int, count(*)::int from agencies.region group by level
  union all
  select 'Query.regions', coalesce(level || ':', '') || 'char:' || ch, count(distinct code)::int, count(distinct code)::int
    from agencies.region cross join lateral regexp_split_to_table(lower(name), '') as ch
   group by grouping sets ((ch), (level, ch)) having count(distinct code) > ${SEARCH_CHARACTER_THRESHOLD}
  union all
  select 'Query.regions', scope, ${SEARCH_CHARACTER_THRESHOLD}, ${SEARCH_CHARACTER_THRESHOLD}
    from (values ('char:*'), ('PROVINCE:char:*'), ('CITY:char:*'), ('COUNTY:char:*')) as any_character(scope)
  union all
  select 'Query.agencies', '*', count(*)::int, count(*)::int from agencies.agency having count(*) > 0
  union all
  select 'Query.agencies', ${levelOfCodeSql('region_code')}, count(*)::int, count(*)::int from agencies.agency group by 2
  union all
  select 'Query.sectors', '*', count(*)::int, count(*)::int from agencies.sector`;

export const agenciesListSizes = listSizesResolver(`${summarizeSizesSql(PER_PARENT)} union all ${WHOLE_LISTS}`);
