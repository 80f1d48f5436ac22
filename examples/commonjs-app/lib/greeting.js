// A wrapped module: define(factory) runs on the first require.
define(function (require, exports, module) {
  var config = require('./config');
  exports.hello = function (who) {
    return 'hello ' + who + ' from ' + config.name;
  };
});
