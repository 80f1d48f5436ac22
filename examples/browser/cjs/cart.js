demoLog('cart runs');
var items = [];
exports.add = function (name, price, quantity) {
  items.push({ name: name, price: price, quantity: quantity || 1 });
};
exports.lines = function () {
  return items.slice();
};
exports.total = function () {
  return items.reduce(function (sum, line) {
    return sum + line.price * line.quantity;
  }, 0);
};
