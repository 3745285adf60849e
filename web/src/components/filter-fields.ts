/** Filter fields both list tabs offer, described once so the two filter bars cannot drift apart. */
import { statusOptionLabel, statusOptions } from '../model/status.ts';
import type { FilterField } from './ListPage.tsx';

export const USER_ID_FILTER: FilterField<'userId'> = {
  kind: 'text',
  key: 'userId',
  facet: 'userIds',
  label: 'User ID',
  placeholder: 'Any user',
};

export const INTEGRATION_FILTER: FilterField<'integration'> = {
  kind: 'select',
  key: 'integration',
  facet: 'integrations',
  label: 'Integration',
  allLabel: 'All integrations',
};

/** The status picker lists every status of the tab, even those without rows in the range. */
export function statusFilter(tab: 'tools' | 'triggers'): FilterField<'status'> {
  return {
    kind: 'select',
    key: 'status',
    facet: 'statuses',
    label: 'Status',
    allLabel: 'Any status',
    fixedOptions: statusOptions(tab).map((option) => option.value),
    optionLabel: (value) => statusOptionLabel(tab, value),
  };
}
