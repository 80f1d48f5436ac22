define(function (require, exports, module) {
  demoLog('main runs (' + module.id.split('/').slice(-2).join('/') + ')');
  var cart = require('./cart');
  var money = require('./utils/money');
  cart.add('tea', 3.5);
  cart.add('cake', 4.25, 2);
  exports.lines = cart.lines().map(function (line) {
    return line.name + ' ×' + line.quantity + ' ' + money.format(line.price * line.quantity);
  });
  exports.total = money.format(cart.total());
  exports.report = function (done) {
    // Not a static dependency: fetched only now, asynchronously.
    require.async('./report', function (report) {
      done(report.summary(cart));
    });
  };
});
