import { useId, useState } from 'react';
import {
  customRange,
  DATE_PRESETS,
  type DateRange,
  PRESET_LABELS,
  PRESET_SHORT_LABELS,
  parseInstant,
  resolveRange,
  toDatetimeLocalValue,
} from '../model/date-range.ts';
import { formatRangeShort } from '../model/format.ts';
import styles from './filters.module.css';

export function DateRangePicker({ range, onChange }: { range: DateRange; onChange: (range: DateRange) => void }) {
  const [customOpen, setCustomOpen] = useState(false);
  const id = useId();
  return (
    <div className={`${styles.field} ${styles.fieldRange}`}>
      <span className={styles.fieldLabel} id={`${id}-label`}>
        Date range
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby={`${id}-label`}>
        {DATE_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            role="radio"
            aria-checked={range.preset === preset}
            title={PRESET_LABELS[preset]}
            aria-label={PRESET_LABELS[preset]}
            onClick={() => {
              setCustomOpen(false);
              onChange({ preset });
            }}
          >
            {PRESET_SHORT_LABELS[preset]}
          </button>
        ))}
        <button
          type="button"
          role="radio"
          aria-checked={range.preset === 'custom'}
          aria-haspopup="dialog"
          onClick={() => setCustomOpen(!customOpen)}
        >
          {range.preset === 'custom' ? formatRangeShort(range.from, range.to) : 'Custom'}
        </button>
      </div>
      {customOpen && (
        <CustomRangeForm
          range={range}
          onApply={(r) => {
            onChange(r);
            setCustomOpen(false);
          }}
          onCancel={() => setCustomOpen(false)}
        />
      )}
    </div>
  );
}

function CustomRangeForm({
  range,
  onApply,
  onCancel,
}: {
  range: DateRange;
  onApply: (range: DateRange) => void;
  onCancel: () => void;
}) {
  // The form starts from the range on screen: "Last 7 days" opens as those seven days, not a fixed 24 hours.
  const initial = resolveRange(range, Date.now());
  const [from, setFrom] = useState(toDatetimeLocalValue(initial.from));
  const [to, setTo] = useState(toDatetimeLocalValue(initial.to));
  const [error, setError] = useState<string | null>(null);
  // Editing either end clears the complaint about the previous attempt.
  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    setError(null);
  };
  return (
    <form
      className={`popover ${styles.customRange}`}
      aria-label="Custom date range"
      onSubmit={(e) => {
        e.preventDefault();
        const a = parseInstant(from);
        const b = parseInstant(to);
        if (a === null || b === null) return setError('Enter both a start and an end.');
        if (b <= a) return setError('The end must be after the start.');
        onApply(customRange(a, b));
      }}
    >
      <DateTimeField label="From" value={from} onChange={edited(setFrom)} />
      <DateTimeField label="To" value={to} onChange={edited(setTo)} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className={styles.popoverActions}>
        <button type="button" className="button ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary">
          Apply
        </button>
      </div>
    </form>
  );
}

function DateTimeField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} required />
    </label>
  );
}
