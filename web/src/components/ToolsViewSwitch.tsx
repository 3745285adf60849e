/** Calls | Errors: the two views of the Tools tab, keeping the filters and range across the switch. */
import { Link, useRouter, withQuery } from '../app/router.tsx';
import styles from './ToolsViewSwitch.module.css';

export function ToolsViewSwitch({ current }: { current: 'calls' | 'errors' }) {
  const { params } = useRouter();
  // The group a drill-down set is what the Errors view is made of, so it does not travel back there.
  const toErrors = new URLSearchParams(params);
  toErrors.delete('errorGroup');
  toErrors.delete('live');
  return (
    <nav className={styles.switch} aria-label="Tools views">
      <Link to={withQuery('/tools', params)} aria-current={current === 'calls' ? 'page' : undefined}>
        Calls
      </Link>
      <Link to={withQuery('/tools/errors', toErrors)} aria-current={current === 'errors' ? 'page' : undefined}>
        Errors
      </Link>
    </nav>
  );
}
