/**
 * Path patterns for the action's `models` and `markdown` inputs: one pattern a line, `!` in
 * front excludes. Written here because Node 20 has no glob matcher (path.matchesGlob is Node 22),
 * and the action must not install packages of its own beside densegraph's.
 *
 * `**` is any number of folders, `*` and `?` stay inside one path segment, `{a,b}` is either,
 * `[abc]` one of. A pattern without a `/` matches the file name in any folder, as in .gitignore.
 * `*` also matches names that start with a dot: a model in `.ci/` is still a model.
 */

function escapeRegExp(ch) {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** The regular expression for one pattern (without its `!`). Throws on unbalanced braces. */
export function globToRegExp(glob) {
  let re = '';
  let depth = 0;
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const segmentStart = i === 0 || glob[i - 1] === '/';
      if (segmentStart && glob[i + 2] === '/') {
        re += '(?:[^/]*/)*'; // zero or more whole folders
        i += 3;
      } else if (segmentStart && i + 2 === glob.length) {
        re += '.*';
        i += 2;
      } else {
        re += '[^/]*';
        i += 2;
      }
    } else if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close + 1;
    } else if (c === '{') {
      depth++;
      re += '(?:';
      i++;
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
      i++;
    } else if (c === ',' && depth > 0) {
      re += '|';
      i++;
    } else {
      re += escapeRegExp(c);
      i++;
    }
  }
  if (depth !== 0) throw new Error(`pattern '${glob}' has a '{' without its '}'`);
  return new RegExp(`^${re}$`, 's');
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
    (negate ? exclude : include).push(globToRegExp(line));
  }
  return {
    empty: include.length === 0,
    matches: (path) => include.some((r) => r.test(path)) && !exclude.some((r) => r.test(path)),
  };
}
