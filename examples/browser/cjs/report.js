demoLog('report runs (loaded by require.async)');
var money = require('./utils/money');
exports.summary = function (cart) {
  return cart.lines().length + ' lines, ' + money.format(cart.total());
};
