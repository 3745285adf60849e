/** The tooltrace mark: the same logo in the header and on the sign-in card, at two sizes. */
export function BrandLogo({ size }: { size: number }) {
  return (
    <svg viewBox="0 0 16 16" width={size} height={size} aria-hidden="true">
      <rect width="16" height="16" rx="4" fill="var(--accent)" />
      <path d="M3 11h3V5h4v6h3" stroke="var(--on-accent)" strokeWidth="1.6" fill="none" />
    </svg>
  );
}
