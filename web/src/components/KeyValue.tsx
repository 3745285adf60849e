/** The label/value pairs of detail views: a `dl` row, or a cell of a summary grid. */
import type { ReactNode } from 'react';

type Value = ReactNode | null | undefined | false;

function isEmpty(value: Value): boolean {
  return value === null || value === undefined || value === false || value === '';
}

/** One `dt`/`dd` pair of a key-value list; a pair without a value is left out rather than shown blank. */
export function KeyValue({ label, className, children }: { label: string; className?: string; children: Value }) {
  if (isEmpty(children)) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </>
  );
}

/** One cell of a `summary-grid`: always shown, so the grid keeps its shape. */
export function SummaryField({
  label,
  className,
  title,
  children,
}: {
  label: string;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className} title={title}>
        {children}
      </dd>
    </div>
  );
}
