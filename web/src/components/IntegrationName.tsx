import { integrationColour } from '../model/format.ts';

export function IntegrationName({ name }: { name: string | null }) {
  if (!name) return <span className="muted">—</span>;
  return (
    <span className="integration">
      {/* The initial comes from CSS so the cell's text is just the integration's name. */}
      <span
        className="integration-icon"
        aria-hidden="true"
        data-initial={name.slice(0, 1).toUpperCase()}
        style={{ background: integrationColour(name) }}
      />
      {name}
    </span>
  );
}
