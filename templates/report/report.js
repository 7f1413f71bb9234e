// densegraph report page. User text (layer names, config values) only ever reaches the page
// through textContent and attribute values: never innerHTML. The script runs under a CSP that
// allows this script alone (by its hash).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var layers = data.layers;
  var root = document.documentElement;
  var diagram = document.getElementById('diagram');
  var detailsBody = document.getElementById('details-body');
  var hint = document.getElementById('details-hint');
  var search = document.getElementById('search');
  var searchCount = document.getElementById('search-count');
  var themeToggle = document.getElementById('theme-toggle');
  var fitToggle = document.getElementById('fit-toggle');

  var rows = new Map();
  var nodes = new Map();
  var pinned = -1;

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  // Diagram nodes: Graphviz writes each node's DOT id as its <title>; the page data maps ids
  // to layers (ids come from layer names, src/backends/escape.ts nodeIdFor).
  var byNodeId = new Map();
  data.nodes.forEach(function (pair) { byNodeId.set(pair[0], pair[1]); });
  Array.prototype.forEach.call(diagram.querySelectorAll('g.node'), function (g) {
    var title = g.querySelector('title');
    if (!title || !byNodeId.has(title.textContent)) return;
    var index = byNodeId.get(title.textContent);
    var layer = layers[index];
    title.textContent = layer.name + ' (' + layer.class + ')';
    g.setAttribute('data-index', String(index));
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', layer.name + ' (' + layer.class + ')');
    if (!nodes.has(index)) nodes.set(index, []);
    nodes.get(index).push(g);
  });
  // The graph's own <title> ("G") would be the tooltip of the whole background.
  Array.prototype.forEach.call(diagram.querySelectorAll('g.graph > title'), function (t) { t.remove(); });
  Array.prototype.forEach.call(document.querySelectorAll('#summary tbody tr[data-index]'), function (tr) {
    rows.set(Number(tr.getAttribute('data-index')), tr);
  });

  function facts(list) {
    var dl = el('dl', null, 'facts');
    list.forEach(function (item) {
      if (item[1] === null || item[1] === undefined || item[1] === '') return;
      dl.appendChild(el('dt', item[0]));
      var dd = el('dd', null, item[2] ? 'mono' : '');
      dd.textContent = String(item[1]);
      dl.appendChild(dd);
    });
    return dl;
  }

  function table(head, body) {
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    var thead = el('thead');
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el('tbody');
    body.forEach(function (cells) {
      var r = el('tr');
      cells.forEach(function (c) {
        var td = el('td');
        td.appendChild(el('code', c));
        r.appendChild(td);
      });
      tbody.appendChild(r);
    });
    t.appendChild(tbody);
    return t;
  }

  function renderDetails(index) {
    detailsBody.replaceChildren();
    hint.hidden = index >= 0;
    if (index < 0) return;
    var layer = layers[index];
    detailsBody.appendChild(el('h3', layer.name, 'layer-name'));
    var sub = el('p', null, 'sub');
    sub.appendChild(el('span', layer.class, 'layer-class'));
    if (layer.opaque) {
      sub.appendChild(document.createTextNode(' '));
      sub.appendChild(el('span', 'unknown class: drawn as the file describes it', 'badge warn'));
    }
    if (!nodes.has(index)) {
      sub.appendChild(document.createTextNode(' '));
      sub.appendChild(el('span', 'not drawn in the diagram', 'badge'));
    }
    detailsBody.appendChild(sub);
    var params = layer.paramsText;
    if (layer.paramsKnown && layer.params > 0) {
      params += ' (' + layer.trainableParamsText + ' trainable, ' + layer.nonTrainableParamsText + ' non-trainable)';
    }
    detailsBody.appendChild(facts([
      ['Class', layer.class],
      ['Activation', layer.activation],
      ['Input shape', layer.inputShapes.length ? layer.inputShapes.join(', ') : '-', true],
      ['Output shape', layer.outputShapes.join(', '), true],
      ['Params', params],
      ['Dtype', layer.dtype],
      ['Trainable', layer.params > 0 || layer.weights.length ? (layer.trainable ? 'yes' : 'no') : null],
      ['Connected to', layer.inbound.length ? layer.inbound.join(', ') : '-'],
      ['Used by', layer.outbound.length ? layer.outbound.join(', ') : '-'],
      ['Calls', layer.calls > 1 ? String(layer.calls) + ' (shared layer; shapes of the first call)' : null],
      ['Nested model', layer.nested ? layer.nested : null],
    ]));
    detailsBody.appendChild(el('h4', 'Weights'));
    if (layer.weights.length) {
      detailsBody.appendChild(table(['Variable', 'Shape', 'Trainable'], layer.weights.map(function (w) {
        return [w.name, w.shape, w.trainable ? 'yes' : 'no'];
      })));
    } else detailsBody.appendChild(el('p', 'none', 'empty'));
    detailsBody.appendChild(el('h4', 'Config'));
    // Arguments set to null (no regularizer, no constraint, …) go on one line after the table.
    var set = layer.config.filter(function (kv) { return kv[1] !== 'null'; });
    var unset = layer.config.filter(function (kv) { return kv[1] === 'null'; }).map(function (kv) { return kv[0]; });
    if (set.length) detailsBody.appendChild(table(['Argument', 'Value'], set));
    else detailsBody.appendChild(el('p', 'none', 'empty'));
    if (unset.length) detailsBody.appendChild(el('p', 'null: ' + unset.join(', '), 'unset'));
  }

  function each(index, fn) {
    (nodes.get(index) || []).forEach(fn);
    if (rows.has(index)) fn(rows.get(index));
  }

  function setClass(className, index) {
    Array.prototype.forEach.call(document.querySelectorAll('.' + className), function (e) { e.classList.remove(className); });
    if (index >= 0) each(index, function (e) { e.classList.add(className); });
  }

  function select(index) {
    pinned = index;
    setClass('selected', index);
    renderDetails(index);
  }

  function preview(index) {
    setClass('hover', index);
    renderDetails(index >= 0 ? index : pinned);
  }

  function bind(target, index, fromTable) {
    target.addEventListener('click', function () {
      select(index);
      var g = (nodes.get(index) || [])[0];
      if (fromTable && g && diagram.scrollHeight > diagram.clientHeight) g.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      if (!fromTable && rows.has(index)) rows.get(index).scrollIntoView({ block: 'nearest' });
      document.getElementById('details').scrollTop = 0;
    });
    target.addEventListener('mouseenter', function () { preview(index); });
    target.addEventListener('mouseleave', function () { preview(-1); });
    target.addEventListener('focus', function () { preview(index); });
    target.addEventListener('blur', function () { preview(-1); });
    target.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        select(index);
      }
    });
  }
  nodes.forEach(function (gs, index) { gs.forEach(function (g) { bind(g, index, false); }); });
  rows.forEach(function (tr, index) { bind(tr, index, true); });

  // Search: rows that do not match are hidden, diagram nodes that do not match are dimmed.
  function applySearch() {
    var query = search.value.trim().toLowerCase();
    var matches = [];
    layers.forEach(function (layer, index) {
      var match = query !== '' && layer.name.toLowerCase().indexOf(query) >= 0;
      if (match) matches.push(index);
      each(index, function (e) { e.classList.toggle('match', match); });
      if (rows.has(index)) rows.get(index).hidden = query !== '' && !match;
    });
    diagram.classList.toggle('searching', query !== '');
    searchCount.textContent = query === '' ? '' : matches.length + ' of ' + layers.length + ' layers';
    return matches;
  }
  search.addEventListener('input', applySearch);
  search.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      var matches = applySearch();
      if (matches.length) select(matches[0]);
    } else if (event.key === 'Escape') {
      search.value = '';
      applySearch();
    }
  });

  // Theme: data-theme="auto" follows prefers-color-scheme until the button picks one.
  var dark = window.matchMedia('(prefers-color-scheme: dark)');
  function effectiveTheme() {
    var t = root.getAttribute('data-theme');
    return t === 'light' || t === 'dark' ? t : dark.matches ? 'dark' : 'light';
  }
  function labelThemeToggle() {
    var next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    themeToggle.textContent = next === 'dark' ? 'Dark theme' : 'Light theme';
    themeToggle.setAttribute('aria-pressed', String(effectiveTheme() === 'dark'));
  }
  themeToggle.addEventListener('click', function () {
    root.setAttribute('data-theme', effectiveTheme() === 'dark' ? 'light' : 'dark');
    labelThemeToggle();
  });
  dark.addEventListener('change', labelThemeToggle);
  labelThemeToggle();

  fitToggle.addEventListener('click', function () {
    var fit = diagram.classList.toggle('fit');
    fitToggle.textContent = fit ? 'Full width' : 'Fit';
  });

  renderDetails(-1);
})();
