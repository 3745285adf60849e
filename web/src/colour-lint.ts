/**
 * Finds colours written outside tokens.css: hex, colour functions (rgb, hsl, …) and named colours,
 * in stylesheets and in the TypeScript that sets inline styles or SVG paint. Used by
 * colour-lint.test.ts over every web source; kept apart so the test can also prove it catches each kind.
 */
export interface RawColour {
  line: number;
  text: string;
}

const HEX = /#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b/i;
const FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix)\(/i;
// The CSS named colours (CSS Color 4), less the keywords that are not a colour of their own.
const NAMES =
  'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
  'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray ' +
  'darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen ' +
  'darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue ' +
  'firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew ' +
  'hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan ' +
  'lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
  'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue ' +
  'mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred ' +
  'midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid ' +
  'palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple ' +
  'rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue ' +
  'slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white ' +
  'whitesmoke yellow yellowgreen';
const NAMED_IN_VALUE = new RegExp(`(?<![\\w-])(?:${NAMES.split(' ').join('|')})(?![\\w-])`, 'i');
// In TypeScript a named colour counts only where paint is set: a style key or an SVG paint attribute.
const NAMED_IN_TS = new RegExp(
  `\\b(?:fill|stroke|color|background|backgroundColor|borderColor|stopColor|floodColor|outlineColor)\\s*[:=]\\s*\\{?\\s*['"\`](?:${NAMES.split(' ').join('|')})['"\`]`,
  'i',
);

/** Blanks comments (keeping line breaks, so line numbers still match). */
function withoutComments(text: string, kind: 'css' | 'ts'): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  const css = text.replace(/\/\*[\s\S]*?\*\//g, blank);
  return kind === 'css'
    ? css
    : css.replace(/(^|[^:'"`])\/\/[^\n]*/g, (m, lead: string) => lead + blank(m.slice(lead.length)));
}

export function findRawColours(text: string, kind: 'css' | 'ts'): RawColour[] {
  const found: RawColour[] = [];
  withoutComments(text, kind)
    .split('\n')
    .forEach((line, i) => {
      let raw = HEX.test(line) || FUNCTION.test(line);
      if (!raw && kind === 'css') {
        // Only declaration values: selectors and property names may say "white" (white-space) harmlessly.
        const value = /:\s*([^;{]*)/.exec(line)?.[1]?.replace(/url\([^)]*\)|"[^"]*"|'[^']*'/g, '') ?? '';
        raw = !line.trim().endsWith('{') && NAMED_IN_VALUE.test(value);
      }
      if (!raw && kind === 'ts') raw = NAMED_IN_TS.test(line);
      if (raw) found.push({ line: i + 1, text: line.trim() });
    });
  return found;
}
