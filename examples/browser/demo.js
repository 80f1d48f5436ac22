// The demo page's script (a classic script: it uses the `modhost` and `define` globals).
(function () {
  'use strict';

  function short(url) {
    return url.replace(location.origin, '');
  }
  function logLine(listId, text) {
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById(listId).appendChild(li);
  }
  function show(listId, rows) {
    var dl = document.getElementById(listId);
    Object.keys(rows).forEach(function (key) {
      var dt = document.createElement('dt');
      dt.textContent = key;
      var dd = document.createElement('dd');
      dd.textContent = String(rows[key]);
      dd.dataset.key = key;
      dl.append(dt, dd);
    });
  }

  // Part 1 — ES modules through the proposal's API. The page host (modhost.host) gives fetch,
  // the page's import map and JSON modules; this hook decides what each import gets.
  var host = modhost.host;
  var fixedClock = new modhost.Module(
    new modhost.ModuleSource('export const now = () => new Date("2024-01-01T12:00:00Z");', {
      url: 'memory:/fixed-clock.js',
    }),
  );
  var instances = new Map();

  function moduleFor(url) {
    if (!instances.has(url)) {
      instances.set(
        url,
        host.sourceFor(url).then(function (source) {
          // host.createModule is `new Module(source, handler)` in the page host's realm, which
          // supports the `type` import attribute (the default realm supports none).
          return host.createModule(source, {
            importHook: function (specifier, attributes) {
              var target = host.resolve(specifier, url);
              var mocked = target.endsWith('/es/clock.js');
              logLine(
                'es-hooks',
                short(url) +
                  ' imports ' +
                  JSON.stringify(specifier) +
                  ' → ' +
                  (mocked ? 'a fixed clock (mock)' : short(target)),
              );
              if (mocked) return fixedClock;
              if (attributes.type === 'json') return host.load(target, { attributes: attributes });
              return moduleFor(target);
            },
            importMetaHook: function (meta) {
              meta.url = url;
            },
          });
        }),
      );
    }
    return instances.get(url);
  }

  var esPart = moduleFor(host.resolve('./es/app.js'))
    .then(modhost.importModule)
    .then(function (ns) {
      show('es-result', {
        title: ns.title,
        total: ns.total,
        average: ns.average,
        generated: ns.generated,
        lazy: ns.lazy,
      });
    });

  // Part 2 — CommonJS through define.use, as the article's page does.
  window.demoLog = function (text) {
    logLine('cjs-log', text);
  };
  var cjsPart = define.use('./cjs/main').then(function (main) {
    return new Promise(function (resolve) {
      main.report(function (summary) {
        show('cjs-result', { lines: main.lines.join('; '), total: main.total, report: summary });
        resolve();
      });
    });
  });

  Promise.all([esPart, cjsPart]).then(
    function () {
      var status = document.getElementById('status');
      status.textContent = 'done';
      status.className = 'done';
    },
    function (error) {
      var status = document.getElementById('status');
      status.textContent = 'failed: ' + (error && error.message);
      status.className = 'failed';
    },
  );
})();
