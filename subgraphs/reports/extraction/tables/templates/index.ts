// Which templates can stand in which section of a report. Adding a table is adding it here.
import type { SectionId, TableTemplate } from './types.ts';
import { APPLICATIONS_2019, APPLICATIONS_2021, ART20_2019, ART20_2021, REVIEW } from './std.ts';
import { NATIONAL, PROVINCIAL } from './pre2019.ts';

export const TEMPLATES_BY_SECTION: Record<SectionId, TableTemplate[]> = {
  art20: [ART20_2021, ART20_2019],
  applications: [APPLICATIONS_2021, APPLICATIONS_2019],
  review: [REVIEW],
  statTable: [NATIONAL, PROVINCIAL],
};

/** The standard-era sections: a report that has one of them has no 2008-era table. */
export const STANDARD_SECTIONS: SectionId[] = ['art20', 'applications', 'review'];

export { REVIEW_SUMS, APPLICANT_SUFFIXES } from './std.ts';
export type { SectionId, TableTemplate, TemplateRow, IdentitySpec } from './types.ts';
