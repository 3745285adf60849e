import { Fragment } from 'react';
import { wrapSegments } from '../model/format.ts';

/** Long identifiers and URLs wrap at their separators (`<wbr>`), so a narrow cell never splits a word. */
export function WrappableText({ text }: { text: string }) {
  const segments = wrapSegments(text);
  return (
    <>
      {segments.map((segment, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the segments of one string, in a fixed order
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {segment}
        </Fragment>
      ))}
    </>
  );
}
