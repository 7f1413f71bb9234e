/**
 * Path patterns for the action's `models` and `markdown` inputs: one pattern a line, `!` in
 * front excludes. Matched with picomatch (installed with densegraph's dependencies, through
 * tinyglobby; Node 20 has no glob matcher of its own).
 *
 * `**` is any number of folders, `*` and `?` stay inside one path segment, `{a,b}` is either,
 * `[abc]` one of. A pattern without a `/` matches the file name in any folder, as in .gitignore.
 * `*` also matches names that start with a dot: a model in `.ci/` is still a model.
 */
import picomatch from 'picomatch';

/** Throws on a `{` without its `}` (picomatch would read it as a literal brace). */
function checkBraces(glob) {
  let depth = 0;
  for (const c of glob) {
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
  }
  if (depth !== 0) throw new Error(`pattern '${glob}' has a '{' without its '}'`);
}

/**
 * Compiles the patterns of an input (one a line; blank lines and lines starting with `#` are
 * ignored). A path is selected when it matches an include pattern and no exclude pattern.
 */
export function pathFilter(text) {
  const include = [];
  const exclude = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = line.replace(/^\.\//, '').replace(/^\/+/, '');
    if (!line.includes('/')) line = `**/${line}`;
    checkBraces(line);
    (negate ? exclude : include).push(line);
  }
  const included = picomatch(include.length ? include : ['\0'], { dot: true });
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  return {
    empty: include.length === 0,
    matches: (path) => include.length > 0 && included(path) && !excluded(path),
  };
}
