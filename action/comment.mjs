/**
 * The action's Markdown: the pull-request comment and the job summary. Everything that comes
 * from the pull request (file names, densegraph's messages about them) is made inert here:
 * names become text with HTML entities, messages go into fenced blocks. densegraph's own
 * Markdown (diff and summary tables) escapes model text itself (DESIGN.md) and is pasted as is.
 */

/** GitHub refuses comments over 65536 characters; the job summary takes up to 1 MiB. */
export const COMMENT_LIMIT = 65_000;
export const SUMMARY_LIMIT = 1_000_000;

/** The marker a sticky-comment step can find the previous comment by. */
export const MARKER = '<!-- densegraph-action -->';

/**
 * A file name as Markdown text that shows the name and nothing else: ASCII letters, digits,
 * space, `.`, `/`, `-` stay; letters of other scripts become numeric entities (shown as
 * themselves); control and format characters (newlines, bidi overrides) become a visible
 * `\u{…}`. So `<img …>`, backticks, pipes (table cells), `@user`, `#1` and `*` are text.
 */
export function mdText(s) {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (/[A-Za-z0-9 ./-]/.test(ch)) out += ch;
    else if (/[\p{C}\p{Zl}\p{Zp}]/u.test(ch)) out += `&#92;u{${cp.toString(16).toUpperCase()}}`;
    else out += `&#${cp};${ch === '@' || ch === '#' ? ZWSP : ''}`;
  }
  return out;
}

/**
 * GitHub finds `@user` and `#12` in the text of a rendered comment, after entities are decoded:
 * a zero-width space after `@` and `#` keeps a name from pinging people or cross-referencing
 * issues (as Renovate does). Code spans and blocks are not searched and need none.
 */
const ZWSP = '&#8203;';

/** densegraph's Markdown with `@` and `#` outside fenced blocks defused (model and layer names). */
export function defuse(markdown) {
  let fence = '';
  return markdown.split('\n').map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === '' && open) fence = open;
    else if (fence !== '' && open && open[0] === fence[0] && open.length >= fence.length && line.trim() === open) fence = '';
    else if (fence === '') return line.replace(/(?<!^#*|&)([@#])(?=\w)/g, `$1${ZWSP}`);
    return line;
  }).join('\n');
}

/** Untrusted text (densegraph's messages, which quote file names) as a fenced block. */
export function fenced(text, info = '') {
  const clean = text.replace(/\r\n?/g, '\n').replace(/[\p{Cc}\p{Cf}]/gu, (ch) => (ch === '\n' || ch === '\t' ? ch : `\\u{${ch.codePointAt(0).toString(16).toUpperCase()}}`));
  const clipped = clean.length > 4000 ? `${clean.slice(0, 4000)}\n… (${clean.length - 4000} more characters)` : clean;
  const longest = Math.max(0, ...[...clipped.matchAll(/~+/g)].map((m) => m[0].length));
  const fence = '~'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${clipped.replace(/\n+$/, '')}\n${fence}`;
}

/** A POSIX shell word for a path, for the "run this to fix it" hint. */
export function shellQuote(s) {
  return /^[A-Za-z0-9_./=:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** 1234567 → 1,234,567; negative numbers with a real minus sign, as densegraph writes them. */
function num(n) {
  return `${n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-US')}`;
}

function paramsCell(m) {
  if (m.kind === 'modified' || m.kind === 'unchanged') {
    const d = m.newParams - m.oldParams;
    return m.newParams === m.oldParams ? num(m.newParams) : `${num(m.oldParams)} → ${num(m.newParams)} (${d > 0 ? '+' : ''}${num(d)})`;
  }
  if (m.kind === 'added') return num(m.newParams);
  if (m.kind === 'removed') return `${num(m.oldParams)} → 0`;
  return '';
}

const KIND_TEXT = {
  modified: '🟡 modified',
  added: '🟢 added',
  removed: '🔴 removed',
  unchanged: '⚪ file changed, model the same',
  error: '❌ cannot be read',
};

function fileName(m) {
  return m.oldPath && m.oldPath !== m.path ? `${mdText(m.oldPath)} → ${mdText(m.path)}` : mdText(m.path);
}

/** densegraph's heading (its first line) one level down, under the file's own `###` heading. */
function demote(markdown) {
  return defuse(markdown.replace(/^(#{1,5}) /, '$1# ').trimEnd());
}

function details(summary, body) {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** The section of one model file: full (with diagrams) or short (when the comment is too long). */
function modelSection(m, short) {
  const head = `### ${KIND_TEXT[m.kind].split(' ')[0]} ${fileName(m)}`;
  const omitted = '_Details left out to keep the comment within GitHub\'s size limit; the job summary has them._';
  switch (m.kind) {
    case 'modified':
      return `${head}\n\n${short ? `Total params: ${paramsCell(m)}\n\n${omitted}` : demote(m.body)}`;
    case 'added':
      return `${head} (new model)\n\n${short ? `Total params: ${num(m.newParams)}\n\n${omitted}` : `${demote(m.body)}${m.diagram ? `\n\n${details('Diagram', m.diagram.trimEnd())}` : ''}`}`;
    case 'removed':
      return `${head} (removed)\n\nThe model had ${num(m.oldParams)} parameters.${short ? '' : `\n\n${details('Its summary before this change', demote(m.body))}`}`;
    case 'error':
      return `${head}\n\ndensegraph could not read this model${m.side === 'old' ? ' as it was at the base' : ''}:\n\n${fenced(short ? m.error.split('\n')[0] : m.error)}`;
    default:
      return '';
  }
}

function markdownSection(md, short) {
  if (!md) return '';
  const head = '### Diagrams in Markdown files';
  if (md.files.length === 0) return `${head}\n\nNo file matched the \`markdown\` input.`;
  const list = `${md.files.length} file${md.files.length === 1 ? '' : 's'} checked with \`densegraph md --check\``;
  if (md.ok) return `${head}\n\n✅ Up to date: ${list}.`;
  const dashed = md.files.some((f) => f.startsWith('-'));
  const fix = `densegraph md ${[...md.flags, ...(dashed ? ['--'] : []), ...md.files].map(shellQuote).join(' ')}`;
  return [
    `${head}\n\n❌ Stale or missing diagrams: ${list}.`,
    fenced(short ? md.output.split('\n').slice(0, 20).join('\n') : md.output),
    `To bring them up to date, run this and commit what it writes:\n\n${fenced(`npx ${fix}`, 'sh')}`,
  ].join('\n\n');
}

/**
 * The whole comment. `limit` is the most characters it may have: the sections of model files
 * are shortened from the last one up until it fits, then dropped with a note.
 */
export function buildComment(r, limit) {
  const counted = r.models.filter((m) => m.kind !== 'unchanged' && m.kind !== 'error');
  const by = (k) => r.models.filter((m) => m.kind === k).length;
  const intro = [
    MARKER,
    '## densegraph model review',
    r.models.length === 0
      ? `No model file changed since \`${r.baseShort}\` (the merge base).`
      : `Since \`${r.baseShort}\` (the merge base): ${counted.length} model file${counted.length === 1 ? '' : 's'} changed (${by('modified')} modified, ${by('added')} added, ${by('removed')} removed)${by('error') ? `, ${by('error')} could not be read` : ''}.`,
  ];
  if (r.models.length > 0) {
    intro.push(['| model file | change | total params |', '|:--|:--|--:|', ...r.models.map((m) => `| ${fileName(m)} | ${KIND_TEXT[m.kind]} | ${paramsCell(m)} |`)].join('\n'));
  }
  const tail = [];
  if (r.overLimit.length > 0) {
    tail.push(`⚠️ ${r.overLimit.length} more matching file${r.overLimit.length === 1 ? ' was' : 's were'} not examined (the \`max-models\` input is ${r.maxModels}).`);
  }
  if (r.skipped.length > 0) {
    tail.push(details(`${r.skipped.length} changed file${r.skipped.length === 1 ? '' : 's'} matching <code>models</code> skipped`,
      r.skipped.map((s) => `- ${mdText(s.path)}: ${s.reason}`).join('\n')));
  }
  const sections = r.models.filter((m) => m.kind !== 'unchanged');
  const full = sections.map((m) => modelSection(m, false));
  const compact = sections.map((m) => modelSection(m, true));
  const compose = (parts, shortMd, dropped) => [
    ...intro,
    ...parts,
    ...(dropped ? [`_${dropped} more model section${dropped === 1 ? '' : 's'} left out to keep the comment within GitHub's size limit; the table above lists every file._`] : []),
    ...tail,
    markdownSection(r.markdown, shortMd),
  ].filter((p) => p !== '').join('\n\n') + '\n';
  let parts = [...full];
  let text = compose(parts, false, 0);
  for (let i = parts.length - 1; text.length > limit && i >= 0; i--) {
    parts[i] = compact[i];
    text = compose(parts, false, 0);
  }
  if (text.length > limit) text = compose(parts, true, 0);
  while (text.length > limit && parts.length > 0) {
    parts = parts.slice(0, -1);
    text = compose(parts, true, sections.length - parts.length);
  }
  return text;
}
