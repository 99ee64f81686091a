// The region an inspection page is about, and its statistical year: the one in the address
// (?year=2023, so a link or a bookmark shows the same list), otherwise the latest year for
// which its subtree filed reports. Public data, so the page can say where it is even to a
// reader the flags are refused to.
import { computed, ref, watch, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { graphql } from '../../gql';
import { query, ApiFailure } from '../../api/client';
import type { InspectionRegionQuery } from '../../gql/graphql';

const InspectionRegion = graphql(`
  query InspectionRegion($code: ID!, $from: Int!, $to: Int!) {
    region(code: $code) {
      code name level
      ancestors { code name }
      disclosureTrend(from: $from, to: $to) { year agencies filed }
    }
  }
`);

/** How many statistical years back the year choice goes. */
const YEARS_BACK = 10;

const currentYearInChina = (): number => Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

export type InspectedRegion = NonNullable<InspectionRegionQuery['region']>;

export function useInspectedRegion(code: Ref<string>) {
  const route = useRoute();
  const router = useRouter();
  const region = ref<InspectedRegion | null>(null);
  const failure = ref<string | null>(null);
  const loading = ref(true);

  watch(
    code,
    async (regionCode) => {
      loading.value = true;
      failure.value = null;
      const to = currentYearInChina();
      try {
        const result = await query(InspectionRegion, { code: regionCode, from: to - YEARS_BACK, to });
        region.value = result.data?.region ?? null;
        if (!region.value) failure.value = result.errors[0]?.message ?? `没有代码为 ${regionCode} 的行政区划`;
      } catch (error) {
        failure.value = error instanceof ApiFailure ? error.message : String(error);
      } finally {
        loading.value = false;
      }
    },
    { immediate: true },
  );

  /** Years with at least one report filed in the subtree, newest first. */
  const yearsWithReports = computed(() =>
    (region.value?.disclosureTrend ?? [])
      .filter((rollup) => rollup.filed > 0)
      .map((rollup) => rollup.year)
      .sort((a, b) => b - a),
  );

  const yearInAddress = computed(() => {
    const raw = Number(route.query.year);
    return Number.isInteger(raw) && raw >= 1949 && raw <= 2100 ? raw : null;
  });

  /** null until the region is known (no year to ask about yet). */
  const year = computed<number | null>(() => yearInAddress.value ?? (region.value ? (yearsWithReports.value[0] ?? currentYearInChina() - 1) : null));

  const yearChoices = computed(() => {
    const choices = new Set(yearsWithReports.value);
    if (year.value !== null) choices.add(year.value);
    return [...choices].sort((a, b) => b - a);
  });

  function setYear(next: number) {
    void router.replace({ query: { ...route.query, year: String(next), after: undefined } });
  }

  return { region, failure, loading, year, yearChoices, setYear };
}
