// The live-reload page's script (a classic script: it uses the `modhost` global). A hot host runs
// live/app.js; the dev server (scripts/serve.mjs --watch) sends the URL path of every file that
// changes, and the page hands it to host.update(): accepted changes apply in place, others reload.
(function () {
  'use strict';

  var status = document.getElementById('live-status');
  var host = modhost.createBrowserHost({ hot: true });

  function logUpdate(text) {
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById('updates').appendChild(li);
  }
  function short(urls) {
    return urls
      .map(function (url) {
        return url.replace(location.origin, '');
      })
      .join(', ');
  }

  host.import('./live/app.js').then(
    function (app) {
      app.mount(document.getElementById('app'));
      var events = new EventSource('/__modhost/events');
      events.onopen = function () {
        status.textContent = 'live: edit live/message.js, live/view.js or live/app.js';
        status.className = 'done';
      };
      events.onerror = function () {
        status.textContent = 'no live reload (serve this folder with scripts/serve.mjs --watch)';
      };
      events.onmessage = function (event) {
        host.update([event.data]).then(function (report) {
          if (report.changed.length === 0 && report.error === undefined) return;
          if (report.fullReload) {
            logUpdate('full reload: ' + short(report.changed));
            location.reload();
          } else if (report.error !== undefined) {
            logUpdate('update failed: ' + report.error.message + ' (the page keeps the previous version)');
          } else {
            logUpdate(
              'hot update: re-evaluated ' +
                short(report.updated) +
                ', accepted by ' +
                short(report.boundaries) +
                ' in ' +
                report.duration.toFixed(1) +
                ' ms',
            );
          }
        });
      };
    },
    function (error) {
      status.textContent = 'failed: ' + error.message;
      status.className = 'failed';
    },
  );
})();
