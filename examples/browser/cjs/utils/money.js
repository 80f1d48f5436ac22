demoLog('money runs');
exports.format = function (amount) {
  return '€' + amount.toFixed(2);
};
